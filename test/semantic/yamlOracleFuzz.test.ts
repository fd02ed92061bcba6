import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readYaml, readYamlSlow } from "../../src/semantic/fromYaml.js";
import { parseOverrides } from "../../src/semantic/overrides.js";
import { typedJson } from "../../src/interop/configCompare.js";
import { differences } from "./omegaConfOracle.js";
import { OMEGACONF, testWith } from "../harness/requires.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";

// lavisc's YAML reader against the real OmegaConf (OmegaConf.load, resolved): the same types and values, or both
// refuse the file. Seeded, so a failure reproduces.
//  - random plain scalars built from the pieces YAML 1.1's resolvers care about (digits, signs, `_`, `:`, `0x`,
//    `.inf`, booleans, `=`, ...): how `0x_`, `._` and `=` were found (OmegaConf.load raises; lavisc read a string and
//    NaN, and the text "=");
//  - random documents: block and flow mappings and lists, quoted and plain scalars with escapes, block scalars,
//    anchors and aliases, comments, continuation lines, keys the resolvers type (`on`, `0x10`, `null`), now and then
//    an empty, tagged or list key (`: 1`, `? `, `! :`, `{: 1}`, `!!null k:`, `[k]:`) or a character PyYAML's reader
//    refuses (DEL, a control): how the typed keys (LV1018, which lavisc reports where OmegaConf loads the file),
//    `[a, -]`, the empty keys (lavisc read a key "" where OmegaConf stops), the tagged keys (lavisc read the text) and
//    the refused characters (lavisc read them) were found.

const test = suite("YAML read as OmegaConf reads it");
const PIECES = ["_", ".", "_", ".", "0", "1", "7", "9", "00", "12", ".", "e", "E", "+", "-", "_", ":", "x", "X", "o", "b", "0x", "0o", "0b", "inf", "Inf", "INF", "nan", "NaN", ".inf", ".nan", "true", "True", "yes", "No", "on", "OFF", "null", "Null", "~", " ", "a", "f", "60", "59", "1e5", "e-", "e+", "="];
const CASES = 1500;

function randomScalars(seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = seededPick(rnd);
  const out = new Set<string>();
  while (out.size < CASES) {
    const n = 1 + Math.floor(rnd() * 4);
    let s = "";
    for (let j = 0; j < n; j++) s += pick(PIECES);
    if (s.trim() === s && s !== "") out.add(s); // leading/trailing spaces are not part of a plain scalar
  }
  return [...out];
}

const DOCUMENTS = 400;
const PLAIN = ["a", "b c", "1", "1.5", "1e-5", "2e4", "true", "no", "~", "null", "x_y", "-1", "0x1F", "1:30", ".inf", "a-b", "a.b", "http://x/y", "a:b", "\u00e9", "1_0", "+.5", "007", "-", "a'b", "a\"b", "==", "a=b"];
const KEYS = ["a", "b", "k1", "key_two", "x y", "1", "'q k'", "\"d k\"", "k.dot", "k-dash", "\u00e9", "2.5", "0x10", "true", "null", "~", "on", "1e5", "007", "-0", ".inf", "1.50", "True"];
/**
 * Now and then a key that is not plain text: empty (with nothing before the `:` PyYAML stops; after `?`, `!` or an
 * anchor the key is None), tagged (`!!null k` is None, `!!float 2` the float 2.0), a list.
 */
const ODD_KEYS = ["", "?\n", "! ", "&e ", "!!str ", "\"\"", "!!str on", "!!null k", "!!float 2", "!!int 3", "! on", "[k]"];
const DOUBLE_QUOTED = ["\"\"", "\"a\\nb\"", "\"tab\\t\"", "\"q\\\"q\"", "\"back\\\\\"", "\"\\x41\"", "\"\\u00e9\"", "\"1.5\"", "\"a # b\"", "\"\\/\"", "\"\\e\""];
const SINGLE_QUOTED = ["''", "'it''s'", "'a # b'", "'1'", "'\\n'"];
const BLOCK_LINES = ["text", "more  text", "  indented", "# not comment", "a: b"];
/** Characters PyYAML's reader refuses anywhere in a file (DEL, C0 and C1 controls, U+FFFE, U+FFFF). */
const REFUSED_CHARACTER = ["\x7f", "\x00", "\x01", "\x1b", "\x80", "\x9f", "\ufffe", "\uffff"];

