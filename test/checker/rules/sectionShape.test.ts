import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";

// A section, a dataset entry or a processor slot that is not a mapping: LAVIS stops on each (`'int' object has no
// attribute 'arch'`, `'bool' object has no attribute 'get'`, `'str' object has no attribute 'name'`). lavisc said
// "no problems" for the last two, and for the others only what followed from them (no model, no task, every split
// without data). Found by a differential fuzz of mutated corpus projects against LAVIS's merge.

const t = suite("rules: sections and entries that are not mappings (LV3001)");

const PROJECT = `model:
  arch: blip_caption
  model_type: base_coco
datasets:
  coco_caption:
    vis_processor:
      train:
        name: blip_image_train
      eval:
        name: blip_image_eval
    text_processor:
      train:
        name: blip_caption
      eval:
        name: blip_caption
run:
  task: captioning
  lr_sched: linear_warmup_cosine_lr
  init_lr: 1e-5
  min_lr: 0
  max_epoch: 5
  batch_size_train: 32
  batch_size_eval: 64
  output_dir: output/x
`;

async function errors(text: string): Promise<{ found: string[]; out: string }> {
  const h = memoryHost({ "/w/p.yaml": text }, "/w");
  await runCli(["check", "p.yaml"], h);
  return { found: [...h.out.matchAll(/^error\[(LV\d+)\]: `?([^`\s]*)/gm)].map((m) => `${m[1]} ${m[2]}`), out: h.out };
}

t("the project checks clean", async () => {
  assert.equal((await errors(PROJECT)).found, []);
});

const CASES: [string, string, string][] = [
  ["datasets: a scalar", PROJECT.replace(/datasets:\n[\s\S]*?\nrun:/, "datasets: 1e-5\nrun:"), "LV3001 datasets"],
  ["datasets: a list", PROJECT.replace(/datasets:\n[\s\S]*?\nrun:/, "datasets: [coco_caption]\nrun:"), "LV3001 datasets"],
  ["a dataset entry that is a bool", PROJECT.replace(/  coco_caption:\n[\s\S]*?\nrun:/, "  coco_caption: true\nrun:"), "LV3001 datasets.coco_caption"],
  ["model: an int", PROJECT.replace(/model:\n[\s\S]*?\ndatasets:/, "model: 5\ndatasets:"), "LV3001 model"],
  ["run: a list", PROJECT.replace(/run:\n[\s\S]*$/, "run: [1]\n"), "LV3001 run"],
  ["build_info.annotations that is a string", PROJECT.replace("    vis_processor:\n", "    build_info:\n      annotations: x\n    vis_processor:\n"), "LV3001 datasets.coco_caption.build_info.annotations"],
  ["an annotation split that is a number", PROJECT.replace("    vis_processor:\n", "    build_info:\n      annotations:\n        train: 5\n    vis_processor:\n"), "LV3001 datasets.coco_caption.build_info.annotations.train"],
  ["a processor slot that is a name", PROJECT.replace("      train:\n        name: blip_image_train", "      train: blip_image_train"), "LV3001 datasets.coco_caption.vis_processor.train"],
];
for (const [what, text, expected] of CASES) {
  t(`${what}: one LV3001, no missing section, value or split data after it`, async () => {
    assert.equal((await errors(text)).found, [expected]);
  });
}

t("a processor slot given as a name says how to write it", async () => {
  const r = await errors(PROJECT.replace("      train:\n        name: blip_image_train", "      train: blip_image_train"));
  assert.match(r.out, /help: A processor is a mapping with its `name`: `train: \{name: blip_image_train\}`\./);
});

t("a null dataset entry is not a shape error (the builder loads its default config)", async () => {
  const r = await errors(PROJECT.replace(/  coco_caption:\n[\s\S]*?\nrun:/, "  coco_caption:\nrun:"));
  assert.not.ok(r.found.some((f) => f.startsWith("LV3001")), r.out);
});

t("`datasets:` with nothing under it (null) is an experiment without datasets (LV2018), as LAVIS stops on it", async () => {
  const r = await errors(PROJECT.replace(/datasets:\n[\s\S]*?\nrun:/, "datasets:\nrun:"));
  assert.equal(r.found.filter((f) => f.startsWith("LV2018") || f.startsWith("LV3001")), ["LV2018 The"], r.out);
  assert.match(r.out, /The experiment has no dataset\./);
});

t.run();
