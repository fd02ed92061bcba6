import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";

const withDevice = (value: string) => edit("min_lr = 0", `min_lr = 0\n    device = ${value}`);

const t = suite("rules: devices (LV2036)");
t("the stdlib's devices check clean, quoted or not", () => {
  for (const d of ["cuda", '"cuda"', "cpu", "webgpu", '"wasm"', "auto"]) assert.equal(codes(withDevice(d)), [], d);
});
t("`gpu` is not read as `cpu` (the closest spelling): the hint names cuda and webgpu", () => {
  const { diags } = diagnose(withDevice('"gpu"'));
  assert.equal(diags.map((d) => d.code), ["LV2036"]);
  assert.match(diags[0]!.message, /Unknown device `gpu`/);
  assert.match(diags[0]!.hint!, /`cuda` or `webgpu`/);
  assert.not.match(diags[0]!.hint!, /`cpu`/);
});
t("`mps` points Apple GPUs to webgpu; a typo gets did-you-mean; `cuda:0` says how to pick a GPU", () => {
  assert.match(diagnose(withDevice('"mps"')).diags[0]!.hint!, /`webgpu`: Apple GPUs run through WebGPU \(Metal\)/);
  assert.match(diagnose(withDevice('"cudaa"')).diags[0]!.hint!, /Did you mean `cuda`\?.*Valid devices: `cuda`, `cpu`, `webgpu`, `wasm`, `auto`/);
  assert.match(diagnose(withDevice('"cuda:0"')).diags[0]!.hint!, /CUDA_VISIBLE_DEVICES/);
});
t("position, path, and the same in YAML and through --set", () => {
  assert.equal(codes(withDevice('"gpu"'), { withPath: true }), [{ code: "LV2036", line: 15, column: 14, path: "run.device" }]);
  const yaml = "model:\n  arch: blip_retrieval\n  model_type: coco\ndatasets:\n  coco_retrieval: {}\nrun:\n  task: retrieval\n  init_lr: 2e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 2\n  batch_size_eval: 2\n  k_test: 4\n  output_dir: out\n  device: mps\n";
  assert.equal(codes(yaml, { name: "/virtual/exp.yaml" }).filter((c) => c.code === "LV2036").map((c) => c.line), [15]);
  assert.equal(codes(withDevice("cuda"), { sets: ['recipe.device="gpu"'] }).map((c) => c.code), ["LV2036"]);
});
t.run();
