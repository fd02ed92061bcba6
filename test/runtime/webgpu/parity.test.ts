// WebGPU against wasm, per model: one training step from the same seed and batch gives the same losses and gradients
// (tolerance in parity.ts); a short `lavisc run` (runner_iter, 2 inner epochs of 1 step) logs the same train_ values to 2
// decimals; a checkpoint written on one backend resumes on the other with the same next losses. The feature extractor
// does not train: its features of a checkpoint written on wasm are the same on WebGPU. On a machine without a WebGPU
// adapter these tests are skipped (a failure under CI=true: .ci/run installs Mesa's GLES driver, a software adapter).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareDataset } from "../../../src/data/index.js";
import { repoRoot } from "../../harness/repoRoot.js";
import { noDecayOf } from "../../harness/runnerFacts.js";
import * as tf from "@tensorflow/tfjs";
import { decodeSafetensors } from "../../../src/runtime/checkpoint/safetensors.js";
import { initBackend } from "../../../src/runtime/backend/initBackend.js";
import { setFusedUpdates } from "../../../src/runtime/backend/webgpuKernels.js";
import { AdamW } from "../../../src/runtime/optim/adamW.js";
import { momentumUpdate } from "../../../src/runtime/nn/momentum.js";
import { Rng } from "../../../src/runtime/train/rng.js";
import { assertSameStep, compileSpec, firstBatch, lavisRun, parityTest, project, SHORT_RUN, stepOn, twoDecimals, webgpuUnavailable } from "./parity.js";

const unavailable = await webgpuUnavailable();
const tmp = mkdtempSync(join(tmpdir(), "lavisc-webgpu-"));
const dataRoot = join(tmp, "data");
if (!unavailable) prepareDataset("shapes", { root: dataRoot });

const MODELS = [
  { name: "retrieval (blip_retrieval)", file: "retrieval_shapes.lv", sets: [] },
  { name: "captioning (blip_caption)", file: "caption_shapes.lv", sets: [] },
  { name: "VQA (blip_vqa)", file: "vqa_shapes.lv", sets: [] },
  { name: "classification (blip_classification)", file: "classification_shapes.lv", sets: [] },
  { name: "ALBEF classification (albef_classification)", file: "classification_shapes.lv", sets: ['model.arch="albef_classification"', "model.fusion_layer=1"] },
  { name: "CLIP (clip)", file: "clip", sets: [] },
] as const;

// CLIP on the retrieval quickstart's data: its own project file, so the clip arch's defaults fill its model (a --set of
// model.arch keeps the file's arch defaults, as LAVIS's build_model_config does), sized for the 32-pixel shapes.
const clipFile = join(tmp, "clip_shapes.lv");
writeFileSync(clipFile, readFileSync(project("retrieval_shapes.lv"), "utf8").replace("model blip_retrieval(tiny)", "model clip(tiny) {\n    image_size = 32\n    patch_size = 8\n  }"));
const fileOf = (f: string) => (f === "clip" ? clipFile : project(f));

const timer = (what: string) => {
  let last = performance.now();
  return (step: string) => {
    if (process.env["PARITY_TIMES"]) console.log(`${what}: ${step} ${((performance.now() - last) / 1000).toFixed(1)} s`);
    last = performance.now();
  };
};
const device = (d: string) => `recipe.device=${JSON.stringify(d)}`;
let retrievalCheckpoint = "";
let n = 0;

const t = suite("WebGPU parity with wasm");
for (const m of MODELS) {
  parityTest(t, `${m.name}: one step, a short run, and checkpoints across backends`, unavailable, async () => {
    const sets = [...m.sets, ...SHORT_RUN];
    const spec = compileSpec(fileOf(m.file), [...sets, device("wasm")], dataRoot);
    const { batch, vocab } = await firstBatch(spec);
    const clock = timer(m.name);
    const onWasm = await stepOn("wasm", spec, vocab, batch);
    clock("wasm step");
    const onGpu = await stepOn("webgpu", spec, vocab, batch);
    clock("webgpu step");
    batch.image.dispose();
    assertSameStep(onWasm, onGpu, m.name);

    const out = (what: string) => join(tmp, `${n++}-${what}`);
    const a = await lavisRun(fileOf(m.file), [...sets, device("wasm")], dataRoot, out("wasm"));
    clock("wasm run");
    const b = await lavisRun(fileOf(m.file), [...sets, device("webgpu")], dataRoot, out("webgpu"));
    clock("webgpu run");
    assert.is(a.trainLines.length, 2);
    assert.equal(twoDecimals(b.trainLines), twoDecimals(a.trainLines), "train_ lines of wasm and webgpu");
    if (m.file === "retrieval_shapes.lv" && !m.sets.length) retrievalCheckpoint = join(a.dir, "checkpoint_2.json");

    const resume = (dir: string) => `recipe.resume_ckpt_path=${JSON.stringify(join(dir, "checkpoint_1.json"))}`;
    const wasmToGpu = await lavisRun(fileOf(m.file), [...sets, device("webgpu"), resume(a.dir)], dataRoot, out("wasm-to-webgpu"));
    clock("webgpu resume");
    const gpuToWasm = await lavisRun(fileOf(m.file), [...sets, device("wasm"), resume(b.dir)], dataRoot, out("webgpu-to-wasm"));
    assert.equal(twoDecimals(wasmToGpu.trainLines), twoDecimals(a.trainLines.slice(1)), "written on wasm, resumed on webgpu");
    assert.equal(twoDecimals(gpuToWasm.trainLines), twoDecimals(a.trainLines.slice(1)), "written on webgpu, resumed on wasm");
  });
}

