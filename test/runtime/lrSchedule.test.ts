import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeLrSchedule } from "../../src/runtime/optim/lrSchedule.js";
import type { ScheduleSpec } from "../../src/runtime/runSpec.js";

const base: ScheduleSpec = { name: "linear_warmup_cosine_lr", initLr: 1e-4, minLr: 1e-6, warmupLr: 1e-8, warmupSteps: 10, decayRate: null, maxEpoch: 5 };
const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b), `${msg}: ${a} vs ${b}`);
const fn = (s: ScheduleSpec) => {
  const f = makeLrSchedule(s);
  if (typeof f === "string") throw new Error(f);
  return f;
};

test("cosine: linear warm-up in epoch 0, then the per-epoch cosine", () => {
  const f = fn(base);
  for (let i = 0; i <= 20; i++) close(f(0, i), Math.min(1e-4, 1e-8 + ((1e-4 - 1e-8) * i) / 10), `warm-up step ${i}`);
  for (let e = 1; e < 5; e++) {
    const expected = (1e-4 - 1e-6) * 0.5 * (1 + Math.cos((Math.PI * e) / 5)) + 1e-6;
    close(f(e, 0), expected, `epoch ${e}`);
    close(f(e, 37), expected, `epoch ${e} is constant within the epoch`);
  }
  assert.ok(f(4, 0) > 1e-6, "cosine never reaches min_lr");
});

test("warm-up longer than an epoch stops at the epoch boundary", () => {
  const f = fn({ ...base, warmupSteps: 1000 });
  close(f(0, 99), 1e-8 + ((1e-4 - 1e-8) * 99) / 1000, "still ramping at the last step of epoch 0");
  close(f(1, 0), (1e-4 - 1e-6) * 0.5 * (1 + Math.cos(Math.PI / 5)) + 1e-6, "epoch 1 jumps to the cosine value");
});

test("step lr: max(min_lr, init_lr * decay^epoch); it needs lr_decay_rate", () => {
  const f = fn({ ...base, name: "linear_warmup_step_lr", decayRate: 0.9, minLr: 5e-5 });
  close(f(0, 10), 1e-4, "end of warm-up");
  close(f(1, 0), 9e-5, "epoch 1");
  close(f(3, 0), Math.max(5e-5, 1e-4 * 0.9 ** 3), "epoch 3");
  close(f(9, 0), 5e-5, "floored at min_lr");
  assert.type(makeLrSchedule({ ...base, name: "linear_warmup_step_lr", decayRate: null }), "string");
});

test("constant lr: warm-up then init_lr; W=0 gives warmup_lr at step 0 only; negative warmup_lr means init_lr", () => {
  const f = fn({ ...base, name: "constant_lr", warmupSteps: 0 });
  close(f(0, 0), 1e-8, "W=0 step 0");
  close(f(0, 1), 1e-4, "W=0 step 1");
  close(f(3, 5), 1e-4, "later epochs");
  const g = fn({ ...base, name: "constant_lr", warmupLr: -1 });
  close(g(0, 0), 1e-4, "warmup_lr -1");
});

test.run();
