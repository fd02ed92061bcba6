// Reading tensors back to the host, asynchronously: tfjs's WebGPU backend reads synchronously only through
// OffscreenCanvas, which Node does not have, and an asynchronous read lets a GPU keep its queue full.
import * as tf from "@tensorflow/tfjs";

/** The values of `t` as float32 (int tensors converted), then `t` is disposed. */
export async function takeValues(t: tf.Tensor): Promise<Float32Array> {
  try {
    const v = await t.data();
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  } finally {
    t.dispose();
  }
}

/** The values of several tensors with one device read (flattened and concatenated first); all are disposed. */
export async function takeAll(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  if (!ts.length) return [];
  const flat = tf.tidy(() => tf.concat(ts.map((t) => t.toFloat().reshape([-1])), 0));
  tf.dispose([...ts]);
  const all = await takeValues(flat);
  const out: Float32Array[] = [];
  let at = 0;
  for (const t of ts) {
    out.push(all.subarray(at, at + t.size));
    at += t.size;
  }
  return out;
}
