;; Cache-blocked 2-D matmul with wasm SIMD for large products: C[m,n] = A[m,k] · B[k,n], n a multiple of 8.
;; B is first packed into panels of 8 columns (panel q holds B[0..k, 8q..8q+8] row after row, 32 bytes a row), so the
;; inner loop reads B sequentially. The product then runs in blocks: kc rows of the panels at a time (a panel's kc
;; rows, kc·32 bytes, stay in L1 while every 4-row block of A in an mc-row band uses them), and mc rows of A at a time
;; (the band's kc columns, mc·kc·4 bytes, stay in L2 while every panel passes over them). The 4x8 register tile is
;; the one simdMatMul.wat uses; it accumulates into C from the second kc block on.
;; Pointers are in bytes, into the memory the module is given: tfjs's wasm heap (operands in place) or one of its own.
(module
  (import "env" "memory" (memory 1))

  ;; dst = B [k, n] (row-major, at src) as panels of 8 columns.
  (func (export "pack") (param $src i32) (param $dst i32) (param $k i32) (param $n i32)
    (local $j i32) (local $p i32) (local $s i32) (local $rowB i32)
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
        (v128.store (local.get $dst) (v128.load (local.get $s)))
        (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $s (i32.add (local.get $s) (local.get $rowB)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $ploop)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jloop))))

  ;; dst = B as panels of 8 columns, from its transpose Bt [n, k] (row-major, at src): a linear layer's weight.
  (func (export "packTransposed") (param $src i32) (param $dst i32) (param $k i32) (param $n i32)
    (local $j i32) (local $p i32) (local $c i32) (local $rowBt i32) (local $s i32)
    (local.set $rowBt (i32.shl (local.get $k) (i32.const 2)))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
        ;; s = &Bt[j][p]; the 8 values Bt[j..j+8][p] are rowBt bytes apart.
        (local.set $s (i32.add (i32.add (local.get $src) (i32.mul (local.get $j) (local.get $rowBt))) (i32.shl (local.get $p) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $cdone (loop $cloop
          (br_if $cdone (i32.ge_u (local.get $c) (i32.const 8)))
          (f32.store (local.get $dst) (f32.load (local.get $s)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBt)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cloop)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $ploop)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jloop))))

  ;; C [m, n] = A [m, k] · B, with B packed by pack or packTransposed at bp. A[i][p] is at a + i·aRow + p·aCol, so
  ;; a transposed A ([k, m] storage: aRow 4, aCol 4m) needs no copy.
  (func (export "gemm")
    (param $a i32) (param $bp i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32) (param $kc i32) (param $mc i32)
    (param $aRow i32) (param $aCol i32)
    (local $pc i32) (local $kb i32) (local $ic i32) (local $ie i32) (local $ie4 i32) (local $jr i32) (local $ir i32)
    (local $p i32) (local $first i32) (local $rowC i32) (local $panel i32) (local $bq i32)
    (local $ap0 i32) (local $ap1 i32) (local $ap2 i32) (local $ap3 i32) (local $cq i32)
    (local $b0 v128) (local $b1 v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowC (i32.shl (local.get $n) (i32.const 2)))
    (block $pcdone (loop $pcloop
      (br_if $pcdone (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kb (select (local.get $kc) (i32.sub (local.get $k) (local.get $pc)) (i32.lt_u (local.get $kc) (i32.sub (local.get $k) (local.get $pc)))))
      (local.set $first (i32.eqz (local.get $pc)))
      (local.set $ic (i32.const 0))
      (block $icdone (loop $icloop
        (br_if $icdone (i32.ge_u (local.get $ic) (local.get $m)))
        (local.set $ie (select (i32.add (local.get $ic) (local.get $mc)) (local.get $m) (i32.lt_u (i32.add (local.get $ic) (local.get $mc)) (local.get $m))))
        (local.set $ie4 (i32.add (local.get $ic) (i32.and (i32.sub (local.get $ie) (local.get $ic)) (i32.const -4))))
        (local.set $jr (i32.const 0))
        (block $jrdone (loop $jrloop
          (br_if $jrdone (i32.ge_u (local.get $jr) (local.get $n)))
          ;; Panel jr/8 starts jr·k floats in; its row pc is pc·8 floats further.
          (local.set $panel (i32.add (local.get $bp) (i32.shl (i32.add (i32.mul (local.get $jr) (local.get $k)) (i32.shl (local.get $pc) (i32.const 3))) (i32.const 2))))
          ;; 4 rows at a time.
          (local.set $ir (local.get $ic))
          (block $irdone (loop $irloop
            (br_if $irdone (i32.ge_u (local.get $ir) (local.get $ie4)))
            (local.set $cq (i32.add (local.get $c) (i32.add (i32.mul (local.get $ir) (local.get $rowC)) (i32.shl (local.get $jr) (i32.const 2)))))
            (if (local.get $first)
              (then
                (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0)))
              (else
                (local.set $c00 (v128.load (local.get $cq))) (local.set $c01 (v128.load offset=16 (local.get $cq)))
                (local.set $c10 (v128.load (i32.add (local.get $cq) (local.get $rowC))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $cq) (local.get $rowC))))
                (local.set $c20 (v128.load (i32.add (local.get $cq) (i32.shl (local.get $rowC) (i32.const 1)))))
                (local.set $c21 (v128.load offset=16 (i32.add (local.get $cq) (i32.shl (local.get $rowC) (i32.const 1)))))
                (local.set $c30 (v128.load (i32.add (local.get $cq) (i32.mul (local.get $rowC) (i32.const 3)))))
                (local.set $c31 (v128.load offset=16 (i32.add (local.get $cq) (i32.mul (local.get $rowC) (i32.const 3)))))))
            (local.set $ap0 (i32.add (local.get $a) (i32.add (i32.mul (local.get $ir) (local.get $aRow)) (i32.mul (local.get $pc) (local.get $aCol)))))
            (local.set $ap1 (i32.add (local.get $ap0) (local.get $aRow)))
            (local.set $ap2 (i32.add (local.get $ap1) (local.get $aRow)))
            (local.set $ap3 (i32.add (local.get $ap2) (local.get $aRow)))
            (local.set $bq (local.get $panel))
            (local.set $p (i32.const 0))
            (block $pdone (loop $ploop
              (br_if $pdone (i32.ge_u (local.get $p) (local.get $kb)))
              (local.set $b0 (v128.load (local.get $bq)))
              (local.set $b1 (v128.load offset=16 (local.get $bq)))
              (local.set $x0 (v128.load32_splat (local.get $ap0)))
              (local.set $x1 (v128.load32_splat (local.get $ap1)))
              (local.set $x2 (v128.load32_splat (local.get $ap2)))
              (local.set $x3 (v128.load32_splat (local.get $ap3)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $b1))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $b1))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x2) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x2) (local.get $b1))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x3) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x3) (local.get $b1))))
              (local.set $ap0 (i32.add (local.get $ap0) (local.get $aCol)))
              (local.set $ap1 (i32.add (local.get $ap1) (local.get $aCol)))
              (local.set $ap2 (i32.add (local.get $ap2) (local.get $aCol)))
              (local.set $ap3 (i32.add (local.get $ap3) (local.get $aCol)))
              (local.set $bq (i32.add (local.get $bq) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $ploop)))
            (v128.store (local.get $cq) (local.get $c00))
            (v128.store offset=16 (local.get $cq) (local.get $c01))
            (local.set $cq (i32.add (local.get $cq) (local.get $rowC)))
            (v128.store (local.get $cq) (local.get $c10))
            (v128.store offset=16 (local.get $cq) (local.get $c11))
            (local.set $cq (i32.add (local.get $cq) (local.get $rowC)))
            (v128.store (local.get $cq) (local.get $c20))
            (v128.store offset=16 (local.get $cq) (local.get $c21))
            (local.set $cq (i32.add (local.get $cq) (local.get $rowC)))
            (v128.store (local.get $cq) (local.get $c30))
            (v128.store offset=16 (local.get $cq) (local.get $c31))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $irloop)))
          ;; The band's last (ie - ic) % 4 rows, one at a time.
          (block $r1done (loop $r1loop
            (br_if $r1done (i32.ge_u (local.get $ir) (local.get $ie)))
            (local.set $cq (i32.add (local.get $c) (i32.add (i32.mul (local.get $ir) (local.get $rowC)) (i32.shl (local.get $jr) (i32.const 2)))))
            (if (local.get $first)
              (then (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0)))
              (else (local.set $c00 (v128.load (local.get $cq))) (local.set $c01 (v128.load offset=16 (local.get $cq)))))
            (local.set $ap0 (i32.add (local.get $a) (i32.add (i32.mul (local.get $ir) (local.get $aRow)) (i32.mul (local.get $pc) (local.get $aCol)))))
            (local.set $bq (local.get $panel))
            (local.set $p (i32.const 0))
            (block $p1done (loop $p1loop
              (br_if $p1done (i32.ge_u (local.get $p) (local.get $kb)))
              (local.set $x0 (v128.load32_splat (local.get $ap0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (v128.load (local.get $bq)))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (v128.load offset=16 (local.get $bq)))))
              (local.set $ap0 (i32.add (local.get $ap0) (local.get $aCol)))
              (local.set $bq (i32.add (local.get $bq) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $p1loop)))
            (v128.store (local.get $cq) (local.get $c00))
            (v128.store offset=16 (local.get $cq) (local.get $c01))
            (local.set $ir (i32.add (local.get $ir) (i32.const 1)))
            (br $r1loop)))
          (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
          (br $jrloop)))
        (local.set $ic (local.get $ie))
        (br $icloop)))
      (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
      (br $pcloop)))))
