// End to end: `lavisc run projects/quickstart/features_shapes.lv` in process, on the weights of a tiny blip_retrieval
// (as retrieval_shapes.lv writes them; random here, made in the test): the feature files, the metrics, the log.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost, nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { prepareDataset } from "../../src/data/index.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { createModel } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { saveCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { decodeSafetensors } from "../../src/runtime/checkpoint/safetensors.js";
import { repoRoot } from "../harness/repoRoot.js";

const PROJECT = join(repoRoot(), "projects/quickstart/features_shapes.lv");

/** A checkpoint of retrieval_shapes.lv's model (blip_retrieval(tiny)), untrained, with a vocabulary of the captions. */
async function retrievalCheckpoint(dir: string, dataRoot: string): Promise<string> {
  const checked = checkFile(join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), nodeHost());
  const spec = runSpecOf(lowerToGraph(checked.resolved!, { dataRoot }).graph);
  const captions = (JSON.parse(readFileSync(join(dataRoot, "shapes/annotations/captions_train.json"), "utf8")) as { caption: string }[]).map((r) => r.caption);
  const vocab = buildVocab(captions, { maxSize: 4096 });
  const model = createModel(spec.model, new WordPieceTokenizer(vocab), 5);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  try {
    return saveCheckpoint(dir, "checkpoint_best", (await model.stateDict()), new Map(), new Map(), {
      epoch: 0, iters: null, optimizer: { name: "adamw", step: 0, expAvgPrefix: "", expAvgSqPrefix: "", hyper: {} }, rng: [1, 2, 3, 4],
      lrScheduler: { epoch: 0, step: 0 }, best: { aggMetrics: 0, epoch: 0 }, reason: "best", vocab, partial: null, config: spec.config,
    });
  } finally {
    model.dispose();
  }
}

test("features_shapes.lv extracts BLIP features of the shapes test split from blip_retrieval(tiny) weights", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-features-"));
  try {
    assert.ok((await initBackend("wasm")).ok);
    const dataRoot = join(tmp, "data");
    prepareDataset("shapes", { root: dataRoot });
    const ckpt = await retrievalCheckpoint(tmp, dataRoot);
    const host = memoryHost({}, repoRoot());
    const out = join(tmp, "out");
    const started = performance.now();
    const code = await runCli([
      "run", PROJECT, "--data-root", dataRoot, "--workers", "1",
      "--set", `recipe.output_dir=${JSON.stringify(out)}`, "--set", `model.finetuned=${JSON.stringify(ckpt)}`,
    ], host);
    assert.is(code, 0, host.err);
    const seconds = (performance.now() - started) / 1000;
    assert.match(host.out, /^test: txt_r1 [\d.]+, txt_r5 [\d.]+, txt_r10 [\d.]+, txt_r_mean [\d.]+, img_r1 [\d.]+, .*agg_metrics [\d.]+$/m);

    const [job] = readdirSync(out);
    const dir = join(out, job!);
    // The checkpoint's extra modules (momentum encoders, queues, itm_head) are skipped, as LAVIS loads BLIP non-strictly.
    assert.match(host.err + host.out, /checkpoint_best\.json: skipped .*itm_head/);
    assert.not.ok(readdirSync(dir).some((f) => f.startsWith("checkpoint")), "no training, no checkpoints");
    const evalLines = readFileSync(join(dir, "evaluate.txt"), "utf8").trim().split("\n");
    assert.is(evalLines.length, 1);
    const metrics = JSON.parse(evalLines[0]!) as Record<string, number>;
    assert.is(metrics["agg_metrics"], metrics["txt_r_mean"]);

    // 100 test images with three captions each: 300 rows, in the split's text order.
    const rows = JSON.parse(readFileSync(join(dir, "result", "test_features.json"), "utf8")) as { row: number; image_id: string; instance_id: string; txt_id: number; caption: string }[];
    assert.is(rows.length, 300);
    assert.equal(rows.map((r) => r.txt_id), rows.map((_, i) => i));
    assert.is(rows[0]!.image_id, "shapes_test_0");
    assert.is(rows[3]!.image_id, "shapes_test_1");
    assert.is(rows[1]!.caption, "there is a small blue circle in the center of the picture");
    const st = decodeSafetensors(readFileSync(join(dir, "result", "test_features.safetensors")));
    assert.ok(st.ok);
    if (!st.ok) return;
    const shapes = Object.fromEntries([...st.tensors].map(([k, v]) => [k, v.shape]));
    assert.equal(shapes, { image_embeds: [300, 64], image_embeds_proj: [300, 32], multimodal_embeds: [300, 64], text_embeds: [300, 64], text_embeds_proj: [300, 32] });
    assert.is(st.metadata["arch"], "blip_feature_extractor");
    console.log(`features_shapes: 300 rows in ${seconds.toFixed(1)} s, zero-shot (untrained) txt_r1 ${metrics["txt_r1"]!.toFixed(1)}`);
    assert.ok(seconds < 20, `the run took ${seconds.toFixed(1)} s`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
