;; Parameter updates with wasm SIMD, four floats at a time, on tensors in tfjs's wasm heap (the memory is imported):
;; AdamW (torch.optim.AdamW's formula, in float32 as torch computes it) and the momentum encoders' EMA. The moments are
;; updated in place; parameters get the new values at `out` (new storage: see inPlace.ts). Pointers are in bytes;
;; any n (a scalar loop takes the last n mod 4 elements).
(module
  (import "env" "memory" (memory 1))

  ;; m ← b1·m + c1·g;  v ← b2·v + c2·g²;  out ← p·decay − stepSize·m / (√v / bc2Sqrt + eps)   (c1 = 1−b1, c2 = 1−b2)
  (func (export "adamW")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $decay f32) (param $stepSize f32) (param $bc2Sqrt f32) (param $eps f32)
    (local $i i32) (local $at i32) (local $n4 i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
      (local.set $mv (f32x4.add
        (f32x4.mul (f32x4.splat (local.get $b1)) (v128.load (i32.add (local.get $m) (local.get $at))))
        (f32x4.mul (f32x4.splat (local.get $c1)) (local.get $gv))))
      (local.set $vv (f32x4.add
        (f32x4.mul (f32x4.splat (local.get $b2)) (v128.load (i32.add (local.get $v) (local.get $at))))
        (f32x4.mul (f32x4.mul (f32x4.splat (local.get $c2)) (local.get $gv)) (local.get $gv))))
      (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vv))
      (v128.store (i32.add (local.get $out) (local.get $at))
        (f32x4.sub
          (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $at))) (f32x4.splat (local.get $decay)))
          (f32x4.div
            (f32x4.mul (f32x4.splat (local.get $stepSize)) (local.get $mv))
            (f32x4.add
              (f32x4.div (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $bc2Sqrt)))
              (f32x4.splat (local.get $eps))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
      (local.set $ms (f32.add
        (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $at))))
        (f32.mul (local.get $c1) (local.get $gs))))
      (local.set $vs (f32.add
        (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $at))))
        (f32.mul (f32.mul (local.get $c2) (local.get $gs)) (local.get $gs))))
      (f32.store (i32.add (local.get $m) (local.get $at)) (local.get $ms))
      (f32.store (i32.add (local.get $v) (local.get $at)) (local.get $vs))
      (f32.store (i32.add (local.get $out) (local.get $at))
        (f32.sub
          (f32.mul (f32.load (i32.add (local.get $p) (local.get $at))) (local.get $decay))
          (f32.div
            (f32.mul (local.get $stepSize) (local.get $ms))
            (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $bc2Sqrt)) (local.get $eps)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalars))))

  ;; out ← copy·m + online·c   (c = 1−m)
  (func (export "ema") (param $copy i32) (param $online i32) (param $out i32) (param $n i32) (param $m f32) (param $c f32)
    (local $i i32) (local $at i32) (local $n4 i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (v128.store (i32.add (local.get $out) (local.get $at))
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $copy) (local.get $at))) (f32x4.splat (local.get $m)))
          (f32x4.mul (v128.load (i32.add (local.get $online) (local.get $at))) (f32x4.splat (local.get $c)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (f32.store (i32.add (local.get $out) (local.get $at))
        (f32.add
          (f32.mul (f32.load (i32.add (local.get $copy) (local.get $at))) (local.get $m))
          (f32.mul (f32.load (i32.add (local.get $online) (local.get $at))) (local.get $c))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalars))))
)
