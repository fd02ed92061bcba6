// A linear layer (y = x Wᵀ + b, x of any rank) as one kernel on the wasm backend, and its gradient as one more.
//
// As tf ops the layer is four kernel calls forward (Reshape, BatchMatMul, Add, Reshape) and about six backward (the
// gradients of the two Reshapes, of the Add's broadcast bias, and two products), each through tfjs's engine, which
// records a tape node, tracks the output tensor and looks the kernel up: ~7 us a call, more than the arithmetic of a
// small layer. A small BLIP training step runs 64 linear layers, about 550 of its 1,440 kernel calls.
//
// Here the same backend kernels run inside one engine call: the reshapes become views on the same storage (the
// storage is only read), the product is the wasm backend's BatchMatMul (lavisc's, wasmKernelFixes.ts), the bias is
// added by the wasm backend's Add, and the bias gradient is its Sum over the rows. The same kernels in the same order
// on the same values: the outputs and gradients are the bits of the ops path (test/runtime/fusedLinear.test.ts).
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";
import { asMatrix, registerWasmKernels, wasmKernel } from "./wasmKernelCalls.js";

const LINEAR = "LaviscLinear";
const LINEAR_GRAD = "LaviscLinearGrad";

/** Whether linear layers take the fused kernel (switchable at run time for interleaved A/B measurements). */
export const fusedLinearSwitch = { enabled: true };

function linearKernel({ inputs, backend }: KernelArgs): TensorInfo {
  const { x, w, b } = inputs as { x: TensorInfo; w: TensorInfo; b?: TensorInfo };
  const product = wasmKernel("BatchMatMul")({ inputs: { a: asMatrix(x), b: w }, backend, attrs: { transposeA: false, transposeB: true } });
  let y = product;
  if (b) {
    y = wasmKernel("Add")({ inputs: { a: product, b }, backend });
    (backend as WasmBackendLike).disposeData(product.dataId);
  }
  return { dataId: y.dataId, shape: [...x.shape.slice(0, -1), w.shape[0]!], dtype: y.dtype };
}

/** [dx, dW] and, with a bias, db: the products of BatchMatMul's gradient (x Wᵀ: dy W and dyᵀ x) and Add's (Σ rows of dy). */
function linearGradKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, x, w } = inputs as { dy: TensorInfo; x: TensorInfo; w: TensorInfo };
  const matMul = wasmKernel("BatchMatMul");
  const dy2 = asMatrix(dy);
  const dx = matMul({ inputs: { a: dy2, b: w }, backend, attrs: { transposeA: false, transposeB: false } });
  const dw = matMul({ inputs: { a: dy2, b: asMatrix(x) }, backend, attrs: { transposeA: true, transposeB: false } });
  const grads = [{ dataId: dx.dataId, shape: x.shape, dtype: dx.dtype }, dw];
  if ((attrs as { bias: boolean }).bias) grads.push(wasmKernel("Sum")({ inputs: { x: dy2 }, backend, attrs: { axis: [0], keepDims: false } }));
  return grads;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWasmKernels({ [LINEAR]: linearKernel, [LINEAR_GRAD]: linearGradKernel });
  tf.registerGradient({
    kernelName: LINEAR,
    inputsToSave: ["x", "w"],
    gradFunc: (dy, saved, attrs) => {
      const [x, w] = saved as tf.Tensor[];
      const bias = (attrs as unknown as { bias: boolean }).bias;
      const [dx, dw, db] = tf.engine().runKernel(LINEAR_GRAD, { dy: dy as tf.Tensor, x: x!, w: w! }, { bias }) as tf.Tensor[];
      const grads: Record<string, () => tf.Tensor> = { x: () => dx!, w: () => dw! };
      if (bias) grads["b"] = () => db!;
      return grads;
    },
  });
}

/** Whether `linear` takes the fused kernel: the wasm backend, float32 operands, a 2-D weight. */
export function fusedLinearAvailable(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): boolean {
  if (!fusedLinearSwitch.enabled || tf.getBackend() !== "wasm") return false;
  if (x.dtype !== "float32" || w.dtype !== "float32" || w.rank !== 2 || x.rank < 1) return false;
  if (b && (b.dtype !== "float32" || b.rank !== 1)) return false;
  register();
  return true;
}

/** y = x Wᵀ + b for W in PyTorch layout [out, in]. Call only where fusedLinearAvailable(). */
export function fusedLinear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
  const inputs: tf.NamedTensorMap = b ? { x, w, b } : { x, w };
  return tf.engine().runKernel(LINEAR, inputs, { bias: !!b }) as tf.Tensor;
}
