// Replacement kernels for the tfjs wasm backend, measured under Node 20 (single-threaded wasm):
// - BatchMatMul is fast (XNNPACK) only for batch 1 without transposes; a transposed operand or batch > 1 takes a
//   naive loop about 8x slower. We materialise transposes, fold a broadcast batch into rows, and split large
//   batched products into per-batch 2-D products.
// - A product that folds into one 2-D product (B not batched) with n a multiple of 8, transposed operands or not,
//   runs on our cache-blocked wasm SIMD kernel (simdGemm.ts). Per call against XNNPACK (bench/matmulKernels.ts,
//   4 Dec 2026): 1.5-1.8x on 768-wide transposed weights (XNNPACK needs a Transpose first), 1.07-1.15x on
//   768-wide products without one, 1.8-5x on 64-wide layers and on thin products (16 rows).
// - Every other product (batched, or n not a multiple of 8) with a transposed operand or a batch runs on our plain
//   wasm SIMD kernel (simdMatMul.ts), 4-12x faster than those paths on attention-sized products.
// - UnsortedSegmentSum (the gradient of gather, i.e. of embedding lookups) has no wasm kernel at all.
// - Sum over leading axes (bias gradients) transposes first; simdColumnSum.ts sums the rows into the columns instead.
// - GatherV2 moves one element at a time; along axis 0 (embedding lookups) rowGather.ts copies whole rows.
// - Slice (and SplitV, slice by slice) copied the whole input out of the heap for every slice; heapSlice.ts copies
//   only the part.
// - Identity copies its input, and the engine runs it for every tensor it saves for the backward pass (~850 copies
//   per training step of a small BLIP). As in the cpu backend, it now shares the storage by reference count: kernels
//   never write into their inputs, and lavisc's in-place updates (inPlace.ts) only write storage with one owner.
import * as tf from "@tensorflow/tfjs";
import { simdBatchedMatMul, simdBatchedMatMulInMemory, simdMatMulAvailable } from "./simdMatMul.js";
import { simdGemm, simdGemmAvailable, simdGemmInMemory } from "./simdGemm.js";
import { heapOffset, tfjsHeapMemory } from "./tfjsHeap.js";
import { columnSumKernel } from "./simdColumnSum.js";
import { rowGatherKernel } from "./rowGather.js";
import { sliceKernel, splitVKernel } from "./heapSlice.js";
import type { KernelArgs, SingleOutputKernel, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";

type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** Below this many multiply-adds per batch entry the per-kernel overhead of splitting exceeds the slow path's cost. */
const SPLIT_MIN_MACS = 24 * 24 * 24;

let installed = false;
/** Whether the SIMD kernel is used (switchable at run time for interleaved A/B measurements in one process). */
let simdEnabled = true;

/** Whether 2-D products take the cache-blocked kernel (switchable for A/B measurements; both SIMD kernels give the same bits). */
let gemmEnabled = true;

export function setSimdMatMul(enabled: boolean): void {
  simdEnabled = enabled;
}

export function setBlockedGemm(enabled: boolean): void {
  gemmEnabled = enabled;
}

/**
 * `batchMatMul: false` keeps wasm's own BatchMatMul and `simd: false` the previous XNNPACK-only replacement
 * (both for A/B measurements).
 */
export function installWasmKernelFixes(opts: { batchMatMul?: boolean; simd?: boolean; sharedIdentity?: boolean; columnSum?: boolean; rowGather?: boolean; heapSlice?: boolean } = {}): void {
  if (installed) return;
  const matmul = tf.getKernel("BatchMatMul", "wasm");
  const transposeK = tf.getKernel("Transpose", "wasm");
  const reshapeK = tf.getKernel("Reshape", "wasm");
  const sliceK = tf.getKernel("Slice", "wasm");
  const concatK = tf.getKernel("Concat", "wasm");
  if (!matmul || !transposeK || !reshapeK || !sliceK || !concatK) throw new Error("wasm backend kernels are not registered; call initBackend first");
  const orig = matmul.kernelFunc as unknown as KernelFn;
  const transposeFn = transposeK.kernelFunc as unknown as KernelFn;
  const reshapeFn = reshapeK.kernelFunc as unknown as KernelFn;
  const sliceFn = sliceK.kernelFunc as unknown as KernelFn;
  const concatFn = concatK.kernelFunc as unknown as KernelFn;

  const fastBatchMatMul = (args: { inputs: unknown; backend: unknown; attrs?: unknown }): TensorInfo => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (a.dtype !== "float32" || b.dtype !== "float32") return orig(args) as TensorInfo;
    if (useGemm && simdEnabled && gemmEnabled) {
      const out = gemmProduct(backend, a, b, !!transposeA, !!transposeB);
      if (out) return out;
    }
    if (useSimd && simdEnabled && preferSimd(a, b, !!transposeA, !!transposeB)) {
      const out = simdProduct(backend, a, b, !!transposeA, !!transposeB);
      if (out) return out;
    }
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    const run = (fn: KernelFn, inputs: unknown, attrs: unknown) => keep(fn({ inputs, backend, attrs }) as TensorInfo);
    try {
      let A = a;
      let B = b;
      if (transposeA) A = run(transposeFn, { x: a }, { perm: swapLast2(a.shape.length) });
      if (transposeB) B = run(transposeFn, { x: b }, { perm: swapLast2(b.shape.length) });
      const outerA = A.shape.slice(0, -2);
      const outerB = B.shape.slice(0, -2);
      const batchA = product(outerA);
      const batchB = product(outerB);
      const M = A.shape[A.shape.length - 2]!;
      const K = A.shape[A.shape.length - 1]!;
      const N = B.shape[B.shape.length - 1]!;
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB), M, N];
      const mm = (x: TensorInfo, y: TensorInfo) => orig({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      let out: TensorInfo;
      if (batchB === 1) {
        // Rows of every batch entry of A share the one B: a single 2-D product.
        out = mm(run(reshapeFn, { x: A }, { shape: [1, batchA * M, K] }), run(reshapeFn, { x: B }, { shape: [1, K, N] }));
      } else if (batchA === batchB && M * K * N >= SPLIT_MIN_MACS) {
        const A3 = run(reshapeFn, { x: A }, { shape: [batchA, M, K] });
        const B3 = run(reshapeFn, { x: B }, { shape: [batchB, K, N] });
        const parts: TensorInfo[] = [];
        for (let i = 0; i < batchA; i++) {
          const ai = run(sliceFn, { x: A3 }, { begin: [i, 0, 0], size: [1, M, K] });
          const bi = run(sliceFn, { x: B3 }, { begin: [i, 0, 0], size: [1, K, N] });
          parts.push(keep(mm(ai, bi)));
        }
        out = concatFn({ inputs: parts, backend, attrs: { axis: 0 } }) as TensorInfo;
      } else {
        out = mm(A, B);
      }
      out.shape = outShape;
      return out;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };

  const useSimd = opts.simd !== false && simdMatMulAvailable();
  const useGemm = opts.simd !== false && simdGemmAvailable();

  const unsortedSegmentSum = (args: { inputs: unknown; backend: unknown; attrs?: unknown }): TensorInfo => {
    const backend = args.backend as WasmBackendLike;
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as { numSegments: number };
    const ids = backend.readSync(segmentIds.dataId);
    const xs = backend.readSync(x.dataId);
    const inner = ids.length === 0 ? 0 : xs.length / ids.length;
    const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
    const out = backend.makeOutput(outShape, x.dtype);
    const o = backend.typedArrayFromHeap(out);
    o.fill(0);
    for (let i = 0; i < ids.length; i++) {
      const seg = ids[i]!;
      if (seg < 0 || seg >= numSegments) continue; // TF drops out-of-range ids
      const src = i * inner;
      const dst = seg * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j]!;
    }
    return out;
  };

  if (opts.batchMatMul !== false) {
    tf.unregisterKernel("BatchMatMul", "wasm");
    tf.registerKernel({ ...matmul, kernelFunc: fastBatchMatMul as unknown as tf.KernelFunc });
  }
  if (opts.sharedIdentity !== false) {
    const identity = tf.getKernel("Identity", "wasm");
    if (identity) {
      const copyingIdentity = identity.kernelFunc as unknown as KernelFn;
      // String tensors keep wasm's own kernel (their values live in JS, not in the heap).
      const shared: KernelFn = (args) => ((args.inputs as { x: TensorInfo }).x.dtype === "string" ? copyingIdentity(args) : sharedIdentity(args));
      tf.unregisterKernel("Identity", "wasm");
      tf.registerKernel({ ...identity, kernelFunc: shared as unknown as tf.KernelFunc });
    }
  }
  const sum = tf.getKernel("Sum", "wasm");
  if (sum && opts.columnSum !== false) {
    tf.unregisterKernel("Sum", "wasm");
    tf.registerKernel({ ...sum, kernelFunc: columnSumKernel(sum.kernelFunc as unknown as SingleOutputKernel) as unknown as tf.KernelFunc });
  }
  const gather = tf.getKernel("GatherV2", "wasm");
  if (gather && opts.rowGather !== false) {
    tf.unregisterKernel("GatherV2", "wasm");
    tf.registerKernel({ ...gather, kernelFunc: rowGatherKernel(gather.kernelFunc as unknown as SingleOutputKernel) as unknown as tf.KernelFunc });
  }
  const slice = tf.getKernel("Slice", "wasm");
  const splitV = tf.getKernel("SplitV", "wasm");
  if (slice && splitV && opts.heapSlice !== false) {
    tf.unregisterKernel("Slice", "wasm");
    tf.registerKernel({ ...slice, kernelFunc: sliceKernel(slice.kernelFunc as unknown as SingleOutputKernel) as unknown as tf.KernelFunc });
    tf.unregisterKernel("SplitV", "wasm");
    tf.registerKernel({ ...splitV, kernelFunc: splitVKernel(splitV.kernelFunc as unknown as Parameters<typeof splitVKernel>[0]) as unknown as tf.KernelFunc });
  }
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) {
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  }
  installed = true;
}

