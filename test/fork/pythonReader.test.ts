import { test } from "uvu";
import * as assert from "uvu/assert";
import { logicalLines } from "../../src/fork/pythonTokens.js";
import { readModule, flatLines } from "../../src/fork/pythonModule.js";
import { evaluate, pyText } from "../../src/fork/pythonValue.js";
import { configReads, type Root } from "../../src/fork/configReads.js";
import { findRegistrations } from "../../src/fork/registrations.js";

// The static Python reader: logical lines, module outline, constant values, configuration reads, registrations.

const value = (src: string, names: Record<string, string> = {}) => {
  const consts = new Map(Object.entries(names).map(([k, v]) => [k, evaluate(logicalLines(v)[0]!.tokens)]));
  return pyText(evaluate(logicalLines(src)[0]!.tokens, (n) => consts.get(n)));
};

test("logical lines join brackets and backslashes, skip comments, keep triple-quoted strings whole", () => {
  const lines = logicalLines('x = {\n  "a": 1,  # one\n  "b": [2,\n 3]}\ny = 1 + \\\n 2\ns = """a\nb"""\n');
  assert.equal(lines.map((l) => l.line), [1, 5, 7]);
  assert.is(lines[0]!.tokens.map((t) => t.text).join(""), 'x={"a":1,"b":[2,3]}');
  assert.is(lines[2]!.tokens[2]!.value, "a\nb");
});

test("values: literals, implicit concatenation, format, os.path.join, names, subscripts; the rest is unknown", () => {
  assert.is(value('{"a": [1, 2.5, True, None], "b": "x" "y"}'), '{"a": [1, 2.5, True, None], "b": "xy"}');
  assert.is(value('"configs/{task}/{}.yaml".format("train", task="vig")'), '"configs/vig/train.yaml"');
  assert.is(value('os.path.join("configs", "models", "x.yaml")'), '"configs/models/x.yaml"');
  assert.is(value("PATHS[KIND]", { PATHS: '{"clips": "c.yaml"}', KIND: '"clips"' }), '"c.yaml"');
  assert.is(value("-1e-3"), "-0.001");
  assert.is(value('f"{x}.yaml"'), 'f"{x}.yaml"');
  assert.is(value("registry.get('MAX_INT')"), "registry.get('MAX_INT')");
});

test("the module outline: decorators, bases, class attributes in order, methods with parameters, docstring", () => {
  const m = readModule("pkg/b.py", [
    "from pkg.common.registry import registry as reg",
    "BASE = 'configs'",
    "@reg.register_builder('x')",
    "class X(pkg.Base, metaclass=M):",
    '    """Builds X.',
    "",
    '    More text."""',
    "    KIND = 'x'",
    "    def build(self, cfg, *args):",
    "        if True:",
    "            return cfg.a",
  ].join("\n"));
  assert.equal(m.imports, [{ local: "reg", module: "pkg.common.registry", name: "registry" }]);
  const c = m.classes[0]!;
  assert.equal(c.bases, ["pkg.Base"]);
  assert.is(c.decorators[0]!.map((t) => t.text).join(""), "reg.register_builder('x')");
  assert.equal(c.assignments.map((a) => a.name), ["KIND"]);
  assert.equal(c.methods[0]!.params, ["self", "cfg", "args"]);
  assert.is(flatLines(c.methods[0]!.body).length, 2);
  assert.is(c.doc, "Builds X.");
});

test("config reads: get with defaults, attributes, subscripts, aliases, section attributes, conditional defaults", () => {
  const src = [
    "def setup(cls, cfg):",
    "    run_cfg = cfg.run_cfg",
    "    gen = run_cfg.generate_cfg",
    "    beams = gen.num_beams",
    "    n = run_cfg.get('max_new_tokens', 64)",
    "    k = cfg.model_cfg['lora']",
    "    f = getattr(run_cfg, 'fast', False)",
    "    frames = self.config.num_frm if self.config.num_frm else 8",
    "    if 'extra' in run_cfg: pass",
    "    x = run_cfg.items()",
  ].join("\n");
  const fn = readModule("t.py", src).functions[0]!;
  const roots = new Map<string, Root>([["self.config", { section: "dataset", path: [] }]]);
  const reads = configReads(flatLines(fn.body), roots, () => undefined);
  const shown = [...new Set(reads.map((r) => `${r.section}:${r.path.join(".")}${r.default ? `=${pyText(r.default)}` : ""}`))];
  assert.equal(shown, [
    "run:generate_cfg", "run:generate_cfg.num_beams", "run:max_new_tokens=64", "model:lora", "run:fast=False", "dataset:num_frm=8", "dataset:num_frm", "run:extra=None",
  ]);
});

test("registrations: the decorated classes, names evaluated in the class body, dicts inherited from the repository's bases", () => {
  const base = readModule("pkg/base.py", "class Base:\n    DATASET_CONFIG_DICT = {'default': 'configs/base.yaml'}\n    def build(self):\n        n = self.config.get('n', 3)\n");
  const mod = readModule("pkg/b.py", [
    "from pkg.common.registry import registry",
    "from pkg.base import Base",
    "NAMES = {'a': 'built_a'}",
    "@registry.register_builder(NAMES['a'])",
    "class A(Base):",
    "    pass",
    "@registry.register_model('m')",
    "class M:",
    "    PRETRAINED_MODEL_CONFIG_DICT = {'t': 'configs/m.yaml'}",
    "    @classmethod",
    "    def from_config(cls, c):",
    "        return c.get('width', 8)",
    "@registry.register_task(compute())",
    "class T: pass",
  ].join("\n"));
  const { registrations, unevaluated } = findRegistrations([base, mod]);
  assert.equal(registrations.map((r) => `${r.kind} ${r.name} ${r.registryModule}`), ["builder built_a pkg.common.registry", "arch m pkg.common.registry"]);
  assert.is(pyText(registrations[0]!.defaults.get("default")!), '"configs/base.yaml"');
  assert.equal(registrations[0]!.reads.map((r) => `${r.section}:${r.path.join(".")}`), ["dataset:n"]);
  assert.equal(registrations[1]!.reads.map((r) => `${r.section}:${r.path.join(".")}=${pyText(r.default!)}`), ["model:width=8"]);
  assert.is(unevaluated.length, 1);
  assert.match(unevaluated[0]!.text, /register_task\(compute\(\)\)/);
});

test("nothing throws on text that is not Python", () => {
  for (const src of ["", "@@@ (((", "class", "def f(:\n  x = [1,", "'''unterminated", "\\\\\n"]) {
    const m = readModule("x.py", src);
    assert.ok(Array.isArray(m.classes));
  }
});

test.run();
