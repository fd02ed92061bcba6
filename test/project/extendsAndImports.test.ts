import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkFile } from "../../src/index.js";
import { memoryHost } from "../../src/cli/host.js";
import { packageRoot } from "../../src/project/paths.js";
import { analyze } from "../../src/lsp/analysis.js";
import { definitionAt } from "../../src/lsp/definition.js";
import { getPath } from "../../src/semantic/configTree.js";

// What `extends` and `import` bring into an experiment across files: a file extended by path comes in as an import
// of it would (its declarations and its imports), `import "x.lv" as b` qualifies that module's experiments
// (`extends b.base`), and a name or a file that could mean two experiments is an error, never the first one found.

const cap = readFileSync(join(packageRoot(), "projects/blip/caption_coco_ft.lv"), "utf8");
/** The BLIP captioning project as experiment `name`, its eval text processor `processor`, `max_epoch` epochs. */
const base = (name: string, o: { processor?: string; epochs?: number } = {}) => cap
  .replace("experiment caption_coco_ft", `experiment ${name}`)
  .replace("text_processor.eval = blip_caption", `text_processor.eval = ${o.processor ?? "blip_caption"}`)
  .replace("max_epoch = 5", `max_epoch = ${o.epochs ?? 5}`);
const myCaption = "processor my_caption {\n  prompt: string = \"\"\n  max_words: int(> 0) = 50\n}\n";

