;; Column sums with wasm SIMD: dst[c] = src[0][c] + src[1][c] + ... over `rows` rows of `cols` float32, added row after
;; row (the order of a sum over each column), four columns at a time, the last cols % 4 one at a time.
;; Pointers are in bytes.
(module
  (import "env" "memory" (memory 1))
  (func (export "columnSum") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $s i32) (local $d i32) (local $end i32)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    ;; dst = 0
    (local.set $d (local.get $dst))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $cols) (i32.const 2))))
    (block $zdone (loop $zloop
      (br_if $zdone (i32.ge_u (local.get $d) (local.get $end)))
      (f32.store (local.get $d) (f32.const 0))
      (local.set $d (i32.add (local.get $d) (i32.const 4)))
      (br $zloop)))
    (local.set $s (local.get $src))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $d (local.get $dst))
      (local.set $c (i32.const 0))
      (block $c4done (loop $c4loop
        (br_if $c4done (i32.ge_u (local.get $c) (local.get $cols4)))
        (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $c4loop)))
      (block $c1done (loop $c1loop
        (br_if $c1done (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $c1loop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop)))))
