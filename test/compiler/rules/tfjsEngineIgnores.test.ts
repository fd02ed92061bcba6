// LV4082: recipe values LAVIS honours that lavisc's tfjs engine does not (the `tfjs_engine { warn ... }` blocks of
// stdlib/tasks.lv and stdlib/training.lv): `plan` and `run` warn, naming what the engine does instead; `check` stays
// quiet, since LAVIS may run the experiment and honours them.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";

const quickstart = (name: string) => readFileSync(`projects/quickstart/${name}.lv`, "utf8");
const host = (name: string) => memoryHost({ "/w/exp.lv": quickstart(name) }, "/w");
const sets = (...kv: string[]) => kv.flatMap((s) => ["--set", s]);

/** The keys LV4082 names in `plan`'s diagnostics, and the exit status; `check`'s output must not mention LV4082. */
async function reported(name: string, ...kv: string[]): Promise<string[]> {
  const c = host(name);
  assert.is(await runCli(["check", "exp.lv", ...sets(...kv)], c), 0, c.out + c.err);
  assert.not.match(c.out + c.err, /LV4082/);
  const p = host(name);
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent", ...sets(...kv)], p), 0, p.err);
  return [...p.err.matchAll(/warning\[LV4082\]: `(\w+)`/g)].map((m) => m[1]!).sort();
}

const t = suite("graph rule tfjsEngineIgnores (LV4082)");
t("amp: mixed precision is LAVIS's CUDA engine only", async () => {
  assert.equal(await reported("classification_shapes", "recipe.amp=true"), ["amp"]);
  const p = host("classification_shapes");
  await runCli(["plan", "exp.lv", "--data-root", "/nonexistent", "--set", "recipe.amp=true"], p);
  assert.match(p.err, /`amp` is true, but mixed precision is LAVIS's CUDA engine only; lavisc trains in fp32/);
  assert.equal(await reported("classification_shapes", "recipe.amp=false"), []);
  assert.equal(await reported("classification_shapes", "recipe.amp=true", "recipe.runner=runner_iter", "recipe.max_iters=24", "recipe.iters_per_inner_epoch=12"), ["amp"]);
});
t("captioning's ground-truth keys: the tfjs engine scores every image of the split against its own captions", async () => {
  assert.equal(await reported("caption_shapes",
    'recipe.annotation_file="/nonexistent/gt.json"', "recipe.img_ids=[1,2,3]", 'recipe.caption_key="nokey"',
    'recipe.sample_id_key="id"', 'recipe.load_gt_from_file="/nonexistent/gt.csv"'),
  ["annotation_file", "caption_key", "img_ids", "load_gt_from_file", "sample_id_key"]);
});
t("values the tfjs engine behaves as are not reported", async () => {
  assert.equal(await reported("caption_shapes", "recipe.img_ids=[]", 'recipe.caption_key="caption"', 'recipe.sample_id_key="image_id"'), []);
});
t("VQA's anno_files and ques_files: the tfjs engine scores the split against its own answers", async () => {
  assert.equal(await reported("vqa_shapes", 'recipe.anno_files.val="/x/a.json"', 'recipe.ques_files.val="/x/q.json"'), ["anno_files", "ques_files"]);
});
t("run prints them with its other diagnostics, before it starts", async () => {
  // num_beams 100 is an error (LV5009) that stops the run before any data is prepared.
  const r = host("caption_shapes");
  assert.is(await runCli(["run", "exp.lv", "--data-root", "/nonexistent/data", "--quiet", "--set", "recipe.amp=true", "--set", "recipe.num_beams=100"], r), 1);
  assert.match(r.err, /error\[LV5009\]/);
  assert.match(r.err, /warning\[LV4082\]: `amp` is true/);
});
t.run();
