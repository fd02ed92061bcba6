// A checkpoint JSON whose fields no lavisc writes (hand edits, damage) is a user-facing error naming the field, what
// it holds and what was expected: never a crash in the runner (exit 3), a NaN loss, or a silent resume from nonsense.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { runExperiment } from "../../src/runtime/index.js";
import { syntheticFactory, tinySpec } from "./synthetic.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-ckpt-fields-"));
let n = 0;
const outDir = () => join(root, `run${n++}`);
const data = () => syntheticFactory({ images: 16, size: 16, seed: 1 });

/** A real interrupted checkpoint (a stop after 6 steps, inside epoch 1): every field a resume reads is set. */
let interrupted = "";
const original = () => JSON.parse(readFileSync(interrupted, "utf8")) as Record<string, unknown>;

/** A copy of the interrupted checkpoint's JSON beside its weights, with `change` applied. */
function mutated(name: string, change: (meta: Record<string, unknown>) => void): string {
  const meta = original();
  change(meta);
  const path = join(interrupted, "..", `${name}.json`);
  writeFileSync(path, JSON.stringify(meta));
  return path;
}

test("setup: a stop inside epoch 1 writes checkpoint_interrupted", async () => {
  const stop = { stopRequested: false };
  let steps = 0;
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 3, validSplits: [] }), {
    dataFactory: data(), stopSignal: stop, progress: { onStep: () => { if (++steps >= 6) stop.stopRequested = true; } },
  });
  assert.is(r.status, 130, r.errors.join("; "));
  interrupted = r.resumePath!;
  const loaded = loadCheckpoint(interrupted);
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error);
});

const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
  ["optimizer null", (m) => { m["optimizer"] = null; }, /field "optimizer" is null, expected an object/],
  ["optimizer {}", (m) => { m["optimizer"] = {}; }, /field "optimizer.name" is missing, expected "adamw"/],
  ["optimizer step a string", (m) => { (m["optimizer"] as Record<string, unknown>)["step"] = "7"; }, /field "optimizer.step" is "7", expected a whole number/],
  ["rng null", (m) => { m["rng"] = null; }, /field "rng" is null, expected 4 whole numbers/],
  ["rng [1]", (m) => { m["rng"] = [1]; }, /field "rng" is \[1\], expected 4 whole numbers/],
  ["vocab []", (m) => { m["vocab"] = []; }, /field "vocab" is \[\], expected a list of token strings with \[PAD\], \[UNK\], \[CLS\], \[SEP\]/],
  ["200k made-up tokens", (m) => { m["vocab"] = Array.from({ length: 200_000 }, (_, i) => `x${i}`); }, /field "vocab" is a list of 200000 items \("x0","x1","x2","x3", …\), expected/],
  ["duplicate tokens", (m) => { m["vocab"] = Array(7).fill("[PAD]"); }, /field "vocab" is \["\[PAD\]",.*expected a list of token strings/],
  ["version 2", (m) => { m["version"] = 2; }, /field "version" is 2, expected 1/],
  ["epoch -5", (m) => { m["epoch"] = -5; }, /field "epoch" is -5, expected a whole number from -1 up/],
  ["epoch 1e308", (m) => { m["epoch"] = 1e308; }, /field "epoch" is 1e\+308, expected a whole number/],
  ["epoch \"3\"", (m) => { m["epoch"] = "3"; }, /field "epoch" is "3", expected a whole number/],
  ["partial of another epoch", (m) => { (m["partial"] as Record<string, unknown>)["epoch"] = 7; }, /field "partial" is \{"epoch":7,.*expected null or \{ epoch: 1, step/],
  ["best agg_metrics a string", (m) => { m["best"] = { aggMetrics: "x", epoch: null }; }, /field "best.aggMetrics" is "x", expected a finite number/],
];

for (const [name, change, message] of cases) {
  test(`a checkpoint JSON with ${name} is refused, naming the field`, () => {
    const r = loadCheckpoint(mutated(name.replace(/\W+/g, "_"), change));
    assert.not.ok(r.ok, "accepted");
    if (r.ok) return;
    assert.match(r.error, message);
    assert.match(r.error, /checkpoint .*\.json: field .*; it was not written by this lavisc or is damaged/);
  });
}

test("resuming from such a checkpoint ends with status 1 and the message, before any step", async () => {
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 3, validSplits: [], resumeCkptPath: mutated("opt_null_run", (m) => { m["optimizer"] = null; }) }), { dataFactory: data() });
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /^run\.resume_ckpt_path: checkpoint .*opt_null_run\.json: field "optimizer" is null/);
  assert.equal(r.epochLosses, []);
});

test("a partial step beyond the epoch's steps is refused at resume (it would skip the rest of the epoch in silence)", async () => {
  const path = mutated("step_999", (m) => { (m["partial"] as Record<string, unknown>)["step"] = 999; });
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 3, validSplits: [], resumeCkptPath: path }), { dataFactory: data() });
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /field "partial.step" is 999, expected at most 4 \(the steps of one epoch of this run\)/);
});

test.run();
