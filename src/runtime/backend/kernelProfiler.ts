// Per-kernel wall time for the active tfjs backend. The wasm backend runs kernels synchronously on the calling thread,
// so wrapping each registered kernelFunc with a clock measures exactly the time spent inside kernels; the rest of a
// step (tape bookkeeping, gradient functions, allocation) is the step time minus their sum.
import * as tf from "@tensorflow/tfjs";

export interface KernelStat {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
}

export interface KernelProfiler {
  /** Stats since the last reset, slowest first. */
  report(): KernelStat[];
  reset(): void;
  /** Restores the original kernels. */
  uninstall(): void;
}

/** `keyOf` may refine the bucket (e.g. by shape); by default kernels are grouped by name. */
export function profileKernels(backendName: string, keyOf?: (kernel: string, inputs: unknown, attrs: unknown) => string): KernelProfiler {
  const stats = new Map<string, { calls: number; ms: number }>();
  const originals = tf.getKernelsForBackend(backendName);
  for (const k of originals) {
    const inner = k.kernelFunc;
    const timed: tf.KernelFunc = (args) => {
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const key = keyOf ? keyOf(k.kernelName, args.inputs, args.attrs) : k.kernelName;
        const s = stats.get(key) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - t0;
        stats.set(key, s);
      }
    };
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({ ...k, kernelFunc: timed });
  }
  return {
    report: () => [...stats].map(([kernel, s]) => ({ kernel, ...s })).sort((a, b) => b.ms - a.ms),
    reset: () => stats.clear(),
    uninstall: () => {
      for (const k of originals) {
        tf.unregisterKernel(k.kernelName, backendName);
        tf.registerKernel(k);
      }
    },
  };
}