/** A random YAML document of up to four levels (see the header). */
function randomDocument(rnd: () => number): string {
  const pick = seededPick(rnd);
  const chance = (p: number) => rnd() < p;
  let anchors = 0;
  // Now and then a lone `=` (OmegaConf stops on it: YAML 1.1's value key), where a plain value may stand.
  const plain = (): string => (chance(0.01) ? "=" : pick(PLAIN));
  const scalarText = () => (chance(0.55) ? plain() : chance(0.45) ? pick(DOUBLE_QUOTED) : chance(0.7) ? pick(SINGLE_QUOTED) : "");
  const flow = (d: number): string => {
    if (d > 2 || chance(0.5)) return chance(0.7) ? (chance(0.02) ? "=" : pick(PLAIN.filter((p) => !/[:,[\]{}#]/.test(p)))) : pick([...DOUBLE_QUOTED, ...SINGLE_QUOTED]);
    if (chance(0.5)) return `[${Array.from({ length: Math.floor(rnd() * 4) }, () => flow(d + 1)).join(pick([", ", ","]))}]`;
    return `{${Array.from({ length: Math.floor(rnd() * 3) }, (_, i) => `${chance(0.05) ? pick(["", "? "]) : pick(["a", "b", "c", "d"]) + i}: ${flow(d + 1)}`).join(", ")}}`;
  };
  const block = (indent: number, depth: number, lines: string[]): void => {
    const used = new Set<string>();
    const asList = depth > 0 && chance(0.25);
    const pad = " ".repeat(indent);
    for (let i = 1 + Math.floor(rnd() * 4); i > 0; i--) {
      const key = chance(0.03) ? pick(ODD_KEYS) : pick(KEYS);
      if (used.has(key)) continue;
      used.add(key);
      const head = asList ? `${pad}-` : `${pad}${key.replace("\n", `\n${pad}`)}:`;
      const comment = chance(0.15) ? "  # c" : "";
      const r = rnd();
      if (r < 0.4) lines.push(`${head} ${scalarText()}${comment}`.trimEnd());
      else if (r < 0.55) lines.push(`${head} ${flow(0)}${comment}`);
      else if (r < 0.8 && depth < 3) {
        lines.push(`${head}${chance(0.1) ? ` &x${anchors++}` : ""}${comment}`);
        block(indent + pick([2, 4]), depth + 1, lines);
      } else if (r < 0.88) {
        lines.push(`${head} ${pick(["|", ">", "|-", ">+", "|2"])}`);
        for (let j = 1 + Math.floor(rnd() * 3); j > 0; j--) lines.push(chance(0.2) ? "" : `${pad}  ${pick(BLOCK_LINES)}`);
      } else if (r < 0.93 && anchors) lines.push(`${head} *x${Math.floor(rnd() * anchors)}`);
      else if (r < 0.96) lines.push(`${head} first`, `${pad}  continued line`);
      else lines.push(head);
      if (chance(0.05)) lines.push("");
      if (chance(0.03)) lines.push(`${pad}# comment`);
    }
  };
  const lines: string[] = [];
  block(0, 0, lines);
  return withRefusedCharacter(lines.join("\n") + "\n", rnd);
}

/** Now and then one refused character somewhere in the text (in a comment or quoted text too). */
function withRefusedCharacter(text: string, rnd: () => number): string {
  if (rnd() >= 0.05) return text;
  const at = Math.floor(rnd() * text.length);
  return text.slice(0, at) + seededPick(rnd)(REFUSED_CHARACTER) + text.slice(at);
}

testWith(test, OMEGACONF)(`${CASES} random plain scalars read as OmegaConf.load reads them`, () => {
  assert.equal(differences(randomScalars(20261204).map((s) => `k: ${s}\n`)), []);
});

testWith(test, OMEGACONF)(`${DOCUMENTS} random documents read as OmegaConf.load reads them (typed keys are LV1018)`, () => {
  const rnd = seededRandom(4122026);
  const docs = Array.from({ length: DOCUMENTS }, () => randomDocument(rnd));
  assert.equal(differences(docs, (codes) => codes.every((c) => c === "LV1018")), []);
});

testWith(test, OMEGACONF)("lines that end in `\\r`, `\\r\\n` or NEL (U+0085): random documents read as OmegaConf.load reads them", () => {
  // PyYAML ends a line at each and reads it as `\n`; the yaml package ended one only at `\n` and `\r\n` (LV1008 or a
  // different value before yamlLineBreaks.ts).
  const rnd = seededRandom(20261205);
  const pick = seededPick(rnd);
  const docs = Array.from({ length: 150 }, () => randomDocument(rnd).replace(/\n/g, () => pick(["\n", "\r", "\r\n", "\u0085"])));
  assert.equal(differences(docs, (codes) => codes.every((c) => c === "LV1018")), []);
});

test("a merge key that names the mapping it is in merges nothing (it was an internal error: endless recursion)", () => {
  for (const t of ["a: &x\n  b: 1\n  <<: *x\n", "a: &x\n  b: 1\n  <<: [*x, *x]\n"]) {
    const r = readYaml(t, "f.yaml");
    assert.equal([typedJson(r.root!), r.diagnostics.map((d) => d.code)], [{ a: { b: 1 } }, []], t);
  }
});

testWith(test, OMEGACONF)("merge keys that name the mapping they are in, or one around it, as OmegaConf reads them", () => {
  // Around it: PyYAML builds a recursive mapping, on which OmegaConf stops (RecursionError); lavisc, LV1013.
  const texts = ["a: &x\n  b: 1\n  <<: *x\n", "d: &d {k: 1}\na: &x\n  b: 1\n  <<: [*x, *d]\n", "a: &x\n  b: 1\n  c:\n    <<: *x\n    e: 2\n"];
  assert.equal(differences(texts), []);
});

testWith(test, OMEGACONF)("U+2028 and U+2029 between keys and list items end a line, as in PyYAML", () => {
  const texts = ["a: 1\u2028b: 2\n", "a:\u2029  b: x\u2028  c: [1, 2]\nd:\n- 1\u2028- 2\n", "a: 'x'\u2028b: \"y\"\n"];
  assert.equal(differences(texts), []);
});

testWith(test, OMEGACONF)("`?x`, `x?` and `:x` in a flow collection: LV1008, as OmegaConf's loader stops on them or reads an indicator", () => {
  const texts = ["k: {a: ?x}\n", "k: [?x]\n", "k: [:x]\n", "k: {a: :x}\n", "k: {b: x?}\n", "k: [http://x/y?a=1]\n"];
  const problems = differences(texts, (codes) => codes.every((c) => c === "LV1008"));
  assert.equal(problems, []);
  for (const t of texts) assert.equal(readYaml(t, "f.yaml").diagnostics.map((d) => d.code), ["LV1008"], t);
  // Quoted, or not at the start, they are text to both.
  assert.equal(differences(["k: {a: \"?x\", b: \"x?\", c: a:b}\n", "k: [\":x\", '?', a:b]\n", "k: x?\n"]), []);
});

testWith(test, OMEGACONF)("tabs and aliases: lavisc refuses a file exactly where OmegaConf's loader stops", () => {
  // Refused: a tab after a value, between words, before a comment, as indentation, in a flow list, on a blank line;
  // an alias to no anchor, or to one that comes later. Read: tabs in quoted text, block text and comments.
  const texts = [
    "k: a\tb\n", "k: a\t\n", "k: a\t# c\n", "k:\ta\n", "k: [a,\tb]\n", "k: 1\n\t\nj: 2\n", "k: \"a#b\"\tx\n",
    "a: *x\n", "a: *x\nb: &x 1\n",
    "k: \"a\tb\"\n", "k: 'a\tb'\n", "k: |\n  a\tb\n", "k: 1 # a\tb\n", "# c\t\nk: 1\n", "b: &x 1\na: *x\n",
  ];
  assert.equal(differences(texts), []);
});

/** Characters PyYAML's reader refuses wherever they stand (lavisc read them), with the offset. */
const REFUSED_CHARACTERS: [string, number][] = [
  ["k: \"a\x7fb\"\n", 5], ["k: a\x7f\n", 4], ["k: 1 # \x80\n", 7], ["# \x9f\nk: 1\n", 2], ["k: 'a\ufffe'\n", 5], ["k: |\n  \uffff\n", 7],
  ["k: \x00\n", 3], ["k: \"\x1b\"\n", 4], ["\x7f: 1\n", 0],
];
/** Characters it reads: escapes of the refused ones, NEL, NBSP, a BOM, beyond the BMP. */
const READ_CHARACTERS = ["k: \"a\\x7fb\\x80\\uffff\"\n", "k: \"\xa0\u{1f600}\"\n", "\ufeffk: 1\n", "k: 1 # \u{1f600}\n", "k: a\x85j: 2\n"];

test("a character PyYAML's reader refuses is LV1008 where it stands, in quoted text and comments too (it was read)", () => {
  for (const [text, at] of REFUSED_CHARACTERS) {
    assert.equal(readYaml(text, "f.yaml").diagnostics.map((d) => [d.code, d.span?.start]), [["LV1008", at]], JSON.stringify(text));
  }
  for (const text of READ_CHARACTERS) assert.equal(readYaml(text, "f.yaml").diagnostics, [], JSON.stringify(text));
  // OmegaConf.from_dotlist reads an `--options` value with the same reader (it was read).
  assert.equal(parseOverrides([], ["run.output_dir=a\x7fb", "run.x=[\"\x80\"]"]).diagnostics.map((d) => [d.code, d.span?.start]), [["LV1008", 16], ["LV1008", 8]]);
  assert.equal(parseOverrides([], ["run.output_dir=\"a\\x7fb\""]).diagnostics, []);
});

testWith(test, OMEGACONF)("characters: lavisc refuses a file exactly where OmegaConf's loader stops", () => {
  assert.equal(differences([...REFUSED_CHARACTERS.map(([t]) => t), ...READ_CHARACTERS]), []);
});

/** Empty keys OmegaConf's loader refuses: a `:` with no key (PyYAML's parser stops), and after `?`, `!` or an anchor (a None key). */
const REFUSED_EMPTY_KEYS: [string, number][] = [
  ["a: 1\n:\n  b: 1\n", 5], [": 1\n", 0], ["a:\n  b: 1\n  : 2\n", 10], ["a:\n  - : 1\n", 7], ["a: {b: 1, : 2}\n", 10], ["a: [: 1]\n", 4],
  ["a: {:}\n", 4], ["? \n: 1\n", 2], ["a:\n  ?\n  : 1\n", 6], ["a: 1\n? # c\n", 7], ["a: {? : 1}\n", 6], ["a: [? ]\n", 6], ["! : 1\n", 2], ["&x : 1\n", 3],
  ["a:\n  ! : no\n", 7], ["a:\n  &x : no\n", 8], ["a: {b: !!str , : 1}\n", 15],
];
/** Empty keys it reads as the text "" (and a `=` or `:` that is a key's text). */
const READ_EMPTY_KEYS = ["\"\": 1\n", "'': 1\n", "!!str : 1\n", "? \"\"\n: 1\n", "? !!str\n: 1\n", ":a: 1\n", "a: {\"\": 1}\n",
  // The `yaml` package gave the first key's tag to the mapping (LV1015 and LV1008: a `!!str` mapping, a None key).
  "a:\n  !!str : no\n  b: 1\n", "a:\n- b:\n    !!str : 1\n"];

test("an empty key is LV1008 where OmegaConf's loader stops (it was read as a key \"\"), on both readers", () => {
  for (const [text, at] of REFUSED_EMPTY_KEYS) {
    for (const read of [readYaml, readYamlSlow]) {
      assert.equal(read(text, "f.yaml").diagnostics.map((d) => [d.code, d.span?.start]), [["LV1008", at]], text);
    }
  }
  for (const text of READ_EMPTY_KEYS) assert.equal(readYaml(text, "f.yaml").diagnostics, [], text);
});

testWith(test, OMEGACONF)("empty keys: lavisc refuses a file exactly where OmegaConf's loader stops", () => {
  assert.equal(differences([...REFUSED_EMPTY_KEYS.map(([t]) => t), ...READ_EMPTY_KEYS]), []);
});

/** Keys that are not plain text, where OmegaConf's loader stops (lavisc read them as text), with the offset. */
const REFUSED_KEYS: [string, number][] = [
  ["? [a, b]\n: 1\n", 2], ["? {a: 1}\n: 1\n", 2], ["? - a\n: 1\n", 2], ["a: {[a]: 1}\n", 4], ["a: [[a]: 1]\n", 4], ["b: &x {c: 1}\n*x : 1\n", 13],
  ["*x : 1\n", 0], ["!!null a: 1\n", 7], ["!!python/none a: 1\n", 14], ["!custom a: 1\n", 8], ["!!int x: 1\n", 6], ["!!map a: 1\n", 6],
  ["!!null : 1\n", 7], ["b: &x\n*x : 1\n", 6], ["a:\n  !!null : 1\n", 12],
];
/** Keys OmegaConf's loader reads as their text: an alias is its anchor's value, a tag that makes text. */
const READ_KEYS = ["b: &x k\n*x : 1\n", "b: &x k\n? *x\n: 1\n", "b: &x \"on\"\n*x : 1\n", "b: &x !!str on\n*x : 1\n", "!!str on: 1\n", "!!str null: 1\n", "!!int 1: 1\n", "!!float 2.5: 1\n"];
/** Keys it reads as something other than their text (LV1018, where lavisc's keys are text). */
const TYPED_KEYS = ["!!int 0x10: 1\n", "!!bool yes: 1\n", "!!float 1: 1\n", "b: &x on\n*x : 1\n", "! on: 1\n"];

test("keys that are lists, mappings, aliases or tagged are read as OmegaConf's loader reads them (they were read as text)", () => {
  for (const [text, at] of REFUSED_KEYS) {
    assert.equal(readYaml(text, "f.yaml").diagnostics.filter((d) => d.severity === "error").map((d) => d.span?.start), [at], text);
  }
  for (const text of READ_KEYS) assert.equal(readYaml(text, "f.yaml").diagnostics, [], text);
  for (const text of TYPED_KEYS) assert.equal(readYaml(text, "f.yaml").diagnostics.map((d) => d.code), ["LV1018"], text);
  assert.equal(typedJson(readYaml("b: &x k\n*x : 1\n", "f.yaml").root!), { b: "k", k: 1 });
});

testWith(test, OMEGACONF)("keys that are lists, mappings, aliases or tagged: lavisc refuses a file exactly where OmegaConf's loader stops", () => {
  assert.equal(differences([...REFUSED_KEYS.map(([t]) => t), ...READ_KEYS, ...TYPED_KEYS], (codes) => codes.every((c) => c === "LV1018")), []);
});

/** A lone `=` where OmegaConf's loader constructs a value (YAML 1.1's value key: it stops), with the offset. */
const REFUSED_EQUALS: [string, number][] = [
  ["a: =\n", 3], ["a:  =  # c\n", 4], ["a:\n  b: =\n", 8], ["a:\n  - =\n", 7], ["a: [b, =]\n", 7], ["a: [ = ]\n", 5], ["a: {b: =}\n", 7],
  ["a: &x =\n", 6], ["a: ! =\n", 5], ["a: [b: =]\n", 7],
];
/** `=` as a key (PyYAML's flatten_mapping makes it the text), quoted or tagged, or with more text: read as the text. */
const READ_EQUALS = ["=: 1\n", "a: {=: 1}\n", "a:\n  =: 1\n", "? =\n: 1\n", "a: \"=\"\n", "a: '='\n", "a: !!str =\n", "a: ==\n", "a: [==, =b, b=]\n", "a: = b\n", "a: !!null =\n"];

test("a lone `=` value is LV1008 (it was read as the text \"=\"); as a key, quoted or with more text it is text, on both readers", () => {
  for (const [text, at] of REFUSED_EQUALS) {
    for (const read of [readYaml, readYamlSlow]) {
      assert.equal(read(text, "f.yaml").diagnostics.map((d) => [d.code, d.span?.start]), [["LV1008", at]], text);
    }
  }
  for (const text of READ_EQUALS) {
    for (const read of [readYaml, readYamlSlow]) assert.equal(read(text, "f.yaml").diagnostics, [], text);
  }
  // OmegaConf.from_dotlist reads an `--options` value with the same loader.
  assert.equal(parseOverrides([], ["run.dist_url=="]).diagnostics.map((d) => d.code), ["LV1008"]);
  assert.equal(parseOverrides([], ["run.dist_url=\"=\"", "run.x==="]).diagnostics, []);
});

testWith(test, OMEGACONF)("`=`: lavisc refuses a file exactly where OmegaConf's loader stops", () => {
  assert.equal(differences([...REFUSED_EQUALS.map(([t]) => t), ...READ_EQUALS]), []);
});

test("`[a, -]` holds the text \"-\", as PyYAML reads it (YAML 1.2, and the yaml package, refuse it), on both readers", () => {
  const text = "a: [x, -]\nb: {k: -}\nc: [-, -1, -a]\nd: [[a], -]\ne: \"[a, -]\"\n";
  for (const read of [readYaml, readYamlSlow]) {
    const r = read(text, "dash.yaml");
    assert.equal(r.diagnostics, []);
    assert.equal(typedJson(r.root!), { a: ["x", "-"], b: { k: "-" }, c: ["-", -1, "-a"], d: [["a"], "-"], e: "[a, -]" });
  }
});

test.run();
