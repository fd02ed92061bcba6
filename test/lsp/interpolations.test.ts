// The editor on references inside values (`"output/${model.arch}"`): hover names the key read and its value, go to
// definition goes to where that value is set, and after a `${` completion offers the keys a reference can name.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { analyze } from "../../src/lsp/analysis.js";
import { hoverAt } from "../../src/lsp/hover.js";
import { definitionAt } from "../../src/lsp/definition.js";
import { completionsAt } from "../../src/lsp/completion.js";

const lv = `experiment cap {
  task captioning
  model blip_caption(base_coco)
  data coco_caption
  recipe {
    init_lr = 1e-5
    seed = 7
    output_dir = "out/\${model.arch}/lr\${init_lr}_\${recipe.seed}"
    dist_url = "\${reci"
  }
}
`;
const yaml = `model:
  arch: blip_caption
  model_type: base_coco
datasets:
  coco_caption: {}
run:
  task: captioning
  init_lr: 1e-5
  seed: 7
  output_dir: "out/\${model.arch}/\${.seed}"
  dist_url: "\${run.se"
  device: "\${.i"
`;

const reader = (path: string, text: string) => ({ readFile: (p: string) => { if (p === path) return text; throw new Error(`no ${p}`); }, exists: (p: string) => p === path });
const hoverText = (path: string, text: string, at: number) => {
  const h = hoverAt(analyze(path, reader(path, text)), at, "/w");
  return h && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "";
};
const labels = (path: string, text: string, at: number) => completionsAt(analyze(path, reader(path, text)), at).map((c) => c.label);

test("hover on a reference inside a `.lv` string or a YAML value: the key it reads, its value and origin", () => {
  const inLv = hoverText("/w/cap.lv", lv, lv.indexOf("init_lr}") + 2);
  assert.match(inLv, /`run\.init_lr = 1e-05`/);
  assert.match(inLv, /set at cap\.lv:6/);
  const arch = hoverText("/w/cap.lv", lv, lv.indexOf("model.arch}") + 7);
  assert.match(arch, /`model\.arch = "blip_caption"`/);
  const relative = hoverText("/w/x.yaml", yaml, yaml.indexOf("${.seed}") + 3);
  assert.match(relative, /`run\.seed = 7`/, "`${.seed}` is the key beside it");
  assert.is(hoverText("/w/x.yaml", yaml, yaml.indexOf("out/") + 1).includes("model.arch ="), false, "outside the braces: the value's own hover");
  process.env.LAVISC_LSP_TEST = "/d";
  const env = yaml.replace('device: "${.i"', 'device: "${oc.env:LAVISC_LSP_TEST}/${oc.env:LAVISC_LSP_UNSET,cpu}"');
  assert.match(hoverText("/w/x.yaml", env, env.indexOf("LAVISC_LSP_TEST")), /`\$LAVISC_LSP_TEST = "\/d"`/);
  assert.match(hoverText("/w/x.yaml", env, env.indexOf("LAVISC_LSP_UNSET")), /is not set: the default `cpu` applies/);
});

test("go to definition on a reference: where its value is set", () => {
  const a = analyze("/w/cap.lv", reader("/w/cap.lv", lv));
  const loc = definitionAt(a, lv.indexOf("recipe.seed}") + 8, reader("/w/cap.lv", lv));
  assert.ok(loc, "a location");
  assert.is(loc!.range.start.line, 6, "the line of `seed = 7`");
});

test("after `${`: the sections, the keys of the map named so far, relative keys in YAML", () => {
  const lvAfter = (text: string) => labels("/w/cap.lv", lv.replace('"${reci"', `"${text}`), lv.indexOf('"${reci"') + 1 + text.length);
  assert.ok(lvAfter("${").includes("recipe") && lvAfter("${").includes("init_lr"), "sections, and the names of this section");
  assert.ok(lvAfter("${recipe.").includes("init_lr"));
  assert.ok(lvAfter("${model.").includes("arch"));
  assert.ok(labels("/w/x.yaml", yaml, yaml.indexOf("${run.se") + 8).includes("seed"));
  assert.ok(labels("/w/x.yaml", yaml, yaml.indexOf("${.i") + 4).includes("init_lr"), "`${.` starts at the map the value is in");
  const escapedAt = (from: string, to: string) => labels("/w/x.yaml", yaml.replace(from, to), yaml.indexOf(from) + to.length).includes("seed");
  assert.is(escapedAt('"${run.se', '"\\\\${run.se'), false, "not after an escaped `\\${` (a double-quoted scalar's `\\\\`)");
  assert.is(escapedAt('"${run.se', "'\\${run.se"), false, "nor a single-quoted one's `\\`");
  assert.is(escapedAt('"${run.se', '"\\\\\\\\${run.se'), true, "two backslashes in the value: a backslash, then a reference");
});

test.run();
