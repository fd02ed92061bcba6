// Per-kernel wall time for the active tfjs backend. The wasm backend runs kernels synchronously on the calling thread,
// so wrapping each registered kernelFunc with a clock measures exactly the time spent inside kernels; the rest of a
// step (tape bookkeeping, gradient functions, allocation) is the step time minus their sum. A kernel that runs other
// registered kernels (the fused linear layer runs BatchMatMul) is charged its own time only; the nested ones are
// charged to themselves, so the times add up to the time inside kernels.
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
  /** Per running kernel, outermost first: the time spent so far in the kernels it ran. */
  const nested: number[] = [];
  for (const k of originals) {
    const inner = k.kernelFunc;
    const timed: tf.KernelFunc = (args) => {
      const t0 = performance.now();
      nested.push(0);
      try {
        return inner(args);
      } finally {
        const elapsed = performance.now() - t0;
        const inChildren = nested.pop()!;
        if (nested.length) nested[nested.length - 1]! += elapsed;
        const key = keyOf ? keyOf(k.kernelName, args.inputs, args.attrs) : k.kernelName;
        const s = stats.get(key) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += elapsed - inChildren;
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
