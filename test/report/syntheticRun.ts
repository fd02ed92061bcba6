// A run's events as the runner emits them (3 epochs of 40 steps, three loss components, warm-up then cosine lr,
// validation after each epoch, a test evaluation), fed to a recorder with a fake clock.
import { RunRecorder, type RecorderOptions } from "../../src/report/runRecorder.js";

export const STEPS = 40, EPOCHS = 3;

export function lrOf(epoch: number, step: number): number {
  return epoch === 0 ? Math.min(1e-3, 1e-5 + ((1e-3 - 1e-5) * step) / 20) : 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos((Math.PI * epoch) / EPOCHS));
}

export function lossOf(g: number): Record<string, number> {
  const itc = 2.5 * Math.exp(-g / 50) + 0.3 + 0.05 * Math.sin(g), itm = 0.7 * Math.exp(-g / 80) + 0.1;
  return { loss: itc + itm, loss_itc: itc, loss_itm: itm };
}

export function syntheticRun(o: Partial<RecorderOptions> & { readonly logEvery?: number; readonly runDir?: string } = {}): RunRecorder {
  let t = 1_700_000_000_000;
  const rec = new RunRecorder({
    title: "retrieval_shapes", task: "retrieval", model: "blip_retrieval(tiny)", samplesPerStep: 32,
    config: [{ key: "run.init_lr", value: "0.001", origin: "set at projects/quickstart/retrieval_shapes.lv:24" }],
    now: () => t, ...o,
  });
  rec.onStart({ runDir: o.runDir ?? "/tmp/run", backend: "wasm", device: "wasm (only backend installed)" });
  const every = o.logEvery ?? 10;
  for (let e = 0; e < EPOCHS; e++) {
    for (let s0 = 0; s0 < STEPS; s0 += every) {
      t += 2000;
      rec.onLosses({ epoch: e, steps: Array.from({ length: every }, (_, k) => ({ step: s0 + k, lr: lrOf(e, s0 + k), losses: lossOf(e * STEPS + s0 + k) })) });
    }
    rec.onTrainStats({ epoch: e, means: { lr: lrOf(e, 0), loss: lossOf(e * STEPS + 20)["loss"]! } });
    t += 5000;
    rec.onEval({ split: "val", epoch: e, metrics: { txt_r1: 10 + 5 * e, txt_r_mean: 20 + 6 * e, agg_metrics: 20 + 6 * e } });
  }
  rec.onEval({ split: "test", epoch: "best", metrics: { agg_metrics: 31, r_mean: 25 } });
  rec.onMessage({ level: "warn", text: "a <warning> & more" });
  rec.onEnd({ status: 0, errors: [] });
  return rec;
}
