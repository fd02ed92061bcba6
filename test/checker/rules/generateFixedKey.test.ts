import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkFile } from "../../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../../src/compiler/lower.js";
import { diagnose } from "../harness.js";

// LV4093 and the values the tfjs engine generates with: BlipCaption.generate (blip_caption.py) takes no
// length_penalty and no temperature, so HF's generate scores its beams with length_penalty 1.0 whatever the recipe
// says (stdlib/evaluation.lv `generate_fixed`); BlipVQA.generate_answers passes no penalty at all.

function yaml(arch: string, modelType: string, task: string, builder: string, run: string): string {
  return `model:
  arch: ${arch}
  model_type: ${modelType}
  load_finetuned: false
datasets:
  ${builder}:
    vis_processor:
      train: { name: blip_image_train }
      eval: { name: blip_image_eval }
    text_processor:
      train: { name: ${task === "captioning" ? "blip_caption" : "blip_question"} }
      eval: { name: ${task === "captioning" ? "blip_caption" : "blip_question"} }
run:
  task: ${task}
  init_lr: 1.0e-5
  min_lr: 0
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  train_splits: [train]
  valid_splits: [val]
  test_splits: [test]
  num_beams: 3
  max_len: 20
  min_len: 5
${run}`;
}

const caption = (run: string) => yaml("blip_caption", "base_coco", "captioning", "coco_caption", run);
const lv4093 = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4093");

function taskParams(src: string): Record<string, unknown> {
  const name = "/virtual/exp.yaml";
  const checked = checkFile(name, { readFile: (p: string) => { if (p === name) return src; throw new Error(p); }, exists: (p: string) => p === name }, { sets: [], options: [] });
  return runSpecOf(lowerToGraph(checked.resolved!).graph).taskParams as Record<string, unknown>;
}

const t = suite("rules: generation keys the model's generate does not take (LV4093)");
t("length_penalty and temperature set for blip_caption: each warned, at its key, with the stdlib's declaration", () => {
  const found = lv4093(caption("  length_penalty: 0.0\n  temperature: 0.7\n  repetition_penalty: 1.3\n"));
  assert.equal(found.map((d) => d.path), ["run.length_penalty", "run.temperature"]);
  assert.is(found[0]!.severity, "warning");
  assert.match(found[0]!.message, /`length_penalty` is 0, but model `blip_caption` ignores it: task `captioning` passes it to the model's generate, which takes no length_penalty, so the model generates with length_penalty 1\.0\./);
  assert.match(found[0]!.related?.[0]?.message ?? "", /blip_caption's generate takes no length_penalty/);
});
t("left to the task's default, or a model whose generate takes it (BLIP-2): nothing", () => {
  assert.equal(lv4093(caption("")), []);
  assert.equal(lv4093(yaml("blip2_opt", "caption_coco_opt2.7b", "captioning", "coco_caption", "  length_penalty: 0.0\n")), []);
});
t("the tfjs engine generates blip_caption's captions with length_penalty 1 and the recipe's repetition_penalty", () => {
  const set = taskParams(caption("  length_penalty: 0.0\n  repetition_penalty: 1.3\n"));
  assert.is(set["length_penalty"], 1);
  assert.is(set["repetition_penalty"], 1.3);
  const byDefault = taskParams(caption(""));
  assert.is(byDefault["length_penalty"], 1, "not the task's documented 0.0");
  assert.is(byDefault["repetition_penalty"], 1.15, "the current CaptionTask's default, which it passes to generate");
});
t("blip_vqa generating answers: HF's penalties, which VQATask never passes; ranking gets none", () => {
  const vqa = (method: string) => taskParams(yaml("blip_vqa", "vqav2", "vqa", "coco_vqa", `  inference_method: ${method}\n`));
  assert.equal([vqa("generate")["repetition_penalty"], vqa("generate")["length_penalty"]], [1, 1]);
  assert.is(vqa("rank")["length_penalty"], undefined);
});
t.run();
