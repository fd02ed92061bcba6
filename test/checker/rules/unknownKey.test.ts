import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, base, diagnose, edit } from "../harness.js";

const t = suite("rule: unknownKey (LV2001)");
t("the base experiment is clean", () => assert.equal(codes(base), []));
t("an unknown recipe key, with the LAVIS name suggested", () => {
  assert.equal(codes(edit("max_epoch = 6", "max_epoch = 6\n    epochs = 6")), [{ code: "LV2001", line: 16, column: 5 }]);
});
t("an unknown model key", () => {
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = false\n    queue_sise = 10"), { withPath: true }), [{ code: "LV2001", line: 5, column: 5, path: "model.queue_sise" }]);
});
t("a known model key of the arch's default config passes", () => {
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = false\n    queue_size = 6400")), []);
});
t("an unknown processor parameter", () => {
  assert.equal(codes(edit("blip_image_train { image_size = 384 }", "blip_image_train { image_size = 384, min_scal = 0.5 }"), { withPath: true }), [
    { code: "LV2001", line: 7, column: 64, path: "datasets.coco_retrieval.vis_processor.train.min_scal" },
  ]);
});
t("an unknown dataset key", () => {
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption\n    data_typ = \"images\"")), [{ code: "LV2001", line: 11, column: 5 }]);
});
t("a processor section's slot other than train and eval (LAVIS builds those two and reads no other), with did-you-mean", () => {
  const found = codes(edit("text_processor.eval = blip_caption", "text_processor.evl = blip_caption"), { withPath: true });
  assert.equal(found.map((c) => [c.code, c.path]), [["LV2001", "datasets.coco_retrieval.text_processor.evl"]]);
  const { diags } = diagnose(edit("text_processor.eval = blip_caption", "text_processor.evl = blip_caption"));
  assert.match(diags[0]!.hint ?? "", /Did you mean `eval`\?/);
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption\n    kw_processor.inp_vis_processor = blip_image_eval")).filter((c) => c.code === "LV2001"), [], "kw_processor's keys are free names");
});
const hintOf = (source: string, key: string, name?: string) => diagnose(source, name ? { name } : {}).diags.find((d) => d.code === "LV2001" && d.path?.endsWith(`.${key}`))?.hint;
t("a key of another section is misplaced, not misspelt: the hint says where it belongs and suggests no other key", () => {
  const inRecipe = edit("k_test = 256", "k_test = 256\n    queue_size = 64\n    max_txt_len = 16\n    image_size = 384");
  assert.is(hintOf(inRecipe, "queue_size"), "`queue_size` is a key of the model (`blip_retrieval`), not of the recipe: move it into `model`.");
  assert.is(hintOf(inRecipe, "max_txt_len"), "`max_txt_len` is a key of the model (`blip_retrieval`), not of the recipe: move it into `model`.", "not `max_len`, the generation length");
  assert.is(
    hintOf(inRecipe, "image_size"),
    "`image_size` is a key of the model (`blip_retrieval`), processor `blip_image_train` and processor `blip_image_eval`, not of the recipe: move it into `model`, `vis_processor.train` of `data coco_retrieval` or `vis_processor.eval` of `data coco_retrieval`.",
    "not `num_beams` (by distance, `image_size` is near the alias `beam_size`)",
  );
  assert.is(hintOf(edit("load_finetuned = false", "load_finetuned = false\n    init_lr = 1e-4"), "init_lr"), "`init_lr` is a key of the recipe, not of the model (`blip_retrieval`): move it into `recipe`.");
  assert.is(hintOf(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption\n    min_scale = 0.5"), "min_scale"), "`min_scale` is a key of processor `blip_image_train`, not of dataset `coco_retrieval`: move it into `vis_processor.train` of `data coco_retrieval`.");
});
t("LAVIS YAML: a `run:` key of the model is misplaced, in YAML's names", () => {
  const yaml = `model:\n  arch: blip_retrieval\n  model_type: coco\ndatasets:\n  coco_retrieval:\n    vis_processor:\n      train:\n        name: blip_image_train\nrun:\n  task: retrieval\n  queue_size: 64\n`;
  assert.is(hintOf(yaml, "queue_size", "/virtual/exp.yaml"), "`queue_size` is a key of the model (`blip_retrieval`), not of `run`: move it into `model`.");
  assert.is(hintOf(yaml.replace("  task: retrieval", "  task: retrieval\n  data_type: images"), "data_type", "/virtual/exp.yaml"), "`data_type` is a key of dataset `coco_retrieval`, not of `run`: move it into `datasets.coco_retrieval`.");
});
t("another framework's name is translated only when it is spelt as such, not when it is merely near one", () => {
  assert.is(hintOf(edit("max_epoch = 6", "max_epoch = 6\n    lerning_rate = 1e-4"), "lerning_rate"), "Did you mean `init_lr`? It is LAVIS's name for learning rate.");
  // No model to own `queue_size` (its arch is unknown): still not `num_beams`, which `beam_size` translates.
  const noArch = edit("model blip_retrieval(coco)", "model blip_retrievl(coco)", edit("k_test = 256", "k_test = 256\n    queue_size = 64"));
  assert.not.match(hintOf(noArch, "queue_size") ?? "", /num_beams/);
});
t.run();
