// `lavisc plan`'s storage section (issue 18 §4, §6): which annotation files exist, which would be downloaded and from
// where, which writes are refused; output_dir outside the working directory; checkpoint and log sizes up front.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlan } from "../../src/compiler/plan.js";
import { renderPlanText } from "../../src/compiler/planText.js";
import { checkpointFileCount, epochCheckpoint } from "../../src/compiler/planStorage.js";
import { runSpecOf } from "../../src/compiler/lower.js";
import { createModel } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { saveCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import type { StTensor } from "../../src/runtime/checkpoint/safetensors.js";
import { captioning, compile, edit, retrievalWithFiles } from "./harness.js";
import { writeRetrievalSplits } from "./rules/fixtures.js";

const cache = mkdtempSync(join(tmpdir(), "lavisc-plan-cache-"));
const env = { LAVISC_CACHE: cache };

test("a standard builder's storage at the user's own file: that file is used as it is; absent ones outside the root are refused", () => {
  const dir = writeRetrievalSplits({ train: 10, val: 3, test: 3 });
  rmSync(join(dir, "test.json"));
  const plan = buildPlan(compile(retrievalWithFiles(dir)).graph, { env, cwd: "/work" });
  const by = Object.fromEntries(plan.storage.annotations.map((a) => [a.split, a]));
  assert.is(by["train"]!.action, "exists");
  assert.is(by["val"]!.action, "exists");
  assert.is(by["test"]!.action, "outside-root");
  assert.match(by["test"]!.note!, /downloads only into its storage root .*: download https:\/\/\S+coco_karpathy_test\.json to \S+test\.json yourself/);
  const text = renderPlanText(plan);
  assert.match(text, /coco_retrieval\/train: \S+train\.json: exists, used as it is \(md5 not checked, as LAVIS\)/);
  assert.match(text, /coco_retrieval\/test: \S+test\.json: refused\n\s+annotation file/);
  // Their split sizes are counted once and kept in lavisc's cache folder (src/compiler/annotationStatsCache.ts): said, with where.
  assert.match(text, /\n  split sizes: counted in the local annotation files once and kept in \S+annotation-stats \(counted again when a file changes\)\n/);
});

test("relative storage under the storage root: downloads named with their source; output_dir and sizes", () => {
  const plan = buildPlan(compile(captioning).graph, { env, cwd: "/work" });
  assert.equal(plan.storage.annotations.map((a) => [a.split, a.action]), [["train", "download"], ["val", "download"], ["test", "download"]]);
  assert.match(plan.storage.annotations[0]!.url!, /^https:\/\/storage\.googleapis\.com\/\S+coco_karpathy_train\.json$/);
  assert.ok(plan.storage.annotations[0]!.path.startsWith(cache + "/"), plan.storage.annotations[0]!.path);
  assert.is(plan.storage.splitSizeCache, null, "no local annotation file, nothing counted");
  assert.equal(plan.storage.output, { ...plan.storage.output, dir: "/work/output/cap", outsideWorkingDirectory: false });
  // 224M parameters, all trainable: weights and two AdamW moments in float32.
  assert.ok(Math.abs(plan.storage.checkpointBytes! - 3 * 4 * 223_971_644) < 2_000_000, String(plan.storage.checkpointBytes));
  assert.is(plan.storage.checkpointFiles, 3, "checkpoint_best, checkpoint_0 (save_freq 5), checkpoint_4 (save_last)");
  const text = renderPlanText(plan);
  assert.match(text, /checkpoints: 3 file\(s\), at most 2\.69 GB each, 8\.06 GB in all/);
  assert.match(text, /log\.txt: about [\d.]+ kB/);
  assert.match(text, /weights https:\S+\.pth: a PyTorch pickle/);
  const outside = buildPlan(compile(edit(captioning, 'output_dir = "output/cap"', 'output_dir = "/elsewhere/cap"')).graph, { env, cwd: "/work" });
  assert.ok(outside.storage.output.outsideWorkingDirectory);
  assert.match(renderPlanText(outside), /output_dir \/elsewhere\/cap: outside the working directory; written because the experiment's output_dir asks for it/);
});

test("weights: https downloads into the cache with the pinned sha256; plain http is named as refused", () => {
  const sha = "ab".repeat(32);
  const https = edit(captioning, "load_finetuned = false", `load_finetuned = false\n    pretrained = "https://example.org/w/model.safetensors"\n    pretrained_sha256 = "${sha}"`);
  const w = buildPlan(compile(https).graph, { env }).storage.weights!;
  assert.is(w.action, "download");
  assert.is(w.sha256, sha);
  assert.ok(w.path!.startsWith(join(cache, "weights")));
  assert.is(runSpecOf(compile(https).graph).model.loadWeightsSha256, sha);
  const http = buildPlan(compile(edit(https, "https://", "http://")).graph, { env });
  assert.is(http.storage.weights!.action, "refused");
  assert.match(renderPlanText(http), /plain http.*--allow-http/);
});

test("the checkpoint size plan shows is what the runtime writes (blip_retrieval(tiny), with AdamW moments)", async () => {
  const src = edit(retrievalWithFiles("/nonexistent"), "model blip_retrieval(coco) {", "model blip_retrieval(tiny) {");
  const graph = compile(src).graph;
  const plan = buildPlan(graph, { env });
  const spec = runSpecOf(graph);
  // A vocabulary of vocab_size tokens, the largest one lavisc builds from training texts.
  const built = buildVocab(["a red square", "a blue circle"]);
  const size = spec.model.config["vocab_size"] as number;
  const vocab = [...built, ...Array.from({ length: size - built.length }, (_, i) => `token${i}`)];
  const model = createModel(spec.model, new WordPieceTokenizer(vocab), 1);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  const zeros = new Map<string, StTensor>([...model.trainable].map(([k, v]) => [k, { dtype: "F32", shape: v.shape, data: new Float32Array(v.size) }]));
  const dir = mkdtempSync(join(tmpdir(), "lavisc-plan-ckpt-"));
  saveCheckpoint(dir, "checkpoint_0", await model.stateDict(), zeros, zeros, {
    epoch: 0, iters: null, optimizer: { name: "adamw", step: 0, expAvgPrefix: "", expAvgSqPrefix: "", hyper: {} }, rng: [1, 2, 3, 4],
    lrScheduler: { epoch: 0, step: 0 }, best: { aggMetrics: 0, epoch: 0 }, reason: "epoch", vocab, partial: null, config: spec.config,
  });
  model.dispose();
  const written = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  const planned = plan.storage.checkpointBytes!;
  assert.ok(Math.abs(planned - written) / written < 0.06, `plan ${planned} vs written ${written}`);
});


test("the checkpoint count is the number of names the runners' rules give, epoch by epoch (differential, 4,000 settings)", () => {
  const base = runSpecOf(compile(captioning).graph);
  let seed = 7;
  const pick = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 4000; i++) {
    const run = {
      ...base,
      runner: pick(4) === 0 ? "runner_iter" : "runner_base",
      itersPerInnerEpoch: pick(3) === 0 ? null : 1 + pick(50),
      maxEpoch: pick(40),
      validSplits: [[], ["val"], ["test"], ["val", "test"]][pick(4)]!,
      valFreq: pick(5),
      saveFreq: pick(6) - 1,
      saveLast: pick(2) === 0,
      evaluate: pick(10) === 0,
    } as typeof base;
    // LAVIS keeps a best checkpoint for a validation split named val only (LAVIS#791).
    const names = new Set(!run.evaluate && run.validSplits.includes("val") ? ["checkpoint_best"] : []);
    for (let e = 0; e < run.maxEpoch; e++) {
      const name = epochCheckpoint(run, e);
      if (name) names.add(name);
    }
    assert.is(checkpointFileCount(run), names.size, JSON.stringify({ ...run, config: undefined, datasets: undefined, model: undefined }));
  }
});

test("a run of 10^12 epochs (stopped by hand) is planned at once: a count of checkpoints and a shortened lr preview", () => {
  const graph = compile(captioning, { sets: ["recipe.max_epoch=1000000000000"] }).graph;
  const plan = buildPlan(graph, { env, cwd: "/work" });
  // Validated every epoch, so kept at save_freq (every 5th epoch), plus checkpoint_best and the last (save_last).
  assert.is(plan.storage.checkpointFiles, 1_000_000_000_000 / 5 + 2);
  assert.is(plan.lr!.epochs.length, 15);
  assert.is(plan.lr!.omitted, 1_000_000_000_000 - 15);
  assert.match(renderPlanText(plan), /epoch 9: start [^\n]+\n {2}\.\.\. 999999999985 epochs not shown \.\.\.\n {2}epoch 999999999995: start/);
});

test("validating only on test keeps no checkpoint_best, and the test phase says which weights it tests", () => {
  const graph = compile(edit(captioning, "valid_splits = [val]", "valid_splits = [test]")).graph;
  const plan = buildPlan(graph, { env, cwd: "/work" });
  assert.is(plan.storage.checkpointFiles, 2, "checkpoint_0 (save_freq 5) and checkpoint_4 (save_last), no checkpoint_best");
  const text = renderPlanText(plan);
  assert.not.match(text, /checkpoint_best\.json/, "not among the files written");
  assert.match(text, /test test \(coco_caption\), after training: LAVIS reloads checkpoint_best, which only a split named val writes \(FileNotFoundError\); lavisc tests the last weights/);
  assert.is(graph.run.testWeights, "best", "the stdlib's runner_base: RunnerBase reloads checkpoint_best");
  const none = renderPlanText(buildPlan(compile(edit(captioning, "valid_splits = [val]", "valid_splits = []")).graph, { env, cwd: "/work" }));
  assert.match(none, /test test \(coco_caption\), after training, with the last weights/);
});

test("a local url that an existing storage file shadows is named in the plan (LAVIS#720)", () => {
  const dir = writeRetrievalSplits({ train: 10, val: 3, test: 3 });
  const mine = join(dir, "my_train.json");
  writeFileSync(mine, "[]");
  const src = retrievalWithFiles(dir).replace(`build_info.annotations.train.storage = "${dir}/train.json"`, `build_info.annotations.train.storage = "${dir}/train.json"\n    build_info.annotations.train.url = "${mine}"`);
  const plan = buildPlan(compile(src).graph, { env, cwd: "/work" });
  const train = plan.storage.annotations.find((a) => a.split === "train")!;
  assert.is(train.action, "exists");
  assert.match(train.note!, new RegExp(`its url ${mine} is a local file with other content, .*: the run reads ${dir}/train\\.json, not ${mine} \\(LAVIS#720\\); move \\S+ away`));
  assert.match(renderPlanText(plan), /train\.json: exists, used as it is \(md5 not checked, as LAVIS\)\n\s+its url /);
  assert.is(plan.storage.annotations.find((a) => a.split === "val")!.note, undefined, "a url that is a download is not a shadow");
});

test.run();
