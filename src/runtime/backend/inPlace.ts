// Direct access to a tensor's float32 storage on the backends that keep it in this process (wasm heap, tfjs cpu),
// so element-wise updates over many small parameters (AdamW, momentum EMA) run as one loop each instead of a dozen
// kernel calls per parameter, whose fixed cost dominates at the model sizes a CPU trains.
// Weights must never be written in place: the wasm backend caches XNNPACK operators, with the weights packed into
// them, by the storage id of the weight operand, so a weight changed in place would still be multiplied with its old
// values. Weights get new storage (`assignComputed`); only state no kernel caches (optimizer moments, queues) is
// written in place.
import * as tf from "@tensorflow/tfjs";

interface HeapBackend {
  refCount(dataId: object): number;
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array;
}

interface CpuBackend {
  refCount(dataId: object): number;
  data: { get(dataId: object): { values?: unknown } | undefined };
}

function storage(t: tf.Tensor): { view: Float32Array; owners: number } | null {
  if (t.dtype !== "float32" || t.isDisposed) return null;
  const name = tf.getBackend();
  const dataId = t.dataId as object;
  if (name === "wasm") {
    const b = tf.backend() as unknown as HeapBackend;
    return { view: b.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId }), owners: b.refCount(dataId) };
  }
  if (name === "cpu") {
    const b = tf.backend() as unknown as CpuBackend;
    const values = b.data.get(dataId)?.values;
    return values instanceof Float32Array && values.length === t.size ? { view: values, owners: b.refCount(dataId) } : null;
  }
  return null;
}

/**
 * A writable view of `t`'s storage when `t` is its only owner (writing cannot change another tensor), else null:
 * callers then take the tf-ops path. Valid until the next tfjs allocation (the wasm heap may grow and move).
 */
export function writableView(t: tf.Tensor): Float32Array | null {
  const s = storage(t);
  return s && s.owners === 1 ? s.view : null;
}

/** Whether `writableView`/`readView` see storage directly on the current backend. */
export function hasDirectStorage(): boolean {
  const name = tf.getBackend();
  return name === "wasm" || name === "cpu";
}

/** A read-only view of `t`'s storage (no copy) where the backend allows, else a copy. */
export function readView(t: tf.Tensor): Float32Array {
  return storage(t)?.view ?? (t.dataSync() as Float32Array);
}

/**
 * Gives `v` new storage holding what `compute` writes into a zeroed array of its size (one copy in, no kernels).
 * Views taken before the call stay valid inside `compute` (nothing is allocated on the backend until it returns).
 */
export function assignComputed(v: tf.Variable, compute: (out: Float32Array) => void): void {
  const out = new Float32Array(v.size);
  compute(out);
  tf.tidy(() => v.assign(tf.tensor(out, v.shape, "float32")));
}
