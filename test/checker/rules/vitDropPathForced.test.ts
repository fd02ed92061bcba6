import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkFile } from "../../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../../src/compiler/lower.js";
import { forcedVitDropPath } from "../../../src/semantic/facts.js";
import { base, captionYaml, diagnose, edit } from "../harness.js";

// LV4094: VisionTransformerEncoder.from_config (lavis/models/vit.py @28d9d9e) passes `0.1 or drop_path_rate` for
// vit_type large, always 0.1, and `0 or drop_path_rate` for base; a user's vit_drop_path_rate on a large ViT is
// ignored (stdlib/encoders.lv `vit_drop_path_forced`).

const yaml = (modelType: string, model: string) => captionYaml("blip_caption", modelType, model);

const name = "/virtual/exp.yaml";
const lv4094 = (src: string, file = name) => diagnose(src, { name: file }).diags.filter((d) => d.code === "LV4094");
const lvModel = (lines: string) => edit("    load_finetuned = false\n", `    load_finetuned = false\n${lines}`, base);

function vitDropPath(src: string): unknown {
  const checked = checkFile(name, { readFile: (p: string) => { if (p === name) return src; throw new Error(p); }, exists: (p: string) => p === name }, { sets: [], options: [] });
  return (runSpecOf(lowerToGraph(checked.resolved!).graph).model.config as Record<string, unknown>)["vit_drop_path"];
}

const t = suite("rules: vit_drop_path_rate on a ViT whose rate LAVIS fixes (LV4094)");
t("a YAML setting it on blip_caption's large_coco (vit_type large): warned at the key, saying LAVIS uses 0.1", () => {
  const found = lv4094(yaml("large_coco", "  vit_drop_path_rate: 0.2\n"));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "warning");
  assert.is(found[0]!.path, "model.vit_drop_path_rate");
  assert.match(found[0]!.message, /`vit_drop_path_rate` is 0\.2, but model `blip_caption` ignores it for vit_type `large`: .*drop-path rate 0\.1 whatever the config says/);
  assert.match(found[0]!.hint ?? "", /trains with drop-path rate 0\.1/);
  assert.match(found[0]!.related?.[0]?.message ?? "", /blip_caption builds a large ViT with drop-path rate 0\.1/);
});
t("a .lv setting vit_type large and a rate: warned at the key", () => {
  const src = lvModel("    vit_type = large\n    vit_drop_path_rate = 0.3\n");
  const found = lv4094(src, "/virtual/exp.lv");
  assert.is(found.length, 1);
  const { diags, sources } = diagnose(src);
  const d = diags.find((x) => x.code === "LV4094")!;
  assert.is(sources.get(d.span!.file)!.text.slice(d.span!.start, d.span!.end), "vit_drop_path_rate");
});
t("silent for vit_type base (the rate is read), when unset, and when set to the fixed rate itself", () => {
  assert.equal(lv4094(yaml("base_coco", "  vit_drop_path_rate: 0.2\n")), []);
  assert.equal(lv4094(yaml("large_coco", "")), []);
  assert.equal(lv4094(yaml("large_coco", "  vit_drop_path_rate: 0.1\n")), []);
  assert.equal(lv4094(lvModel("    vit_drop_path_rate = 0.3\n"), "/virtual/exp.lv"), []);
});
t("the tfjs engine's vit_drop_path (BlipEncoders' formula) is the stdlib's fixed rate for large, the user's for base", () => {
  assert.is(vitDropPath(yaml("large_coco", "  vit_drop_path_rate: 0.2\n")), forcedVitDropPath(runSpecReg(), "blip_caption", "large")!.rate);
  assert.is(vitDropPath(yaml("base_coco", "  vit_drop_path_rate: 0.2\n")), 0.2);
  assert.is(forcedVitDropPath(runSpecReg(), "blip_caption", "base"), null);
});
t.run();

function runSpecReg() {
  const checked = checkFile(name, { readFile: () => yaml("base_coco", ""), exists: (p: string) => p === name }, { sets: [], options: [] });
  return checked.resolved!.registry;
}
