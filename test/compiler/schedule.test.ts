import { suite } from "uvu";
import * as assert from "uvu/assert";
import { lrAt, lrPreview } from "../../src/compiler/schedule.js";
import { makeLrSchedule } from "../../src/runtime/optim/lrSchedule.js";
import type { ScheduleSpec } from "../../src/runtime/runSpec.js";

const close = (a: number | null, b: number, what: string) => {
  assert.ok(a !== null && Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b), `${what}: ${a} != ${b}`);
};

const cosine: ScheduleSpec = { name: "linear_warmup_cosine_lr", initLr: 1e-3, minLr: 1e-5, warmupLr: 1e-5, warmupSteps: 20, decayRate: null, maxEpoch: 6 };
const step: ScheduleSpec = { name: "linear_warmup_step_lr", initLr: 0.1, minLr: 0.05, warmupLr: 0.01, warmupSteps: 4, decayRate: 0.9, maxEpoch: 10 };
const constant: ScheduleSpec = { name: "constant_lr", initLr: 3e-4, minLr: 0, warmupLr: 1e-6, warmupSteps: 3, decayRate: null, maxEpoch: 3 };

const t = suite("lr preview (LAVIS schedules, reference c.2)");
t("cosine: (L - m) * 0.5 * (1 + cos(pi e / E)) + m from epoch 1", () => {
  const p = lrPreview(cosine, 100);
  for (let e = 1; e < 6; e++) {
    const want = (1e-3 - 1e-5) * 0.5 * (1 + Math.cos((Math.PI * e) / 6)) + 1e-5;
    close(p.epochs[e]!.start, want, `epoch ${e} start`);
    close(p.epochs[e]!.end, want, `epoch ${e} end`);
  }
  // Warm-up within epoch 0: L0 + (L - L0) * i / W, reaching L at i = W.
  close(p.epochs[0]!.start, 1e-5, "epoch 0 start");
  close(p.epochs[0]!.end, 1e-3, "epoch 0 end");
  assert.equal(p.warmup?.step, 20);
  assert.equal(p.warmup?.cut, false);
  close(lrAt(cosine, 0, 10), 1e-5 + (1e-3 - 1e-5) * 10 / 20, "mid warm-up");
});
t("warm-up longer than one epoch is cut at the end of epoch 0, then jumps to the epoch-1 value", () => {
  const p = lrPreview(cosine, 8);
  const endOf0 = Math.min(1e-3, 1e-5 + (1e-3 - 1e-5) * 7 / 20);
  close(p.epochs[0]!.end, endOf0, "epoch 0 end");
  assert.equal(p.warmup?.cut, true);
  close(p.warmup!.lr, endOf0, "warm-up end");
  close(p.epochs[1]!.start, (1e-3 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI / 6)) + 1e-5, "epoch 1 start");
});
t("step: max(m, L * d^e), floored at min_lr", () => {
  const p = lrPreview(step, 10);
  for (let e = 1; e < 10; e++) close(p.epochs[e]!.start, Math.max(0.05, 0.1 * 0.9 ** e), `epoch ${e}`);
  close(p.epochs[9]!.end, 0.05, "floor reached");
  close(lrAt(step, 0, 2), 0.01 + (0.1 - 0.01) * 2 / 4, "warm-up step 2");
});
t("constant: L after warm-up, whatever min_lr and max_epoch", () => {
  const p = lrPreview(constant, 2);
  close(p.epochs[0]!.start, 1e-6, "epoch 0 start");
  close(p.epochs[0]!.end, 1e-6 + (3e-4 - 1e-6) / 3, "epoch 0 end (warm-up cut)");
  for (let e = 1; e < 3; e++) close(p.epochs[e]!.start, 3e-4, `epoch ${e}`);
});
t("no warm-up steps: warmup_lr only at step 0", () => {
  const s: ScheduleSpec = { ...cosine, warmupSteps: 0 };
  close(lrAt(s, 0, 0), 1e-5, "step 0");
  close(lrAt(s, 0, 1), 1e-3, "step 1");
  assert.equal(lrPreview(s, null).warmup, null);
});
t("unknown steps per epoch: epoch 0's end is unknown while warm-up runs", () => {
  const p = lrPreview(cosine, null);
  assert.equal(p.epochs[0]!.end, null);
  assert.equal(p.warmup?.cut, null);
  assert.equal(lrPreview({ ...cosine, warmupLr: cosine.initLr }, null).epochs[0]!.end, 1e-3);
});
t("agrees with the runtime's scheduler at every step", () => {
  for (const s of [cosine, step, constant]) {
    const f = makeLrSchedule(s);
    if (typeof f === "string") throw new Error(f);
    for (let e = 0; e < s.maxEpoch; e++) for (let i = 0; i < 30; i++) close(lrAt(s, e, i), f(e, i), `${s.name} (${e}, ${i})`);
  }
});
t.run();
