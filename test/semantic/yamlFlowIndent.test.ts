import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readYaml, readYamlSlow, type YamlResult } from "../../src/semantic/fromYaml.js";
import { typedJson } from "../../src/interop/configCompare.js";
import { SourceFile } from "../../src/diagnostics/sourceFile.js";
import type { CNode } from "../../src/semantic/configTree.js";
import { differences } from "./omegaConfOracle.js";
import { OMEGACONF, testWith } from "../harness/requires.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";

// Inside a flow collection PyYAML (OmegaConf's loader) checks no indentation (yamlFlowIndent.ts): a continuation line
// indented less than its key, at column 0 too, is read. lavisc refused such a file with a string of LV1008s, as the
// `yaml` package's lexer ends the collection there. Values and spans here; the same files and random ones against
// the real OmegaConf below.

const test = suite("flow collections over lines at any indentation, as PyYAML reads them");

/** Each value's path with the text its span covers, in document order ([path, text] pairs; keys as `path:key`). */
function spanTexts(text: string, r: YamlResult): [string, string][] {
  const out: [string, string][] = [];
  const walk = (n: CNode, path: string) => {
    if (n.keySpan) out.push([`${path}:key`, text.slice(n.keySpan.start, n.keySpan.end)]);
    out.push([path, n.span ? text.slice(n.span.start, n.span.end) : "(no span)"]);
    if (n.kind === "map") for (const [k, v] of n.entries) walk(v, path ? `${path}.${k}` : k);
    if (n.kind === "list") n.items.forEach((v, i) => walk(v, `${path}.${i}`));
  };
  for (const [k, v] of r.root!.entries) walk(v, k);
  return out;
}

/** Reads `text` on both paths (readYaml tries the fast reader first): no diagnostics, the same values and spans. */
function readBoth(text: string): YamlResult {
  const r = readYaml(text, "f.yaml");
  const slow = readYamlSlow(text, "f.yaml");
  assert.equal(r.diagnostics.map((d) => `${d.code} ${d.message}`), [], JSON.stringify(text));
  assert.equal(slow.diagnostics.map((d) => `${d.code} ${d.message}`), [], `slow path: ${JSON.stringify(text)}`);
  assert.equal(spanTexts(text, r), spanTexts(text, slow), `the two paths' spans: ${JSON.stringify(text)}`);
  return r;
}

test("a flow list continued at column 0 (LAVIS's valid_splits): its values, and each value's span on its own line", () => {
  const text = 'run:\n  valid_splits: ["val",\n"test"]\n  seed: 42\n';
  const r = readBoth(text);
  assert.equal(typedJson(r.root!), { run: { valid_splits: ["val", "test"], seed: 42 } });
  assert.equal(spanTexts(text, r), [
    ["run:key", "run"], ["run", 'valid_splits: ["val",\n"test"]\n  seed: 42\n'],
    ["run.valid_splits:key", "valid_splits"], ["run.valid_splits", '["val",\n"test"]'],
    ["run.valid_splits.0", '"val"'], ["run.valid_splits.1", '"test"'],
    ["run.seed:key", "seed"], ["run.seed", "42"],
  ]);
  const run = r.root!.entries.get("run")!;
  assert.ok(run.kind === "map");
  const item = run.entries.get("valid_splits")!;
  assert.ok(item.kind === "list");
  // file:line:col as diagnostics show it: the second item at line 3, column 1; the next key's value where it stands.
  const source = new SourceFile("f.yaml", text);
  assert.equal(source.position(item.items[1]!.span!.start), { line: 3, column: 1 });
  assert.equal(source.position(run.entries.get("seed")!.span!.start), { line: 4, column: 9 });
});

/** PyYAML reads each of these (the OmegaConf test below checks it), with these values. */
const READ: [string, unknown][] = [
  ["run:\n  opts: {a: 1,\n b: \"x\"}\n  seed: 42\n", { run: { opts: { a: 1, b: "x" }, seed: 42 } }],
  ["model:\n  sizes: [[1, 2],\n[3,\n  4], {k: [5,\n6]}]\n  arch: blip\n", { model: { sizes: [[1, 2], [3, 4], { k: [5, 6] }], arch: "blip" } }],
  ["run:\n  splits: [\n\"val\",\n\"test\"\n]\n  seed: 1\n", { run: { splits: ["val", "test"], seed: 1 } }],
  ["run:\n  l:\n    - [a,\nb]\n    - {c: 1,\nd: 2}\n    - e\n", { run: { l: [["a", "b"], { c: 1, d: 2 }, "e"] } }],
  ["a:\n- [1,\n2]\n- 3\n", { a: [[1, 2], 3] }],
  ["run:\n  v: [a b\nc, d\n  e]\n  w: 1\n", { run: { v: ["a b c", "d e"], w: 1 } }],
  ["run:\n  v: [\"a\nb\", 'c\n\nd']\n", { run: { v: ["a b", "c\nd"] } }],
  ["run:\n  v: [a, # c\n# d\nb]\n  w: 1\n", { run: { v: ["a", "b"], w: 1 } }],
  // A comment at column 0 after a flow mapping's value: the `yaml` package's "Comments must be separated ..." is wrong.
  ["run:\n  v: {a: 1\n# c\n, b: {c: x\n# d\n}}\n", { run: { v: { a: 1, b: { c: "x" } } } }],
  ["a: [1,\n2]\nb: {c: 3,\nd: 4}\n", { a: [1, 2], b: { c: 3, d: 4 } }],
  ["model:\n  x:\n    y:\n      z: [1,\n   2]\n  w: 3\n", { model: { x: { y: { z: [1, 2] } }, w: 3 } }],
  ["a: [---x,\n...y,\n ---, -1]\n", { a: ["---x", "...y", "---", -1] }],
  ["run:\n  v: [a,\n\n  b\n]  # c\n  w: 1\n", { run: { v: ["a", "b"], w: 1 } }],
];

