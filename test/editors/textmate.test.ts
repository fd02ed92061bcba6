import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import textmate from "vscode-textmate";
import oniguruma from "vscode-oniguruma";
import { parse } from "../../src/syntax/index.js";
import { fromRoot, repoRoot } from "../harness/repoRoot.js";

// The VS Code extension's TextMate grammar (editors/vscode/syntaxes/lavisc.tmLanguage.json), loaded by VS Code's own
// tokenizer (vscode-textmate on vscode-oniguruma): every `.lv` file of the repository tokenizes, each valid file ends
// in the initial state (no comment or string left open) with no token marked invalid, and the scopes are the ones
// a theme colours.

const Grammar = suite("editors: the TextMate grammar of .lv");
const require = createRequire(import.meta.url);
const grammarPath = fromRoot("editors", "vscode", "syntaxes", "lavisc.tmLanguage.json");

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (scope === "source.lavisc" ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  const g = await registry.loadGrammar("source.lavisc");
  if (!g) throw new Error("the grammar did not load");
  return g;
}

function tokenize(g: textmate.IGrammar, text: string) {
  let state = textmate.INITIAL;
  const lines = text.split("\n").map((line) => {
    const r = g.tokenizeLine(line, state);
    state = r.ruleStack;
    return { line, tokens: r.tokens, stoppedEarly: r.stoppedEarly };
  });
  return { lines, end: state };
}

let grammar: textmate.IGrammar;
Grammar.before(async () => {
  grammar = await loadGrammar();
});

const files = execFileSync("git", ["ls-files", "*.lv"], { cwd: repoRoot(), encoding: "utf8" }).trim().split("\n").filter(Boolean);

Grammar(`all ${files.length} .lv files of the repository tokenize`, () => {
  const closed = grammar.tokenizeLine("", textmate.INITIAL).ruleStack; // the state between two top-level lines
  let valid = 0;
  for (const rel of files) {
    const text = readFileSync(fromRoot(rel), "utf8");
    const t = tokenize(grammar, text);
    assert.ok(t.lines.every((l) => !l.stoppedEarly), `${rel}: tokenizing stopped early`);
    if (parse(text, rel).diagnostics.some((d) => d.severity === "error")) continue; // a syntax-error case
    valid++;
    assert.ok(t.end.equals(closed), `${rel}: a comment, string or type rule is still open at the end of the file`);
    for (const [i, l] of t.lines.entries()) {
      const bad = l.tokens.find((tok) => tok.scopes.some((s) => s.startsWith("invalid")));
      assert.not.ok(bad, `${rel}:${i + 1}: a token is marked invalid: ${l.line.slice(bad?.startIndex ?? 0, bad?.endIndex)}`);
    }
  }
  assert.ok(valid > 50, `most files are valid .lv (${valid})`);
});

/** The scopes of the text `word` on a tokenized line. */
function scopesOf(line: string, word: string): string[] {
  const r = grammar.tokenizeLine(line, textmate.INITIAL);
  const at = line.indexOf(word);
  const tok = r.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  return tok?.scopes ?? [];
}

Grammar("scopes of declarations, clauses, keys, values and comments", () => {
  assert.ok(scopesOf("experiment caption_ft extends \"./base.lv\" {", "experiment").includes("storage.type.experiment.lavisc"));
  assert.ok(scopesOf("experiment caption_ft extends \"./base.lv\" {", "caption_ft").includes("entity.name.type.experiment.lavisc"));
  assert.ok(scopesOf("  model blip_caption(base_coco) {", "blip_caption").includes("entity.name.class.lavisc"));
  assert.ok(scopesOf("  model blip_caption(base_coco) {", "base_coco").includes("variable.parameter.type.lavisc"));
  assert.ok(scopesOf("    init_lr = 1e-5 // after warm-up", "init_lr").includes("variable.other.property.lavisc"));
  assert.ok(scopesOf("    init_lr = 1e-5 // after warm-up", "1e-5").includes("constant.numeric.float.lavisc"));
  assert.ok(scopesOf("    init_lr = 1e-5 // after warm-up", "after").includes("comment.line.double-slash.lavisc"));
  assert.ok(scopesOf("  /// Initial learning rate.", "Initial").includes("comment.line.documentation.lavisc"));
  assert.ok(scopesOf("  init_lr: float(> 0, <= 1) = 3e-4", "float").includes("support.type.primitive.lavisc"));
  assert.ok(scopesOf("  check min_lr <= init_lr \"min_lr must not exceed init_lr\"", "check").includes("keyword.control.constraint.lavisc"));
  assert.ok(scopesOf("  prompt = \"a picture of \\n\"", "\\n").includes("constant.character.escape.lavisc"));
  assert.ok(scopesOf("  vis_processor.train = blip_image_train { image_size = 384 }", "blip_image_train").includes("entity.name.function.processor.lavisc"));
});

Grammar.run();
