// What this machine gives a second thread of the kind of work a training step does: the same wasm SIMD kernel (the
// fused GELU of src/runtime/backend/simdGelu.wat) run on 1 thread, then on N threads at once, each doing the same
// work; throughput scaling = N · t(1) / t(N). It bounds what N data-parallel replicas can gain on this machine,
// whatever lavisc does: where vCPUs share their vector units (SMT siblings, a busy host), N threads of SIMD work run
// little faster than one. A scalar integer loop is measured the same way for contrast.
import { Worker } from "node:worker_threads";
import { WASM_BASE64 } from "../src/runtime/backend/simdGelu.js";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { kind, base64, reps } = workerData;
let work;
if (kind === "simd") {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const m = { ...new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, "base64")), { env: { memory: mem } }).exports, mem };
  const n = 98304;
  m.mem.grow(Math.ceil((2 * n * 4) / 65536));
  new Float32Array(m.mem.buffer, 0, n).forEach((_, i, a) => (a[i] = Math.sin(i)));
  work = (r) => { for (let i = 0; i < r; i++) m.gelu(0, n * 4, n); };
} else {
  work = (r) => { let x = 0; for (let i = 0; i < r * 200000; i++) x = (x + i) % 7; return x; };
}
work(Math.ceil(reps / 10));
parentPort.once("message", () => {
  const t0 = performance.now();
  work(reps);
  parentPort.postMessage(performance.now() - t0);
});
parentPort.postMessage("ready");
`;

/** Milliseconds until the slowest of `threads` workers, started together, finishes `reps` repetitions. */
async function together(kind: "simd" | "scalar", threads: number, reps: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true, workerData: { kind, base64: WASM_BASE64, reps } }));
  try {
    await Promise.all(workers.map((w) => new Promise((r) => w.once("message", r))));
    const done = workers.map((w) => new Promise<number>((r) => w.once("message", r)));
    workers.forEach((w) => w.postMessage("go"));
    return Math.max(...(await Promise.all(done)));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export interface CoreScaling {
  readonly threads: number;
  /** N · t(1) / t(N) for the SIMD kernel and for the scalar loop; medians of `rounds` alternations. */
  readonly simd: number;
  readonly scalar: number;
}

export async function measureCoreScaling(threads: number, rounds = 3): Promise<CoreScaling> {
  const ratio = async (kind: "simd" | "scalar", reps: number) => {
    const r: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const one = await together(kind, 1, reps);
      const many = await together(kind, threads, reps);
      r.push((threads * one) / many);
    }
    return r.sort((a, b) => a - b)[rounds >> 1]!;
  };
  return { threads, simd: await ratio("simd", 600), scalar: await ratio("scalar", 600) };
}
