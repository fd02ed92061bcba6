// `lavisc: ignore[...]` comments in the editor: the quick fixes, applied (a warning silenced on its line by a new
// comment or a code added to the line's comment; an unused code taken out), each file analyzed again after; the
// completion of codes inside a comment and the hover on one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { analyze } from "../../src/lsp/analysis.js";
import { ignoreFixes } from "../../src/lsp/ignoreFixes.js";
import { toLspDiagnostic } from "../../src/lsp/convert.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { completionsAt } from "../../src/lsp/completion.js";
import { hoverAt } from "../../src/lsp/hover.js";

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
const lvCaption = readFileSync(fromRoot("projects", "quickstart", "caption_shapes.lv"), "utf8");
const yaml = caption.replace(/\n  max_len: .*\n  min_len: .*\n/, "\n").replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");

const reader = (path: string, text: string) => ({ readFile: (p: string) => { if (p === path) return text; throw new Error(`no ${p}`); }, exists: (p: string) => p === path });
const codesOf = (path: string, text: string) => analyze(path, reader(path, text)).diagnostics.map((d) => d.code).sort();

/** The text after the first quick fix offered for the first diagnostic with `code`. */
function fixed(path: string, text: string, code: string): { text: string; title: string } {
  const a = analyze(path, reader(path, text));
  const d = a.diagnostics.find((x) => x.code === code)!;
  assert.ok(d, `${code} in ${a.diagnostics.map((x) => x.code).join(" ")}`);
  const doc = TextDocument.create("file://x", "yaml", 1, text);
  const [action] = ignoreFixes("file://x", path, [toLspDiagnostic(d, a.sources)], text, (p) => doc.offsetAt(p));
  assert.ok(action, `a fix for ${code}`);
  return { text: TextDocument.applyEdits(doc, action!.edit!.changes!["file://x"]!), title: action!.title };
}

