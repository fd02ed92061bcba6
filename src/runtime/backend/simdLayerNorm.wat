;; LayerNorm over rows of width d (a multiple of 4) and its gradient with wasm SIMD, in the memory the module is given
;; (tfjs's wasm heap, tensors in place, or one of its own).
;; Biased variance, as torch: y = (x − mean) · rstd · gamma + beta with rstd = 1 / sqrt(var + eps).
;; Gradient: dxhat = dy · gamma, dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)), dgamma = Σ dy · xhat,
;; dbeta = Σ dy over the rows. Pointers are in bytes.
(module
  (import "env" "memory" (memory 1))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; The row's mean, splat.
  (func $mean (param $row i32) (param $bytes i32) (param $d f32) (result v128)
    (local $j i32) (local $acc v128)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $row) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $next)))
    (f32x4.splat (f32.div (call $hsum (local.get $acc)) (local.get $d))))

  ;; 1 / sqrt(var + eps) of the row, splat.
  (func $rstd (param $row i32) (param $bytes i32) (param $d f32) (param $mean v128) (param $eps f32) (result v128)
    (local $j i32) (local $acc v128) (local $c v128)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (local.set $c (f32x4.sub (v128.load (i32.add (local.get $row) (local.get $j))) (local.get $mean)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $c) (local.get $c))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $next)))
    (f32x4.splat (f32.div (f32.const 1)
      (f32.sqrt (f32.add (f32.div (call $hsum (local.get $acc)) (local.get $d)) (local.get $eps))))))

  (func (export "layerNorm")
    (param $x i32) (param $gamma i32) (param $beta i32) (param $y i32) (param $rows i32) (param $d i32) (param $eps f32)
    (local $r i32) (local $j i32) (local $bytes i32) (local $df f32) (local $mean v128) (local $rstd v128)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $df (f32.convert_i32_u (local.get $d)))
    (block $rdone (loop $rnext
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $mean (call $mean (local.get $x) (local.get $bytes) (local.get $df)))
      (local.set $rstd (call $rstd (local.get $x) (local.get $bytes) (local.get $df) (local.get $mean) (local.get $eps)))
      (local.set $j (i32.const 0))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.add
            (f32x4.mul
              (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)) (local.get $rstd))
              (v128.load (i32.add (local.get $gamma) (local.get $j))))
            (v128.load (i32.add (local.get $beta) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $y (i32.add (local.get $y) (local.get $bytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rnext))))

  ;; dgamma and dbeta must be zeroed by the caller; they are accumulated over the rows.
  (func (export "layerNormGrad")
    (param $dy i32) (param $x i32) (param $gamma i32) (param $dx i32) (param $dgamma i32) (param $dbeta i32)
    (param $rows i32) (param $d i32) (param $eps f32)
    (local $r i32) (local $j i32) (local $bytes i32) (local $df f32) (local $mean v128) (local $rstd v128)
    (local $xh v128) (local $g v128) (local $dxh v128) (local $s1 v128) (local $s2 v128) (local $m1 v128) (local $m2 v128)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $df (f32.convert_i32_u (local.get $d)))
    (block $rdone (loop $rnext
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $mean (call $mean (local.get $x) (local.get $bytes) (local.get $df)))
      (local.set $rstd (call $rstd (local.get $x) (local.get $bytes) (local.get $df) (local.get $mean) (local.get $eps)))
      ;; First pass: the two row means, and dgamma, dbeta.
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
        (local.set $xh (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)) (local.get $rstd)))
        (local.set $g (v128.load (i32.add (local.get $dy) (local.get $j))))
        (v128.store (i32.add (local.get $dgamma) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $dgamma) (local.get $j))) (f32x4.mul (local.get $g) (local.get $xh))))
        (v128.store (i32.add (local.get $dbeta) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $dbeta) (local.get $j))) (local.get $g)))
        (local.set $dxh (f32x4.mul (local.get $g) (v128.load (i32.add (local.get $gamma) (local.get $j)))))
        (local.set $s1 (f32x4.add (local.get $s1) (local.get $dxh)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $dxh) (local.get $xh))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next)))
      (local.set $m1 (f32x4.splat (f32.div (call $hsum (local.get $s1)) (local.get $df))))
      (local.set $m2 (f32x4.splat (f32.div (call $hsum (local.get $s2)) (local.get $df))))
      ;; Second pass: dx.
      (local.set $j (i32.const 0))
      (block $done2 (loop $next2
        (br_if $done2 (i32.ge_u (local.get $j) (local.get $bytes)))
        (local.set $xh (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j))) (local.get $mean)) (local.get $rstd)))
        (local.set $dxh (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $j))) (v128.load (i32.add (local.get $gamma) (local.get $j)))))
        (v128.store (i32.add (local.get $dx) (local.get $j))
          (f32x4.mul (local.get $rstd)
            (f32x4.sub (f32x4.sub (local.get $dxh) (local.get $m1)) (f32x4.mul (local.get $xh) (local.get $m2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next2)))
      (local.set $dy (i32.add (local.get $dy) (local.get $bytes)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $dx (i32.add (local.get $dx) (local.get $bytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rnext))))
)
