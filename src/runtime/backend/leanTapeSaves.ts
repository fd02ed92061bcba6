// How tfjs's engine keeps the tensors a kernel's gradient needs, made cheaper on backends whose Identity shares storage.
//
// While a gradient tape records, the engine saves each such tensor (a kernel's inputs or outputs) by cloning it: a run of
// the Identity kernel through runKernel, plus a tape node for the clone. On wasm (with wasmKernelFixes' sharing
// Identity) the clone is only a second tensor on the same storage, and the tape node is never used: backpropagation
// keeps the nodes on a path from the sources to the loss, and a saved tensor feeds no recorded op. bench:runtime's
// model saves ~545 tensors per training step this way. Here the clone is made directly: the storage's reference count
// goes up and the engine tracks a new tensor on it, as runKernel does with a kernel's output, without the kernel call and
// the unused tape node.
import * as tf from "@tensorflow/tfjs";

interface EngineInternals {
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  keep<T extends tf.Tensor>(t: T): T;
  makeTensorFromTensorInfo(info: { dataId: object; shape: number[]; dtype: tf.DataType }, backend?: unknown): tf.Tensor;
  state: { tensorInfo: WeakMap<object, { backend: { incRef?: (dataId: object) => void } }> };
}

/** Switchable at run time, for interleaved A/B measurements in one process (`BENCH_AB=leanSaves`). */
export const leanSavesSwitch = { enabled: true };

let installed = false;

/**
 * Saves the wasm backend's tensors for the backward pass without an Identity kernel run and a tape node per tensor
 * (other backends' tensors are cloned as before). Call once the wasm backend is active; idempotent.
 */
export function installLeanTapeSaves(): void {
  if (installed) return;
  const wasm = tf.findBackend("wasm") as { incRef?: (dataId: object) => void } | null;
  if (!wasm?.incRef) return;
  installed = true;
  const engine = tf.engine() as unknown as EngineInternals;
  const cloneSaves = engine.saveTensorsForBackwardMode;
  engine.saveTensorsForBackwardMode = function (this: EngineInternals, tensors: tf.Tensor[]): tf.Tensor[] {
    if (!leanSavesSwitch.enabled) return cloneSaves.call(this, tensors);
    return tensors.map((t) => this.keep(sharingClone(this, wasm, t) ?? cloneSaves.call(this, [t])[0]!));
  };
}

/** A new tensor on `t`'s storage when it lives on `wasm`, else null (then the engine clones it). */
function sharingClone(engine: EngineInternals, wasm: { incRef?: (dataId: object) => void }, t: tf.Tensor): tf.Tensor | null {
  if (t.dtype === "string") return null;
  const backend = engine.state.tensorInfo.get(t.dataId)?.backend;
  if (backend !== wasm) return null;
  wasm.incRef!(t.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend);
}