test("YAML: a warning is silenced by a comment at the end of its line", () => {
  assert.equal(codesOf("/w/a.yaml", yaml), ["LV4002", "LV4019", "LV4019"]);
  const r = fixed("/w/a.yaml", yaml, "LV4002");
  assert.is(r.title, "Silence LV4002 on this line (`lavisc: ignore[LV4002]`)");
  assert.match(r.text, /\n  warmup_steps: 100  # lavisc: ignore\[LV4002\]\n/);
  assert.equal(codesOf("/w/a.yaml", r.text), ["LV4019", "LV4019"]);
});

test("YAML: a line with a comment already gets the new one after it; a line with `lavisc: ignore` gets the code added", () => {
  const commented = yaml.replace("warmup_steps: 100", "warmup_steps: 100 # from the paper");
  assert.match(fixed("/w/a.yaml", commented, "LV4002").text, /warmup_steps: 100 # from the paper  # lavisc: ignore\[LV4002\]\n/);
  const once = fixed("/w/a.yaml", yaml, "LV4019").text;
  assert.match(once, /\nrun:  # lavisc: ignore\[LV4019\]\n/);
  assert.equal(codesOf("/w/a.yaml", once), ["LV4002"]);
  const both = fixed("/w/a.yaml", once, "LV4002");
  assert.equal(codesOf("/w/a.yaml", both.text), []);
  const sameLine = fixed("/w/a.yaml", yaml.replace("warmup_steps: 100", "warmup_steps: 100  # lavisc: ignore[LV4019]"), "LV4002").text;
  assert.match(sameLine, /warmup_steps: 100  # lavisc: ignore\[LV4019, LV4002\]\n/);
});

test(".lv: the comment is `//`", () => {
  const lv = lvCaption.replace("    warmup_lr = 1e-5", "    warmup_lr = 1e-3");
  const r = fixed("/w/x.lv", lv, "LV4002");
  assert.match(r.text, /\n    warmup_steps = 20  \/\/ lavisc: ignore\[LV4002\]\n/);
  assert.equal(codesOf("/w/x.lv", r.text), []);
});

test("an unused code is taken out: with its comma, or the whole comment when it is alone", () => {
  const two = yaml.replace(/\nrun:\n/, "\nrun:  # lavisc: ignore[LV4002, LV4019]\n");
  assert.equal(codesOf("/w/a.yaml", two), ["LV1022", "LV4002"]);
  const a = analyze("/w/a.yaml", reader("/w/a.yaml", two));
  assert.equal(toLspDiagnostic(a.diagnostics.find((d) => d.code === "LV1022")!, a.sources).tags, [1], "shown faded (DiagnosticTag.Unnecessary)");
  assert.is(toLspDiagnostic(a.diagnostics.find((d) => d.code === "LV4002")!, a.sources).tags, undefined);
  const r = fixed("/w/a.yaml", two, "LV1022");
  assert.is(r.title, "Remove the unused `lavisc: ignore` code");
  assert.match(r.text, /\nrun:  # lavisc: ignore\[LV4019\]\n/);
  assert.equal(codesOf("/w/a.yaml", r.text), ["LV4002"]);
  const alone = yaml.replace("  seed: 42", "  seed: 42  # lavisc: ignore[LV4019]");
  const gone = fixed("/w/a.yaml", alone, "LV1022").text;
  assert.is(gone, yaml);
});

test("errors get no fix to silence them", () => {
  const text = caption.replace("num_beams: 3", "num_beams: 3\n  num_beam: 5");
  const a = analyze("/w/a.yaml", reader("/w/a.yaml", text));
  const doc = TextDocument.create("file://x", "yaml", 1, text);
  const errors = a.diagnostics.filter((d) => d.severity === "error").map((d) => toLspDiagnostic(d, a.sources));
  assert.ok(errors.length > 0);
  assert.equal(ignoreFixes("file://x", "/w/a.yaml", errors, text, (p) => doc.offsetAt(p)), []);
});

test("completion in `lavisc: ignore[`: the codes of the line's warnings (the file's, for ignore-file), none written already", () => {
  const typed = yaml.replace("warmup_steps: 100", "warmup_steps: 100  # lavisc: ignore[");
  const a = analyze("/w/a.yaml", reader("/w/a.yaml", typed));
  const at = typed.indexOf("ignore[") + "ignore[".length;
  const items = completionsAt(a, at);
  assert.equal(items.map((i) => i.label), ["LV4002"]);
  assert.match(String(items[0]!.detail), /warm-up does nothing/);
  const whole = `# lavisc: ignore-file[LV4002, \n${yaml}`;
  const b = analyze("/w/a.yaml", reader("/w/a.yaml", whole));
  assert.equal(completionsAt(b, whole.indexOf(", ") + 2).map((i) => i.label), ["LV4019"]);
  const above = yaml.replace("  warmup_steps: 100", "  # lavisc: ignore-next-line[\n  warmup_steps: 100");
  const c = analyze("/w/a.yaml", reader("/w/a.yaml", above));
  assert.equal(completionsAt(c, above.indexOf("line[") + "line[".length).map((i) => i.label), ["LV4002"], "ignore-next-line: the next line's");
  const written = above.replace("next-line[", "next-line[LV4002]");
  const d = analyze("/w/a.yaml", reader("/w/a.yaml", written));
  assert.match((hoverAt(d, written.indexOf("LV4002") + 1, "/w")!.contents as { value: string }).value, /^\*\*LV4002\*\*/);
});

test("hover on a code in a `lavisc: ignore[...]` comment: its severity, message and hint", () => {
  const text = yaml.replace("warmup_steps: 100", "warmup_steps: 100  # lavisc: ignore[LV4019, LV4002]");
  const a = analyze("/w/a.yaml", reader("/w/a.yaml", text));
  const hover = hoverAt(a, text.indexOf("LV4019") + 2, "/w");
  const value = (hover!.contents as { value: string }).value;
  assert.match(value, /^\*\*LV4019\*\* \(warning\)\n\nA key left to a default on which LAVIS's documentation and its code disagree\.\n\nhelp: Set `‹key›` explicitly/);
  const plain = (hoverAt(a, text.indexOf("LV4019"), "/w")!.contents as { value: string }).value;
  assert.is(plain, value, "from the code's first character");
  const other = text.replace("LV4019, LV4002", "LV2001");
  const b = analyze("/w/a.yaml", reader("/w/a.yaml", other));
  assert.is((hoverAt(b, other.indexOf("LV2001") + 1, "/w")!.contents as { value: string }).value, "**LV2001** (error)\n\nUnknown key `‹key›` in ‹section›.");
  const stdlibCheck = (hoverAt(a, text.indexOf("LV4002") + 1, "/w")!.contents as { value: string }).value;
  assert.match(stdlibCheck, /^\*\*LV4002\*\* \(warning\)\n\nA warning the stdlib declares applies\.$/);
});

test.run();
