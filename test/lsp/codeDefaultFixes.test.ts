// LV4019's quick fixes, applied: the key is written in its section of the file (a `.lv` block or a YAML block
// mapping), with the chosen value, and the warning for it is gone while the others stay.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { analyze } from "../../src/lsp/analysis.js";
import { codeDefaultFixes } from "../../src/lsp/codeDefaultFixes.js";
import { toLspDiagnostic } from "../../src/lsp/convert.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextEdit } from "vscode-languageserver";

const lv = `experiment cap {
  task captioning
  model blip_caption(base_coco) {
    load_finetuned = false
  }
  data coco_caption
  recipe {
    init_lr = 1e-5 // a comment stays on its line
    batch_size_train = 2
  }
}
`;
const yaml = `model:
  arch: blip_caption
  model_type: base_coco
  load_finetuned: False
datasets:
  coco_caption: {}
run:
  task: captioning
  init_lr: 1.0e-5
  batch_size_train: 2  # a comment stays on its line

`;

const reader = (path: string, text: string) => ({ readFile: (p: string) => { if (p === path) return text; throw new Error(`no ${p}`); }, exists: (p: string) => p === path });
const warnings = (path: string, text: string) => analyze(path, reader(path, text)).diagnostics.filter((d) => d.code === "LV4019").map((d) => d.path);

const apply = (text: string, edit: TextEdit) => TextDocument.applyEdits(TextDocument.create("file://x", "plaintext", 1, text), [edit]);

function fixed(path: string, text: string, key: string, choice: number): string {
  const a = analyze(path, reader(path, text));
  const d = a.diagnostics.find((x) => x.code === "LV4019" && x.path === `run.${key}`)!;
  const actions = codeDefaultFixes("file://x", [toLspDiagnostic(d, a.sources)], a);
  assert.is(actions.length, 2);
  return apply(text, actions[choice]!.edit!.changes!["file://x"]![0]!);
}

test(".lv: the entry goes last in the recipe block", () => {
  const before = warnings("/w/cap.lv", lv);
  assert.ok(before.includes("run.test_splits") && before.includes("run.max_len"), before.join(" "));
  const withLavis = fixed("/w/cap.lv", lv, "test_splits", 0);
  assert.match(withLavis, /    batch_size_train = 2\n    test_splits = \[\]\n  \}\n/);
  assert.equal(warnings("/w/cap.lv", withLavis), before.filter((p) => p !== "run.test_splits"));
  const withLavisc = fixed("/w/cap.lv", lv, "max_len", 1);
  assert.match(withLavisc, /    max_len = 20\n  \}/);
  assert.equal(warnings("/w/cap.lv", withLavisc), before.filter((p) => p !== "run.max_len"));
});

test("YAML: the entry goes after the run block's last line, at its keys' indentation", () => {
  const before = warnings("/w/cap.yaml", yaml);
  const withLavis = fixed("/w/cap.yaml", yaml, "num_beams", 0);
  assert.match(withLavis, /  batch_size_train: 2  # a comment stays on its line\n  num_beams: 5\n/);
  assert.equal(warnings("/w/cap.yaml", withLavis), before.filter((p) => p !== "run.num_beams"));
  const withLavisc = fixed("/w/cap.yaml", yaml, "test_splits", 1);
  assert.match(withLavisc, /\n  test_splits: \["test"\]\n/);
  assert.equal(warnings("/w/cap.yaml", withLavisc), before.filter((p) => p !== "run.test_splits"));
});

test("a CRLF file's new line ends with CRLF, as its other lines do (.lv and YAML)", () => {
  const crlf = (t: string) => t.replace(/\n/g, "\r\n");
  const lvFixed = fixed("/w/crlf.lv", crlf(lv), "max_len", 0);
  assert.match(lvFixed, /    batch_size_train = 2\r\n    max_len = 30\r\n  \}\r\n/);
  assert.not.match(lvFixed, /[^\r]\n/, "no bare LF");
  const yamlFixed = fixed("/w/crlf.yaml", crlf(yaml), "num_beams", 0);
  assert.match(yamlFixed, /  batch_size_train: 2  # a comment stays on its line\r\n  num_beams: 5\r\n/);
  assert.not.match(yamlFixed, /[^\r]\n/, "no bare LF");
});

test("no fix where the section is not a block of its own (a flow map, a bodiless model)", () => {
  const flow = yaml.replace(/run:\n[\s\S]*$/, "run: {task: captioning, init_lr: 1.0e-5, batch_size_train: 2}\n");
  const a = analyze("/w/flow.yaml", reader("/w/flow.yaml", flow));
  const ds = a.diagnostics.filter((d) => d.code === "LV4019").map((d) => toLspDiagnostic(d, a.sources));
  assert.ok(ds.length > 0);
  assert.equal(codeDefaultFixes("file://x", ds, a), []);
});

test.run();