function check(files: Record<string, string>, file = "child.lv") {
  const host = memoryHost(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/m/${k}`, v])), "/m");
  const r = checkFile(`/m/${file}`, host);
  const at = (d: (typeof r.diagnostics)[number]) => {
    const src = r.sources.find((s) => s.path === d.span?.file);
    const p = src && d.span ? src.position(d.span.start) : null;
    return p ? `${d.span!.file.replace("/m/", "")}:${p.line}:${p.column}` : "";
  };
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, at: at(d), message: d.message, hint: d.hint ?? "" }));
  const value = (...path: string[]) => {
    const node = r.resolved ? getPath(r.resolved.root, path) : undefined;
    return node && "value" in node ? node.value : undefined;
  };
  return { errors, codes: errors.map((e) => `${e.code} ${e.at}`), value, host };
}

test("extending a file brings in what it imports: its processor is known to the experiment that extends it", () => {
  const r = check({
    "defs.lv": myCaption,
    "base.lv": `import "defs.lv"\n${base("base", { processor: "my_caption" })}`,
    "child.lv": 'experiment child extends "base.lv" { }\n',
  });
  assert.equal(r.codes, []);
  assert.is(r.value("datasets", "coco_caption", "text_processor", "eval", "name"), "my_caption");
});

test("extending a file brings in its own declarations, and those of the files it extends in turn", () => {
  assert.equal(check({
    "base.lv": `${base("base", { processor: "my_caption" })}\n${myCaption}`,
    "child.lv": 'experiment child extends "base.lv" { }\n',
  }).codes, []);
  const chain = check({
    "defs.lv": myCaption,
    "grand.lv": `import "defs.lv"\n${base("grand", { processor: "my_caption" })}`,
    "base.lv": 'experiment base extends "grand.lv" {\n  recipe { max_epoch = 9 }\n}\n',
    "child.lv": 'experiment child extends "base.lv" { }\n',
  });
  assert.equal(chain.codes, []);
  assert.is(chain.value("run", "max_epoch"), 9);
});

test("extending a file is importing it: a declaration both files make and an import back are what an import gives", () => {
  const files = {
    "base.lv": `${base("base", { processor: "my_caption" })}\n${myCaption}`,
    "viaExtends.lv": `experiment child extends "base.lv" { }\n${myCaption.replace("50", "60")}`,
    "viaImport.lv": `import "base.lv"\nexperiment child extends base { }\n${myCaption.replace("50", "60")}`,
  };
  const codes = (f: string) => check(files, f).errors.map((e) => `${e.code} ${e.message}`);
  assert.equal(codes("viaExtends.lv"), codes("viaImport.lv"));
  // The base's import of the extending file closes a cycle, as `import "base.lv"` in the child would.
  const cycle = check({
    "base.lv": `import "child.lv"\n${base("base")}`,
    "child.lv": 'experiment child extends "base.lv" { }\n',
  });
  assert.equal(cycle.codes, ["LV2034 base.lv:1:8"]);
  assert.match(cycle.errors[0]!.message, "child.lv → base.lv → child.lv");
});

test("`import \"x.lv\" as b` qualifies x's experiments: `extends b.base`, and `base` alone is not x's", () => {
  const files = { "x.lv": base("base", { epochs: 5 }), "y.lv": base("base", { epochs: 7 }) };
  const qualified = check({ ...files, "child.lv": 'import "x.lv"\nimport "y.lv" as y\nexperiment child extends y.base { }\n' });
  assert.equal(qualified.codes, []);
  assert.is(qualified.value("run", "max_epoch"), 7);
  const plain = check({ ...files, "child.lv": 'import "x.lv"\nimport "y.lv" as y\nexperiment child extends base { }\n' });
  assert.equal(plain.codes, []);
  assert.is(plain.value("run", "max_epoch"), 5);
  const onlyAliased = check({ ...files, "child.lv": 'import "y.lv" as y\nexperiment child extends base { }\n' });
  assert.equal(onlyAliased.codes, ["LV2014 child.lv:2:26"]);
  const noSuchAlias = check({ ...files, "child.lv": 'import "x.lv" as x\nexperiment child extends q.base { }\n' });
  assert.equal(noSuchAlias.codes, ["LV2014 child.lv:2:26"]);
  assert.match(noSuchAlias.errors[0]!.hint, "`q` names no import of this file");
});

test("a name two imports both declare is an error naming both, with the hint to qualify or rename", () => {
  const r = check({
    "x.lv": base("base", { epochs: 5 }),
    "y.lv": base("base", { epochs: 7 }),
    "child.lv": 'import "x.lv"\nimport "y.lv"\nexperiment child extends base { }\n',
  });
  assert.equal(r.codes, ["LV2051 child.lv:3:26"]);
  assert.match(r.errors[0]!.message, "`x.lv` and `y.lv` each declare an experiment `base`");
  assert.match(r.errors[0]!.hint, '`import "y.lv" as y`) and extend `y.base`');
});

test("extending a file that declares two experiments is an error at the extends, naming them", () => {
  const r = check({ "two.lv": `${base("first")}\n${base("second")}`, "child.lv": 'experiment child extends "two.lv" { }\n' });
  assert.equal(r.codes, ["LV2052 child.lv:1:26"]);
  assert.match(r.errors[0]!.message, "`two.lv` declares 2 experiments (`first` and `second`)");
  assert.match(r.errors[0]!.hint, 'import "two.lv"');
  // What the hint says to do works.
  assert.equal(check({ "two.lv": `${base("first")}\n${base("second", { epochs: 3 })}`, "child.lv": 'import "two.lv"\nexperiment child extends second { }\n' }).codes, []);
});

test("extending a YAML file is one error at the extends (it is not read as `.lv`)", () => {
  const r = check({ "b.yaml": "model:\n  arch: blip_caption\n", "child.lv": 'experiment child extends "b.yaml" { }\n' });
  assert.equal(r.codes, ["LV2014 child.lv:1:26"]);
  assert.match(r.errors[0]!.hint, "lavisc migrate");
});

test("go to definition on `extends y.base` opens the aliased module's experiment", () => {
  const child = 'import "x.lv"\nimport "y.lv" as y\nexperiment child extends y.base { }\n';
  const { host } = check({ "x.lv": base("base"), "y.lv": base("base"), "child.lv": child });
  const loc = definitionAt(analyze("/m/child.lv", host), child.indexOf("y.base") + 3, host);
  assert.is(loc?.uri, "file:///m/y.lv");
});

test("an imported module that declares a stdlib processor's parameter again is LV2016, not a silent new type", () => {
  // Found by a hunt: `check` passed with the module's `max_words: string`, and `export` then refused the value.
  const shadow = "processor blip_caption {\n  max_words: string = \"seven\"\n}\n";
  const r = check({ "shadow.lv": shadow, "child.lv": `import "shadow.lv"\n${base("child")}` });
  assert.equal(r.codes, ["LV2016 shadow.lv:2:3"]);
  assert.match(r.errors[0]!.message, /Duplicate declaration `max_words`/);
  // Two modules that declare the same processor parameter: the same error, whichever is imported last.
  const again = check({ "a.lv": myCaption, "b.lv": myCaption.replace("= 50", "= 7"), "child.lv": `import "a.lv"\nimport "b.lv"\n${base("child", { processor: "my_caption" })}` });
  assert.ok(again.codes.some((c) => c.startsWith("LV2016 b.lv:3:3")), again.codes.join(", "));
});

test.run();
