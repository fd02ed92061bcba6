import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readYamlSlow, type YamlResult } from "../../src/semantic/fromYaml.js";
import { readYamlFast } from "../../src/semantic/yamlFast.js";
import type { CNode } from "../../src/semantic/configTree.js";
import { repoRoot } from "../harness/repoRoot.js";
import { seededRandom } from "../harness/seededRandom.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

// The fast YAML reader either declines (null) or gives exactly what the `yaml` package path gives: the same tree,
// scalar types, spans, key spans, origins and diagnostics. Checked on the whole LAVIS corpus, on one case per
// construct and per fallback trigger, and on generated documents full of the comment and blank-line placements
// that decide where `yaml` ends a collection's span.

/** Where the two results first differ, for the failure message ("" when equal). */
function firstDifference(fast: YamlResult, slow: YamlResult): string {
  if (!isDeepStrictEqual(fast.diagnostics, slow.diagnostics)) {
    return `diagnostics: ${JSON.stringify(fast.diagnostics.map((d) => [d.code, d.span]))} vs ${JSON.stringify(slow.diagnostics.map((d) => [d.code, d.span]))}`;
  }
  const walk = (a: CNode | null | undefined, b: CNode | null | undefined, path: string): string => {
    if (isDeepStrictEqual(a, b)) return "";
    if (a && b && a.kind === b.kind && a.kind === "map" && b.kind === "map") {
      const ka = [...a.entries.keys()];
      const kb = [...b.entries.keys()];
      if (!isDeepStrictEqual(ka, kb)) return `${path || "(root)"}: keys ${ka.join(",")} vs ${kb.join(",")}`;
      for (const k of ka) {
        const d = walk(a.entries.get(k), b.entries.get(k), `${path}.${k}`);
        if (d) return d;
      }
    } else if (a && b && a.kind === "list" && b.kind === "list") {
      for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
        const d = walk(a.items[i], b.items[i], `${path}.${i}`);
        if (d) return d;
      }
    }
    const own = (n: CNode | null | undefined) => n && JSON.stringify({ ...n, entries: undefined, items: undefined });
    return `${path || "(root)"}: ${own(a)} vs ${own(b)}`;
  };
  return walk(fast.root, slow.root, "");
}

/** Null when the fast reader declines; else asserts it equals the slow path and returns it. */
function compare(text: string, name = "t.yaml"): YamlResult | null {
  const fast = readYamlFast(text, name);
  if (!fast) return null;
  const diff = firstDifference(fast, readYamlSlow(text, name));
  assert.is(diff, "", `${name}: fast and slow YAML readers differ at ${diff}\n--- text ---\n${text}`);
  return fast;
}

const Corpus = suite("yamlFast: LAVIS corpus");

testWith(Corpus, LAVIS_CORPUS)("every corpus file is either declined or read exactly as the yaml package reads it", () => {
  const root = join(repoRoot(), "..", "shared", "lavis-configs");
  const files: string[] = [];
  const walkDir = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walkDir(p);
      else if (name.endsWith(".yaml")) files.push(p);
    }
  };
  walkDir(root);
  const declinedValid: string[] = [];
  let fastCount = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (compare(text, file)) fastCount++;
    else if (!readYamlSlow(text, file).diagnostics.some((d) => d.code === "LV1008")) declinedValid.push(file);
  }
  console.log(`     yamlFast: ${fastCount} of ${files.length} corpus files on the fast path`);
  // Only files `yaml` cannot parse (14 in the corpus) may fall back.
  assert.equal(declinedValid, [], "valid corpus files the fast reader declined");
  assert.ok(fastCount > 0);
});

Corpus.run();

const Constructs = suite("yamlFast: constructs");

