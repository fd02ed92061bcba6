;; Exact (erf) GELU and its gradient with wasm SIMD, four floats at a time, in the memory the module is given
;; (tfjs's wasm heap, tensors in place, or one of its own).
;;   gelu(x)  = x · Φ(x),  Φ(x) = (1 + erf(x/√2)) / 2
;;   gelu'(x) = Φ(x) + x · exp(−x²/2) / √(2π)
;; erf: the rational approximation Eigen and XNNPACK use for float32 (odd degree-13 numerator over even degree-8
;; denominator on [−4, 4], clamped outside; 6.5e-8 from erf in double arithmetic). exp of t ≤ 0: t clamped to −87,
;; t = n·ln2 + r with n = nearest(t·log2 e) and ln2 in two parts, a degree-7 Taylor polynomial of e^r (|r| ≤ ln2/2),
;; times 2^n built in the exponent bits. Pointers are in bytes; n is a multiple of 4 (the caller pads).
(module
  (import "env" "memory" (memory 1))

  ;; Φ(x) for four lanes.
  (func $phi (param $x v128) (result v128)
    (local $z v128) (local $z2 v128) (local $p v128) (local $q v128)
    (local.set $z (f32x4.mul (local.get $x) (f32x4.splat (f32.const 0.70710678118654752))))
    (local.set $z (f32x4.min (f32x4.max (local.get $z) (f32x4.splat (f32.const -4))) (f32x4.splat (f32.const 4))))
    (local.set $z2 (f32x4.mul (local.get $z) (local.get $z)))
    (local.set $p (f32x4.splat (f32.const -2.72614225801306e-10)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const 2.77068142495902e-08))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const -2.10102402082508e-06))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const -5.69250639462346e-05))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const -7.34990630326855e-04))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const -2.95459980854025e-03))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z2)) (f32x4.splat (f32.const -1.60960333262415e-02))))
    (local.set $p (f32x4.mul (local.get $p) (local.get $z)))
    (local.set $q (f32x4.splat (f32.const -1.45660718464996e-05)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $z2)) (f32x4.splat (f32.const -2.13374055278905e-04))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $z2)) (f32x4.splat (f32.const -1.68282697438203e-03))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $z2)) (f32x4.splat (f32.const -7.37332916720468e-03))))
    (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $z2)) (f32x4.splat (f32.const -1.42647390514189e-02))))
    ;; (1 + p/q) / 2
    (f32x4.mul
      (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.div (local.get $p) (local.get $q)))
      (f32x4.splat (f32.const 0.5))))

  ;; e^t for four lanes with t <= 0.
  (func $expNonPositive (param $t v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $scale v128)
    (local.set $t (f32x4.max (local.get $t) (f32x4.splat (f32.const -87))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $t) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r (f32x4.sub (local.get $t) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.98412698e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.38888889e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.33333333e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.16666667e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.166666667))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; 2^n: (n + 127) << 23 as the bits of a float (n >= -126 after the clamp).
    (local.set $scale (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23)))
    (f32x4.mul (local.get $p) (local.get $scale)))

  ;; y[i] = gelu(x[i]) for i < n.
  (func (export "gelu") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $y) (f32x4.mul (local.get $v) (call $phi (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next))))

  ;; dx[i] = dy[i] · gelu'(x[i]) for i < n.
  (func (export "geluGrad") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128) (local $d v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      ;; Φ(x) + x · e^(−x²/2) / √(2π)
      (local.set $d (f32x4.add
        (call $phi (local.get $v))
        (f32x4.mul
          (f32x4.mul (local.get $v) (f32x4.splat (f32.const 0.39894228040143268)))
          (call $expNonPositive (f32x4.mul (f32x4.mul (local.get $v) (local.get $v)) (f32x4.splat (f32.const -0.5)))))))
      (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $dy)) (local.get $d)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
      (br $next))))
)