/**
 * PyYAML stops on each: a document marker at column 0 ends a flow collection (after an item, in a plain or quoted
 * scalar), `%` at column 0 starts a directive, `- ` is a block entry, a `:` with no key; after the collection the
 * block rules hold again.
 */
const REFUSED = [
  "a: [1,\n---\n]\n", "a: [1,\n...\n]\n", "a: {b: 1,\n--- \n}\n", "a: [x\n...\n]\n", "a: [\"x\n--- y\"]\n", "a: ['x\n...\ny']\n",
  "a: [1,\n%x]\n", "a: [1,\n- b]\n", "a:\n  x: {b: 1,\n: 2}\n", "run:\n  v: [1,\n2]\n      w: 1\n", "run:\n  v: [1,\n2]\n w: 1\n",
];

test("lists and mappings continued below their key's indentation read as PyYAML reads them, on both paths", () => {
  for (const [text, expected] of READ) assert.equal(typedJson(readBoth(text).root!), expected, JSON.stringify(text));
});

test("what PyYAML still refuses in a flow collection is LV1008, on both paths", () => {
  for (const text of REFUSED) {
    for (const read of [readYaml, readYamlSlow]) {
      const r = read(text, "f.yaml");
      assert.ok(r.diagnostics.length > 0 && r.diagnostics.every((d) => d.code === "LV1008"), `${JSON.stringify(text)}: ${r.diagnostics.map((d) => d.code)}`);
    }
  }
});

testWith(test, OMEGACONF)("the same files: lavisc reads what OmegaConf.load reads, with its values, and refuses what it refuses", () => {
  const first = 'run:\n  valid_splits: ["val",\n"test"]\n  seed: 42\n';
  assert.equal(differences([first, ...READ.map(([t]) => t), ...REFUSED]), []);
});

/** A random flow collection laid over lines at random indentations (column 0 included), with comment lines. */
function brokenFlow(rnd: () => number, depth: number): string {
  const pick = seededPick(rnd);
  const gap = (): string => {
    const r = rnd();
    if (r < 0.55) return " ";
    const line = () => "\n" + " ".repeat(pick([0, 0, 1, 2, 3, 5]));
    return r < 0.9 ? line() : `${line()}# c${line()}`;
  };
  // Words break over lines only where PyYAML folds them: a plain or quoted scalar goes on on the next line.
  const words = (w: string) => w.replace(/ /g, () => (rnd() < 0.5 ? " " : "\n" + " ".repeat(pick([0, 1, 4]))));
  const item = (): string => {
    if (depth < 2 && rnd() < 0.25) return brokenFlow(rnd, depth + 1);
    return words(pick(["a", "1", "2.5", "x_y", "1e-5", "true", "null", "b c d", "-1", "'s t'", '"q r"', '"e\\tf"']));
  };
  const n = Math.floor(rnd() * 4);
  if (rnd() < 0.5) return `[${gap()}${Array.from({ length: n }, item).join(`${gap()},${gap()}`)}${gap()}]`;
  return `{${gap()}${Array.from({ length: n }, (_, i) => `k${i}:${gap()}${item()}`).join(`${gap()},${gap()}`)}${gap()}}`;
}

/** A LAVIS-like document whose values are random flow collections over lines (see brokenFlow). */
function brokenFlowDocument(rnd: () => number): string {
  const lines: string[] = [];
  for (const section of ["model", "run"]) {
    lines.push(`${section}:`);
    const pad = " ".repeat(rnd() < 0.5 ? 2 : 4);
    for (let i = 0; i < 3; i++) {
      if (rnd() < 0.25) lines.push(`${pad}l${i}:`, `${pad}  - ${brokenFlow(rnd, 0)}`, `${pad}  - x`);
      else lines.push(`${pad}k${i}: ${brokenFlow(rnd, 0)}`);
    }
  }
  return lines.join("\n") + "\nlast: 1\n";
}

testWith(test, OMEGACONF)("300 random documents with flow collections over lines at any indentation read as OmegaConf.load reads them", () => {
  const rnd = seededRandom(20261206);
  const docs = Array.from({ length: 300 }, () => brokenFlowDocument(rnd));
  assert.equal(differences(docs), []);
});

test.run();
