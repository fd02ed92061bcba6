import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";
import { compareBaseline } from "../harness/compareBaseline.js";

async function explain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const host = memoryHost({}, repoRoot());
  const code = await runCli(["explain", ...args], host);
  return { code, out: host.out, err: host.err };
}

const t = suite("lavisc explain");
t("text output of a project, with every value's origin (golden)", async () => {
  const r = await explain(["projects/blip/caption_coco_ft.lv"]);
  assert.is(r.code, 0);
  compareBaseline("test/baselines/explain/caption_coco_ft.txt", r.out);
});
t("one key: a derived default names its formula and its input", async () => {
  const r = await explain(["projects/blip/caption_coco_ft.lv", "recipe.warmup_lr"]);
  assert.match(r.out.trim(), /^run\.warmup_lr = 1e-05  default "= init_lr" \(stdlib\/recipe\.lv:\d+\); init_lr set at projects\/blip\/caption_coco_ft\.lv:19$/);
});
t("json: LAVIS's sections in config, origins by dotted path", async () => {
  const r = await explain(["projects/blip/retrieval_coco_ft.lv", "--format", "json"]);
  const j = JSON.parse(r.out);
  assert.equal(Object.keys(j.config), ["model", "preprocess", "datasets", "run"]);
  assert.is(j.config.run.init_lr, 2e-5);
  assert.is(j.config.run.k_test, 256);
  assert.equal(j.origins["run.init_lr"], { kind: "file", file: "projects/blip/retrieval_coco_ft.lv", line: 22, from: null });
  assert.is(j.origins["model.queue_size"].kind, "file");
  assert.is(j.origins["model.vit_type"].kind, "model-default");
  assert.is(j.origins["datasets.coco_retrieval.build_info.images.storage"].kind, "dataset-default");
  assert.is(j.origins["run.seed"].kind, "file");
  assert.is(j.origins["run.beta2"].kind, "schema-default");
  assert.is(j.origins["run.warmup_lr"].kind, "derived");
});
t("overrides win and say so", async () => {
  const r = await explain(["projects/blip/retrieval_coco_ft.lv", "run.init_lr", "--set", "recipe.init_lr=3e-5"]);
  assert.is(r.out.trim(), "run.init_lr = 3e-05  --set recipe.init_lr=3e-5");
  const o = await explain(["projects/blip/retrieval_coco_ft.lv", "run.init_lr", "--options", "run.init_lr", "4e-5"]);
  assert.is(o.out.trim(), "run.init_lr = 4e-05  --options run.init_lr=4e-5");
});
t("a value inside an --options map says which option it came from", async () => {
  const r = await explain(["projects/blip/retrieval_coco_ft.lv", "datasets.coco_retrieval.vis_processor.train.image_size", "--options", "datasets.coco_retrieval.vis_processor.train={image_size: 384}"]);
  assert.is(r.out.trim(), "datasets.coco_retrieval.vis_processor.train.image_size = 384  --options datasets.coco_retrieval.vis_processor.train={image_size: 384}");
});
t("an --options value `${a.b}` is an interpolation, as OmegaConf.from_dotlist reads it (it was the literal text)", async () => {
  const r = await explain(["projects/blip/retrieval_coco_ft.lv", "run.warmup_lr", "--options", "run.warmup_lr=${run.min_lr}"]);
  assert.match(r.out.trim(), /^run\.warmup_lr = 0 /);
  const dangling = await explain(["projects/blip/retrieval_coco_ft.lv", "--options", "run.warmup_lr=${run.nope}"]);
  assert.match(dangling.err, /error\[LV2012\]: Cannot resolve the reference `\$\{run\.nope\}`/);
});
t("a YAML file that is not a LAVIS config, or an empty one, has nothing to explain (it printed ` = {}  model default  ()`)", async () => {
  for (const [text, why] of [["name: env\ndependencies: [python]\n", "it is not a LAVIS config"], ["", "the experiment is empty"]] as const) {
    const host = memoryHost({ "/w/f.yaml": text }, "/w");
    await runCli(["explain", "f.yaml"], host);
    assert.is(host.out, "");
    assert.match(host.err, new RegExp(`(^|\\n)f\\.yaml: nothing to explain: ${why}`));
    const json = memoryHost({ "/w/f.yaml": text }, "/w");
    await runCli(["explain", "f.yaml", "--format", "json"], json);
    const parsed = JSON.parse(json.out) as { config: unknown; origins: unknown };
    assert.equal([parsed.config, parsed.origins], [{}, {}], "no origin for a key named \"\"");
  }
});
t("an experiment left empty by an error (a base that is missing) shows that error, for the whole and for a KEY", async () => {
  for (const argv of [["n.lv"], ["n.lv", "recipe.init_lr"]]) {
    const host = memoryHost({ "/w/n.lv": 'experiment n extends "nope.lv" {\n}\n' }, "/w");
    assert.is(await runCli(["explain", ...argv], host), 1, argv.join(" "));
    assert.match(host.err, /error\[LV2014\]: Cannot find the experiment `nope\.lv` to extend\.\n --> n\.lv:1:22/);
  }
});
t("a KEY the experiment does not have is a usage error, exit 2", async () => {
  const r = await explain(["projects/blip/retrieval_coco_ft.lv", "run.nope"]);
  assert.is(r.code, 2);
});
t.run();
