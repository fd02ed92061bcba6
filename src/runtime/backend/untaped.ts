// torch.no_grad for a computation inside a gradient tape: tfjs has no stop_gradient, and a tensor computed from a
// variable stays connected to it (tfjs then asks, e.g., gather for a gradient of its int indices and fails). tfjs
// itself does not tape the ops a kernel runs inside it (the engine's kernelDepth counter); `untaped` runs `fn` the
// same way, so its results are constants for the gradient. Relies on that engine field (tfjs is pinned; a test
// checks it).
import * as tf from "@tensorflow/tfjs";

interface EngineState {
  kernelDepth: number;
}

export function untaped<T extends tf.TensorContainer>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  if (typeof state?.kernelDepth !== "number") throw new Error("bug: this tfjs version has no engine.state.kernelDepth (see backend/untaped.ts)");
  state.kernelDepth++;
  try {
    return tf.tidy(fn);
  } finally {
    state.kernelDepth--;
  }
}