parityTest(t, "the fused WebGPU AdamW and EMA kernels give the tf-ops path's numbers", unavailable, async () => {
  assert.ok((await initBackend("webgpu")).ok);
  const run = async (fused: boolean) => {
    setFusedUpdates(fused);
    const rng = new Rng(3);
    const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const params = new Map<string, tf.Variable>([["w.weight", tf.variable(tf.tensor2d(values(12), [3, 4]))], ["w.bias", tf.variable(tf.tensor1d(values(4)))]]);
    const copy = tf.variable(tf.tensor1d(values(4)));
    const opt = new AdamW(params, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
    for (let s = 0; s < 3; s++) {
      const grads = { "w.weight": tf.tensor2d(values(12), [3, 4]), "w.bias": tf.tensor1d(values(4)) };
      opt.apply(grads, 1e-2);
      momentumUpdate([[copy, params.get("w.bias")!]], 0.9);
      tf.dispose(Object.values(grads));
    }
    const out = await Promise.all([...params.values(), ...opt.expAvg.values(), ...opt.expAvgSq.values(), copy].map((v) => v.data()));
    opt.dispose();
    tf.dispose([...params.values(), copy]);
    setFusedUpdates(true);
    return out.flatMap((a) => [...a]);
  };
  const fused = await run(true);
  const ops = await run(false);
  fused.forEach((x, i) => assert.ok(Math.abs(x - ops[i]!) <= 1e-6 * Math.max(1, Math.abs(x)), `value ${i}: ${x} (fused) vs ${ops[i]} (tf ops)`));
});

parityTest(t, "feature extractor (blip_feature_extractor): the same features and zero-shot metrics from a wasm checkpoint", unavailable, async () => {
  assert.ok(retrievalCheckpoint, "the retrieval case ran first");
  const sets = [`model.finetuned=${JSON.stringify(retrievalCheckpoint)}`, "recipe.batch_size_eval=100"];
  const runs = [];
  for (const d of ["wasm", "webgpu"]) runs.push(await lavisRun(project("features_shapes.lv"), [...sets, device(d)], dataRoot, join(tmp, `features-${d}`)));
  const features = runs.map((r) => {
    const st = decodeSafetensors(readFileSync(join(r.dir, "result", "test_features.safetensors")));
    if (!st.ok) throw new Error(st.error);
    return st.tensors;
  });
  for (const [name, x] of features[0]!) {
    const y = features[1]!.get(name)!;
    assert.equal(y.shape, x.shape, name);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < x.data.length; i++) {
      scale = Math.max(scale, Math.abs(x.data[i]!));
      diff = Math.max(diff, Math.abs(x.data[i]! - y.data[i]!));
    }
    assert.ok(diff <= 1e-4 * scale + 1e-6, `${name}: max difference ${diff} (scale ${scale})`);
  }
  const metrics = runs.map((r) => readFileSync(join(r.dir, "evaluate.txt"), "utf8"));
  assert.is(metrics[1], metrics[0], "evaluate.txt");
});


// The binary runs the bundle (tools/bundle.mjs), not these modules: Dawn's native module must still be found there.
parityTest(t, "the lavisc binary finds the adapter too (plan names it)", unavailable, async () => {
  const r = spawnSync(process.execPath, [join(repoRoot(), "bin", "lavisc.cjs"), "plan", project("retrieval_shapes.lv"), "--set", 'recipe.device="webgpu"'], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /webgpu -> webgpu \(@tensorflow\/tfjs-backend-webgpu\) on webgpu: /);
});

t.run();
