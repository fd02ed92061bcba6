import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyMap, scalar, type CMap, type CNode, type ScalarType } from "../../src/semantic/configTree.js";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { canonicalText, typedDifferences, typedJson } from "../../src/interop/configCompare.js";
import { exportYaml, yamlFloat, yamlString } from "../../src/interop/exportYaml.js";
import { omegaConf } from "./interopHarness.js";
import { loadStdlib } from "../../src/project/stdlib.js";
import { OMEGACONF, testWith } from "../harness/requires.js";

// Values that a naive YAML writer gets wrong in OmegaConf: each must read back as the same type and value, with
// lavisc's own YAML reader (OmegaConf's typing) and, when installed, the real OmegaConf.

const origin = { kind: "file" as const, span: null };
const s = (v: string | number | boolean | null, t: ScalarType): CNode => scalar(v, t, origin);
const map = (entries: [string, CNode][]): CMap => ({ ...emptyMap(origin), entries: new Map(entries) });
const list = (items: CNode[]): CNode => ({ kind: "list", items, origin, span: null, keySpan: null });

const TRICKY_STRINGS = [
  "1e-5", "1e-05", "2e4", "1.0", ".5", "1_000", "0x10", "0o17", "010", "1:20", "123", "-1", "+1", ".inf", "-.inf", ".nan", "NaN",
  "true", "True", "false", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "", " ", " lead", "trail ", "a: b", "a:", "a:b", "#x", "a #b", "a#b",
  "${run.init_lr}", "prefix ${x} suffix", "a\\${b}", "\\", "=", "<<", "-", "- x", "-x", "[a]", "{a}", "*a", "&a", "!a", "%a", "@a", "`a", "|", ">", "?x", ",a",
  "'q'", "\"dq\"", "tab\there", "new\nline", "caf\u00e9 \u00fc", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "https://x.y/z?a=1&b=2", "env://", "C:\\path",
  "a picture of ", "output/BLIP/Caption_coco", "ViT-B-16", "linear_warmup_cosine_lr",
  "0x_", "-0b_", "._", "0_", // number patterns Python cannot convert (OmegaConf.load would raise), and one it can
  // Characters PyYAML's reader refuses raw (they were written raw: a ReaderError), and its other line breaks (they were
  // written raw: read back as line breaks, LV1008 on lavisc's own check of the export).
  "del\x7f", "c1\x80\x85\x9f", "ls\u2028ps\u2029", "non\ufffe\uffff", "\x01\x1f",
];
const FLOATS = [1.0, 1e-5, 2e-5, 20000.0, -0.5, 0.1 + 0.2, 1e16, 1e-300, 5e-324, 123456789.125, -0.0, Infinity, -Infinity, NaN];
const INTS = [0, -1, 42, 2 ** 53 - 1, -(2 ** 31)];

function trickyRoot(): CMap {
  return map([
    ["run", map([
      ...TRICKY_STRINGS.map((v, i): [string, CNode] => [`s${i}`, s(v, "string")]),
      ...FLOATS.map((v, i): [string, CNode] => [`f${i}`, s(v, "float")]),
      ...INTS.map((v, i): [string, CNode] => [`i${i}`, s(v, "int")]),
      ["b1", s(true, "bool")], ["b0", s(false, "bool")], ["nul", s(null, "null")],
      ["strings", list(TRICKY_STRINGS.map((v) => s(v, "string")))],
      ["nested", list([list([s(1, "int"), s(1.5, "float")]), map([["k", s("a: b", "string")], ["1", s("true", "string")]]), list([])])],
      ["empty", map([])],
      ["1", s("key that is a number", "string")], ["true", s("key true", "string")], ["a b", s("spaced key", "string")], ["a.b", s("dotted", "string")], ["", s("empty key", "string")],
    ])],
  ]);
}

test("yamlString quotes exactly what OmegaConf would misread", () => {
  assert.is(yamlString("blip_caption", false), "blip_caption");
  assert.is(yamlString("https://x.y/z", false), "https://x.y/z");
  for (const v of ["1e-5", "true", "null", "~", "123", "a: b", "#x", " x", "x ", ""]) assert.is(yamlString(v, false), JSON.stringify(v), v);
  assert.is(yamlString("${a.b}", false), '"\\\\${a.b}"');
  // What JSON.stringify leaves raw and PyYAML cannot read raw: YAML's escapes.
  assert.is(yamlString("a\x7f\x80\x85\u2028\u2029\ufffe\uffff\u00e9", false), '"a\\x7f\\x80\\N\\L\\P\\ufffe\\uffff\u00e9"');
  assert.is(yamlFloat(1), "1.0");
  assert.is(yamlFloat(1e-5), "1e-05");
  assert.is(yamlFloat(Infinity), ".inf");
});

test("lavisc's YAML reader reads the export back to the same values and types", () => {
  const root = trickyRoot();
  const text = exportYaml({ root, registry: loadStdlib().registry }, "test");
  const back = readYaml(text, "/virtual/export.yaml");
  // `${...}` strings come back escaped (OmegaConf unescapes them on access, lavisc's reader does not); the rest must be identical.
  assert.ok(back.root, back.diagnostics.map((d) => d.message).join("\n"));
  const want = map([...root.entries].map(([k, v]) => [k, stripInterpolations(v)]));
  const got = map([...back.root!.entries].map(([k, v]) => [k, stripInterpolations(v)]));
  assert.is(canonicalText(got), canonicalText(want));
});

function stripInterpolations(n: CNode): CNode {
  if (n.kind === "map") return { ...n, entries: new Map([...n.entries].filter(([, v]) => !(v.kind === "scalar" && String(v.value).includes("${")) && v.kind !== "expr").map(([k, v]) => [k, stripInterpolations(v)])) };
  if (n.kind === "list") return { ...n, items: n.items.filter((v) => !(v.kind === "scalar" && String(v.value).includes("${"))).map(stripInterpolations) };
  return n;
}

testWith(test, OMEGACONF)("the real OmegaConf reads the export back to the same values and types", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-quoting-"));
  try {
    const file = join(dir, "tricky.yaml");
    const root = trickyRoot();
    writeFileSync(file, exportYaml({ root, registry: loadStdlib().registry }, "test"));
    const loaded = omegaConf("load", [file])[file]!;
    assert.equal(typedDifferences(typedJson(root), loaded), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