const CONSTRUCTS: Record<string, string> = {
  "block maps, any indentation": "model:\n    arch: blip\n    sub:\n       deep: 1\nrun:\n  x: 2\n",
  "root map indented": "  a: 1\n  b:\n    c: 2\n",
  "block sequences": "a:\n  - x\n  - 2\n  -\n  - 'q'\nb:\n- 1\n- 2\n",
  "sequence of maps": "splits:\n  - name: a\n    size: 1\n  -   name: b\n      size: 2\n  - {k: v}\n",
  "nested sequences": "a:\n  -\n    - 1\n    - 2\n  -\n    x: 1\n",
  "flow sequence": 'a: ["val", "test"]\nb: [1, 2.5, true, null, x y, -1, ]\nc: []\n',
  "flow map, nested flow": 'a: {"image_size": 224, b: [1, {c: d}], e: }\nf: {}\ng: {"x":1, \'y\':2}\n',
  "multi-line flow": 'a: {"train": "x",\n     "val": "y", # c\n\n     "test":"z"}\nb: [1,\n  "2"\n  ]\nc: [x\n  , y\n  # c\n\n  ]\n',
  // PyYAML checks no indentation inside a flow collection (yamlFlowIndent.ts); the slow path reads these now too.
  "flow continuation lines at any indentation": 'a: [1,\n2]\nb:\n  c: {"x": 1,\n"y": [2,\n 3]}\n  d: [a,\n# c\n  b\n]\ne: {k: v\n# c\n}\nf:\n  - [1,\n2]\n',
  "scalar typing": "i: 10\nf: 1e-5\nf2: 2e4\nf3: .5\nb: True\nn: ~\ns: 1.0.0\no: 0o17\nh: 0x1F\ninf: .inf\nnan: .nan\nsex: 1:30\n",
  "quoted scalars with escapes": "a: \"x\\ty\\n\\\"q\\\" \\u00e9 \\x41 \\U0001F600 \\\\ \\/\"\nb: 'it''s'\nc: \"\"\nd: ''\n",
  "plain scalars with inner indicators": "a: b:c\nb: x#y\nc: a [b] {c}\nd: http://x.org/a?b=c&d\ne: -x\nf: 'a' # c\n",
  "quoted and odd plain keys": "\"a b\": 1\n'c': 2\nx:y: 3\nk#1: 4\n\"e\" : 5\nlong key here: 6\n",
  "empty values": "a:\nb:   # c\nc:\n\nd:\n  # indented\ne:",
  "comments everywhere": "# head\n\na: 1 # t\n  # absorbed\n# not\n    # not either\nb:\n  c: 1\n  # same indent\n    # deeper\nd:\n  - 1\n   # absorbed\n  # kept\n  -\ne: 2\n",
  "trailing comments in nested collections": "x:\n  a:\n    b: 1\n    # trailing\n  c: 1\ny:\n  - a: 1\n    # t\n  - b\n  # t2\nz: 1\n",
  "empty value followed by dedent and comments": "a:\n  b:\n  # c\nd:\n  - e:\n    # c\n  -\n# end\n",
  "document start": "# c\n---\na: 1\n",
  "document start with comment": "--- # c\na: 1\n",
  "no final newline": "a:\n  b: [1, 2]  ",
  "empty document": "# only a comment\n\n",
  "duplicate keys": "a: 1\nb:\n  c: 1\n  c: 2\na: 3\nf: {x: 1, x: 2}\n",
  "keys three times, the first value of every kind": "a:\n  b: 1\na: 2\na: [3]\nf: {x: 1, x: {y: 2}, x: 3}\ng:\n  - k: ${run.x}\n    k:\n    k: [1]\nh: {z: [1], z: , z: 2}\n",
  "interpolations": "a: ${run.x}\nb: \"${model.arch}\"\nc: pre ${x} post\nd: [\"${y}\"]\n",
};

for (const [name, text] of Object.entries(CONSTRUCTS)) {
  Constructs(name, () => {
    assert.ok(compare(text, `${name}.yaml`), `the fast reader declined the ${name} case`);
  });
}

Constructs("interpolation diagnostics come out in document order", () => {
  const r = compare("a: pre ${x:y}\nb: ${c.d}\nc: [\"${e f\"]\nd: x ${y}\n")!;
  assert.equal(r.diagnostics.map((d) => [d.code, d.path]), [["LV3005", "a"], ["LV3005", "c.0"]]);
  assert.is(r.root!.entries.get("b")!.kind, "expr");
  assert.is(r.root!.entries.get("d")!.kind, "expr", "text with a reference in it is a template");
});

Constructs("duplicate keys point at the first definition", () => {
  const r = compare("a: 1\na: 2\n")!;
  assert.equal(r.diagnostics.map((d) => [d.code, d.span?.start, d.related?.[0]?.span.start]), [["LV1009", 5, 0]]);
  assert.equal((r.root!.entries.get("a") as { value: unknown }).value, 2);
});

Constructs.run();

const Fallbacks = suite("yamlFast: declines what it does not read");

const FALLBACKS: Record<string, string> = {
  anchor: "a: &x 1\nb: 2\n",
  alias: "a: 1\nb: *a\n",
  tag: "a: !!str 1\n",
  "block scalar |": "a: |\n  text\n",
  "block scalar >": "a: >\n  text\n",
  "multi-line plain": "a: one\n  two\n",
  "multi-line double-quoted": 'a: "one\n  two"\n',
  "multi-line single-quoted": "a: 'one\n  two'\n",
  "multi-line plain in flow": "a: [one\n  two]\n",
  "several documents": "a: 1\n---\nb: 2\n",
  "document end": "a: 1\n...\n",
  "complex key": "? a\n: 1\n",
  "tab indentation": "a:\n\tb: 1\n",
  "carriage returns": "a: 1\r\nb: 2\r\n",
  "merge key": "base: {x: 1}\nc:\n  <<: {y: 2}\n",
  "unterminated quote": 'a: "x\n',
  "bad escape": 'a: "\\q"\n',
  "bad indentation": "a:\n    b: 1\n  c: 2\n",
  "nested compact mapping": "a: b: c\n",
  "sequence on the key line": "a: - b\n",
  "sequence after inline value": "a: 1\n- b\n",
  "root sequence": "- a\n- b\n",
  "root scalar": "just text\n",
  "empty key": ": 1\n",
  "flow pair in sequence": "a: [b: 1]\n",
  "flow key without value": "a: {b, c: 1}\n",
  "empty flow item": "a: [1,,2]\n",
  "unclosed flow": "a: [1, 2\n",
  "comment touching quote": 'a: "b"#c\n',
  "text after quote": "a: 'b' c\n",
  "reserved start": "a: @x\n",
  "compact nested sequence": "a:\n  - - 1\n",
  "bare document start": "---\n",
};

