// LV3029 / LV3030: a med config whose hidden_act or position_embedding_type the tfjs engine cannot build is reported
// (check warns, plan refuses), never silently built as gelu / absolute; its layer_norm_eps and initializer_range are
// read (stdlib/encoders.lv MedConfig) and reach the model config the runtime builds from.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";
import { shapesRetrieval } from "../harness.js";

const experiment = shapesRetrieval(`blip_retrieval(tiny) {
    med_config_path = "med.json"
  }`);
const bert = { hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 256, vocab_size: 4096, max_position_embeddings: 64 };
const host = (med: Record<string, unknown>) => memoryHost({ "/w/exp.lv": experiment, "/w/med.json": JSON.stringify({ ...bert, ...med }) }, "/w");

const t = suite("graph rule medConfigSupport (LV3029, LV3030)");
t("hidden_act other than gelu: check warns at med_config_path, plan refuses", async () => {
  const c = host({ hidden_act: "relu" });
  assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
  assert.match(c.out, /warning\[LV3029\]: The med config's hidden_act is "relu", which the tfjs engine cannot build/);
  assert.match(c.out, /med_config_path = "med.json"/);
  const p = host({ hidden_act: "relu" });
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], p), 1);
  assert.match(p.err, /error\[LV3029\]/);
});
t("relative position embeddings: check warns, plan refuses", async () => {
  const c = host({ position_embedding_type: "relative_key" });
  assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
  assert.match(c.out, /warning\[LV3030\]: The med config's position_embedding_type is "relative_key"/);
  const p = host({ position_embedding_type: "relative_key" });
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], p), 1);
  assert.match(p.err, /error\[LV3030\]/);
});
t("gelu and absolute, written or left out, are what the engine builds: nothing to report", async () => {
  for (const med of [{}, { hidden_act: "gelu", position_embedding_type: "absolute" }]) {
    const c = host(med);
    assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
    assert.not.match(c.out, /LV3029|LV3030/);
  }
});
t("layer_norm_eps and initializer_range of the file reach the model config", async () => {
  const c = host({ layer_norm_eps: 1e-5, initializer_range: 0.05 });
  assert.is(await runCli(["explain", "exp.lv"], c), 0, c.out + c.err);
  assert.match(c.out, /model\.text_layer_norm_eps = 1e-05 /);
  assert.match(c.out, /model\.text_initializer_range = 0\.05 /);
});
t("a value of the wrong type for its MedConfig field is LV4020", async () => {
  const c = host({ layer_norm_eps: "small" });
  assert.is(await runCli(["check", "exp.lv"], c), 1, c.out);
  assert.match(c.out, /error\[LV4020\][^\n]*"layer_norm_eps" in \/w\/med.json must be float\(> 0\), got "small"/);
});
t.run();