function sharedIdentity(args: { inputs: unknown; backend: unknown }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  (args.backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * For the products the blocked kernel does not take (n not a multiple of 8, a batched A transposed):
 * 2-D products with a transposed operand go to the SIMD kernel while B is at most this many elements: measured per
 * call (wasm, Node 20) it then beats Transpose + XNNPACK, by up to 2x on small transposed weights and by 1.2-2x on
 * weight gradients (A transposed, n a multiple of 8: the kernel's 4-row path) such as [384,64]^T·[384,64].
 * Transposed weights (x·Wᵀ, every linear layer): 1.1-3x faster from [119,64] up to [3072,768] and [8192,768], even
 * with 8-16 rows (4 Dec 2026); at a vocabulary-sized [30524,768] it is 3-4x slower (the kernel has no cache blocking
 * and re-reads B, 94 MB there, for every 4 rows), so the bound is 4M elements (16 MB).
 */
const SIMD_MAX_TRANSPOSED_B = 4 * 1024 * 1024;
const SIMD_MAX_B_FOR_TRANSPOSED_A = 512 * 512;

function preferSimd(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  // Batched products that cannot fold into one 2-D product: XNNPACK has no batched path.
  if (batchOf(b) > 1) return true;
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
  if (transposeA && !transposeB) return n % 8 === 0 && product(b.shape) <= SIMD_MAX_B_FOR_TRANSPOSED_A;
  return transposeB && !transposeA && product(b.shape) <= SIMD_MAX_TRANSPOSED_B;
}

/**
 * The kernel's memory holds A, B, B packed and C, and keeps its size for the process's life: past 256 MiB (a
 * [4096, 4096] · [4096, 4096] product) the other paths take a product, which need no second copy of it.
 */
const MAX_GEMM_BYTES = 256 * 1024 * 1024;

/** One batch entry's op(a) [m, k] and op(b) [kb, n] (k = kb in a valid product). */
function productDims(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): { m: number; k: number; kb: number; n: number } {
  const ra = a.shape.length;
  const rb = b.shape.length;
  return {
    m: transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!,
    k: transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!,
    kb: transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!,
    n: transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!,
  };
}

/**
 * The product on the cache-blocked kernel when it is one 2-D product with n a multiple of 8: B not batched (A's
 * batch folds into rows, which needs A untransposed when batched). Else null, and the other paths decide.
 */
function gemmProduct(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  if (batchOf(b) !== 1 || (transposeA && batchOf(a) !== 1)) return null;
  const { m: rows, k, kb, n } = productDims(a, b, transposeA, transposeB);
  if (n % 8 !== 0 || k !== kb || k === 0) return null;
  if ((batchOf(a) * rows * k + 2 * k * n + batchOf(a) * rows * n) * 4 > MAX_GEMM_BYTES) return null;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = backend.makeOutput([...outer, rows, n], "float32");
  const m = batchOf(a) * rows;
  if (m === 0 || n === 0) return out;
  const heap = gemmInPlace.enabled ? tfjsHeapMemory(backend) : null;
  // In tfjs's heap: the kernel reads the operands and writes the result where they are; B's panels go to scratch.
  const inHeap = (packed: number) => simdGemmInMemory(heap!, { a: heapOffset(backend, a), b: heapOffset(backend, b), packed, c: heapOffset(backend, out) }, m, k, n, transposeA, transposeB);
  if (heap && withHeapScratch(backend, k * n, inHeap)) return out;
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
  const o = backend.typedArrayFromHeap(out) as Float32Array;
  simdGemm(o, backend.typedArrayFromHeap(a) as Float32Array, backend.typedArrayFromHeap(b) as Float32Array, m, k, n, transposeA, transposeB);
  return out;
}

/** Runs `use` with `floats` of scratch in tfjs's heap (its byte offset), freed afterwards. */
function withHeapScratch<T>(backend: WasmBackendLike, floats: number, use: (offset: number) => T): T {
  const scratch = backend.makeOutput([Math.max(1, floats)], "float32");
  try {
    return use(heapOffset(backend, scratch));
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/** Whether the matmul kernels work in tfjs's heap (switchable for A/B measurements against copying the operands). */
export const gemmInPlace = { enabled: true };

function batchOf(t: TensorInfo): number {
  return product(t.shape.slice(0, -2));
}

/**
 * The product on the SIMD kernel, or null for broadcasts it does not cover (outer dims that are neither equal nor
 * all 1 on one side), which then take the XNNPACK paths.
 */
function simdProduct(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  const { m, k, kb, n } = productDims(a, b, transposeA, transposeB);
  if (k !== kb) throw new Error(`Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} must match.`);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = product(outer);
  const batchA = product(outerA);
  const batchB = product(outerB);
  if ((batchA !== 1 && batchA !== batch) || (batchB !== 1 && batchB !== batch)) return null;
  const out = backend.makeOutput([...outer, m, n], "float32");
  const heap = gemmInPlace.enabled && batch * m * n > 0 ? tfjsHeapMemory(backend) : null;
  // A transposed B is untransposed into scratch in the heap.
  const inHeap = (untransposedB: number | null) =>
    simdBatchedMatMulInMemory(heap!, { a: heapOffset(backend, a), b: heapOffset(backend, b), c: heapOffset(backend, out), untransposedB }, batch, batchA, batchB, m, k, n, transposeA, transposeB);
  if (heap && (transposeB ? withHeapScratch(backend, batchB * k * n, inHeap) : inHeap(null))) return out;
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
  const o = backend.typedArrayFromHeap(out) as Float32Array;
  const av = backend.typedArrayFromHeap(a) as Float32Array;
  const bv = backend.typedArrayFromHeap(b) as Float32Array;
  simdBatchedMatMul(o, av, bv, batch, batchA, batchB, m, k, n, transposeA, transposeB);
  return out;
}

function swapLast2(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

function product(xs: number[]): number {
  return xs.reduce((p, x) => p * x, 1);
}