for (const [name, text] of Object.entries(FALLBACKS)) {
  Fallbacks(name, () => {
    assert.is(readYamlFast(text, `${name}.yaml`), null, `the fast reader should decline: ${JSON.stringify(text)}`);
  });
}

Fallbacks.run();

const Generated = suite("yamlFast: generated documents");

/** LAVIS-like documents with comment lines at every indentation, blank lines, empty values and trailing comments. */
function generate(seed: number): string {
  const r = seededRandom(seed); // the same documents on every run
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const KEYS = ["arch", "lr", "name", "a b", "x:y", "'q k'", '"dq"', "k", "k", "-d", "url"];
  const SCALARS = ["1", "1e-5", "True", "null", "~", "blip caption", "'s q'", '"d\\tq"', "${run.lr}", "-1", "a:b", "http://x/y", "0.9"];
  const FLOWS = ['["val", "test"]', "[1, 2, ]", "{a: 1, 'b': [x, y]}", '{"image_size": 224}', "[]", "{e: , f: 2}", "[1,\n@@  2]", '{"a": 1,\n@@  "b": [3,\n@@   4]}', "[a\n@@, b]", "{a: x,\n@@# c\n\n@@b: y}", "[1,\n2]", '{"a": 1,\n# c\n"b": [3,\n 4]}', "{k: v\n# c\n}"];
  const lines: string[] = [];
  const noise = (indent: number) => {
    while (r() < 0.35) {
      const roll = r();
      if (roll < 0.3) lines.push("");
      else if (roll < 0.4) lines.push(" ".repeat(1 + Math.floor(r() * 6)));
      else lines.push(" ".repeat(Math.max(0, indent + Math.floor(r() * 7) - 3)) + "# c");
    }
  };
  const tail = () => (r() < 0.2 ? "  # t" : r() < 0.1 ? "   " : "");
  const inline = (ind: number) => {
    const v = r() < 0.75 ? pick(SCALARS) : pick(FLOWS);
    return v.replace(/@@/g, " ".repeat(ind + 1));
  };
  const map = (ind: number, depth: number, firstPrefix: string | null) => {
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const prefix = i === 0 && firstPrefix !== null ? firstPrefix : " ".repeat(ind);
      if (i > 0 || firstPrefix === null) noise(ind);
      const base = pick(KEYS);
      const name = r() < 0.2 ? base : /^['"]/.test(base) ? base.slice(0, -1) + i + base.slice(-1) : base + i;
      const key = `${prefix}${name}${r() < 0.1 ? "  " : ""}:`;
      const roll = r();
      if (depth < 3 && roll < 0.3) {
        lines.push(key + tail());
        noise(ind);
        map(ind + 1 + Math.floor(r() * 4), depth + 1, null);
      } else if (depth < 3 && roll < 0.45) {
        lines.push(key + tail());
        noise(ind);
        seq(r() < 0.5 ? ind : ind + 2, depth + 1);
      } else if (roll < 0.6) lines.push(key + tail());
      else lines.push(`${key} ${inline(ind)}${tail()}`);
    }
  };
  const seq = (ind: number, depth: number) => {
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      if (i > 0) noise(ind);
      const dash = " ".repeat(ind) + "-";
      const roll = r();
      const gap = r() < 0.8 ? 1 : 3;
      if (depth < 3 && roll < 0.3) map(ind + 1 + gap, depth + 1, dash + " ".repeat(gap));
      else if (depth < 3 && roll < 0.4) {
        lines.push(dash + tail());
        noise(ind);
        map(ind + 2, depth + 1, null);
      } else if (roll < 0.55) lines.push(dash + tail());
      else lines.push(`${dash} ${inline(ind)}${tail()}`);
    }
  };
  noise(0);
  map(r() < 0.9 ? 0 : 2, 0, null);
  noise(0);
  const text = lines.join("\n");
  return r() < 0.8 ? text + "\n" : text;
}

Generated("generated documents read the same on both paths", () => {
  let fast = 0;
  const count = 1500;
  for (let seed = 1; seed <= count; seed++) if (compare(generate(seed), `gen${seed}.yaml`)) fast++;
  // Most generated documents are valid YAML inside the subset; a low count means the generator or reader broke.
  assert.ok(fast > count * 0.6, `only ${fast} of ${count} generated documents took the fast path`);
});

Generated.run();
