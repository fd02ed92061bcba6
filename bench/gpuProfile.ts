// bench/gpu.ts's instruments: WebGPU error scopes around a batch, a per-program GPU profile of one step, and a V8 CPU
// profile of the host thread.
import * as tf from "@tensorflow/tfjs";

export const gib = (bytes: number | undefined): string => (bytes === undefined ? "?" : `${(bytes / 2 ** 30).toFixed(2)} GiB`);

/** WebGPU error scopes around one batch (validation and out-of-memory); `pop` gives the first error's message. */
export function gpuErrorScopes(): { pop(): Promise<string | null> } {
  type Scoped = { pushErrorScope(f: string): void; popErrorScope(): Promise<{ message: string } | null> };
  const dev = tf.getBackend() === "webgpu" ? (tf.backend() as unknown as { device: Scoped }).device : null;
  if (!dev) return { pop: async () => null };
  dev.pushErrorScope("validation");
  dev.pushErrorScope("out-of-memory");
  let popped = false;
  return {
    async pop() {
      if (popped) return null;
      popped = true;
      const errors = [await dev.popErrorScope(), await dev.popErrorScope()].filter((e) => e !== null);
      return errors.length ? errors.map((e) => e!.message.split("\n")[0]).join("; ") : null;
    },
  };
}

/**
 * GPU_PROFILE=1: one more step under tf.time, which on WebGPU times every program with timestamp queries (each in its
 * own pass, so the step is slower than in the timed loop): the GPU's busy time per step against the loop's wall time,
 * the number of programs, and the programs that take the most GPU time.
 */
export async function kernelProfile(step: () => void, loopMsPerStep: number): Promise<void> {
  const timing = (await tf.time(step)) as tf.TimingInfo & { getExtraProfileInfo?: () => string };
  const entries = (timing.getExtraProfileInfo?.() ?? "").split(", ").map((e) => /^(.*): ([\d.eE+-]+)$/.exec(e)).filter((m) => m !== null);
  const byName = new Map<string, { ms: number; count: number }>();
  for (const m of entries) {
    const row = byName.get(m[1]!) ?? { ms: 0, count: 0 };
    row.ms += Number(m[2]);
    row.count++;
    byName.set(m[1]!, row);
  }
  const kernelMs = Number(timing.kernelMs);
  if (!entries.length || !(kernelMs > 0)) {
    console.log(`profile: no GPU times (the adapter has no timestamp-query); the step took ${timing.wallMs.toFixed(0)} ms under tf.time`);
    return;
  }
  console.log(`profile: ${entries.length} GPU programs per step, ${kernelMs.toFixed(0)} ms of GPU time against ${loopMsPerStep.toFixed(0)} ms per step in the timed loop (${((100 * kernelMs) / loopMsPerStep).toFixed(0)}% busy); GPU memory in tfjs buffers: ${gib((tf.memory() as { numBytesInGPU?: number }).numBytesInGPU)} in use, ${gib((tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU)} allocated`);
  const top = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
  for (const [name, r] of top) console.log(`profile:   ${name}: ${r.count} programs, ${r.ms.toFixed(1)} ms (${((100 * r.ms) / kernelMs).toFixed(1)}%)`);
}

/** GPU_CPU_PROFILE=<file>: a V8 CPU profile of the first batch's timed loop (what the host thread spends per step). */
export async function startCpuProfile(): Promise<{ stop(): Promise<void> } | null> {
  const file = process.env["GPU_CPU_PROFILE"];
  if (!file) return null;
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
