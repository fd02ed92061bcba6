// LV4017: a placeholder path (`/path/to/...`, `<path_to_ckpt>`, TODO) warns where the user wrote it, and where a LAVIS
// default config supplies it (X-InstructBLIP's model types ship `llm_model: "/path/to/vicuna-7b"`): then at the
// nearest place the experiment writes, with the default as a related location and a hint to set the key.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

const xinstruct = (modelExtra: string) => `model:
  arch: blip2_vicuna_xinstruct
  model_type: vicuna7b
${modelExtra}datasets:
  coco_caption: {}
run:
  task: captioning
  evaluate: true
  batch_size_eval: 2
  output_dir: o
  test_splits: [test]
`;
const placeholders = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4017");

const t = suite("rule placeholder (LV4017)");
t("written by the user: at the value", () => {
  const src = xinstruct('  llm_model: "/path/to/my-vicuna"\n');
  const [d, ...rest] = placeholders(src);
  assert.equal(rest, []);
  assert.is(d!.message, '`model.llm_model` looks like a placeholder: "/path/to/my-vicuna".');
  assert.is(d!.hint, "Replace it with the real path before running.");
  const at = codes(src, { name: "/virtual/exp.yaml" }).find((c) => c.code === "LV4017")!;
  assert.equal([at.line, at.column], [4, 14]);
});
t("inherited from the model type's default config: at the model section, naming the default", () => {
  const [d, ...rest] = placeholders(xinstruct(""));
  assert.equal(rest, []);
  assert.is(d!.path, "model.llm_model");
  assert.match(d!.message, /looks like a placeholder: "\/path\/to\/vicuna-7b"/);
  assert.match(d!.hint ?? "", /^It comes from the model's default config.*: set `llm_model` in the experiment to the real path before running\.$/);
  assert.ok(d!.related.some((r) => r.message === "the default it comes from"));
  assert.is(codes(xinstruct(""), { name: "/virtual/exp.yaml" }).find((c) => c.code === "LV4017")!.line, 1);
});
t("a sentence asking to set the value (MiniGPT-4 ships `please set this value to the path of ...`)", () => {
  const [d] = placeholders(xinstruct('  llm_model: "please set this value to the path of vicuna model"\n'));
  assert.is(d?.path, "model.llm_model");
  for (const prompt of ["Please describe the image.", "Please provide a short description of the image.", "Please set the scene in one sentence."]) {
    assert.equal(placeholders(xinstruct(`  prompt: "${prompt}"\n`)).filter((x) => x.path === "model.prompt"), [], prompt);
  }
});
t("a real path, set or inherited, is not a placeholder", () => {
  assert.equal(placeholders(xinstruct('  llm_model: "lmsys/vicuna-7b-v1.1"\n')), []);
  assert.equal(placeholders(xinstruct("").replace("blip2_vicuna_xinstruct", "blip2_opt").replace("vicuna7b", "pretrain_opt2.7b")), []);
});
t.run();
