import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "../../src/syntax/index.js";
import { lvLexer } from "../../src/syntax/lexer.js";
import { AstBuilder } from "../../src/syntax/toAst.js";
import { parsePlain, plainParserSwitch } from "../../src/syntax/fastParser.js";
import { generateSource } from "../../bench/parseThroughput.js";
import { repoRoot } from "../harness/repoRoot.js";
import { seededRandom } from "../harness/seededRandom.js";
import { mutate } from "../harness/lvMutations.js";

// parse.ts parses plain valid files with fastParser.ts (no CST) and everything else with the full parser. Whatever the
// fast parser accepts must give what the full parser gives: the same AST (spans and docs included) and diagnostics.
// Checked on every `.lv` file of the repository, the throughput benchmark's generated file and seeded mutations of
// them; and the fast parser must accept the plain files (else parse.ts would only be slower).

function lvFiles(): { name: string; text: string }[] {
  const root = repoRoot();
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      if (n === "node_modules" || n === "dist" || n.startsWith(".")) continue;
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".lv")) out.push({ name: relative(root, p), text: readFileSync(p, "utf8") });
    }
  };
  walk(root);
  return out;
}

function generated(): string {
  const t = generateSource(2_000);
  // Close what the last declaration left open, as bench/parseThroughput.ts does.
  return t + "}\n".repeat(Math.max(0, (t.match(/\{/g)?.length ?? 0) - (t.match(/\}/g)?.length ?? 0)));
}

/** parse() with the full parser only, and as parse.ts does it (fast parser first), as JSON. */
function bothWays(text: string, name: string): { full: string; withFast: string } {
  plainParserSwitch.enabled = false;
  try {
    const full = JSON.stringify(parse(text, name));
    plainParserSwitch.enabled = true;
    return { full, withFast: JSON.stringify(parse(text, name)) };
  } finally {
    plainParserSwitch.enabled = true;
  }
}

function accepted(text: string, name: string): boolean {
  const tokens = lvLexer().tokenize(text).tokens;
  return parsePlain(tokens, text, name, new Map(), new AstBuilder(name, new Map(), tokens, text)) !== null;
}

/** Where two JSON texts first differ, with some context. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `full parser: …${a.slice(Math.max(0, i - 120), i + 80)}…\nfast parser: …${b.slice(Math.max(0, i - 120), i + 80)}…`;
}

const files = lvFiles();
const Same = suite("fast parser: the same AST and diagnostics as the full parser");

Same("every .lv file of the repository and the benchmark's generated file", () => {
  assert.ok(files.length > 50, `${files.length} .lv files found`);
  for (const { name, text } of [...files, { name: "generated.lv", text: generated() }]) {
    const { full, withFast } = bothWays(text, name);
    assert.ok(full === withFast, `${name}:\n${firstDifference(full, withFast)}`);
  }
});

Same("seeded mutations of them (the fast parser gives up, or agrees)", () => {
  let compared = 0;
  for (const { name, text } of files) {
    const rnd = seededRandom(name.length * 104729 + text.length);
    for (let n = 0; n < 4; n++) {
      const m = mutate(text, rnd);
      const { full, withFast } = bothWays(m.text, name);
      assert.ok(full === withFast, `${name} after "${m.how}":\n${firstDifference(full, withFast)}`);
      compared++;
    }
  }
  assert.ok(compared >= 200, `${compared} mutations`);
});

Same("the fast parser takes the plain files: the stdlib, the projects and the benchmark's file", () => {
  const plain = files.filter((f) => /^(stdlib|projects)\//.test(f.name));
  assert.ok(plain.length > 10, `${plain.length} stdlib and project files`);
  for (const f of plain) assert.ok(accepted(f.text, f.name), `${f.name} went to the full parser`);
  assert.ok(accepted(generated(), "generated.lv"));
});

Same("it gives up where the full parser reports something", () => {
  for (const text of ["experiment e { recipe { init_lr 3 } }", "experiment e { recipe { x = } }", "experiment e { sweep { recipe.x = [1] } }", "experimnt e { }", "experiment e { } import \"a.lv\""]) {
    assert.not.ok(accepted(text, "x.lv"), text);
    assert.ok(parse(text, "x.lv").diagnostics.length > 0, text);
  }
});

Same.run();
