// The generated stdlib registries: they parse cleanly, and (when the LAVIS corpus is present) they declare exactly what
// LAVIS registers, with the default configs' values carried over unchanged (ints stay ints, floats stay floats).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "../../src/syntax/index.js";
import type * as A from "../../src/syntax/ast.js";
import { generate, get, loadYaml, type Value } from "../../tools/genStdlib.js";
import { LAVIS_CORPUS, available } from "../harness/requires.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const corpusRoot = join(repo, "..", "shared", "lavis-configs");
const FILES = ["processors.lv", "models.lv", "datasets.lv", "registries.lv"] as const;

const texts = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(repo, "stdlib", f), "utf8")]));
const parsed = Object.fromEntries(FILES.map((f) => [f, parse(texts[f]!, `stdlib/${f}`)]));
const ast = (f: (typeof FILES)[number]): A.File => parsed[f]!.ast;

const registries = (file: A.File, kind: A.RegistryKind) =>
  new Map(file.declarations.filter((d): d is A.RegistryDecl => d.kind === "RegistryDecl" && d.registry === kind).map((d) => [d.name.name, d]));
const enumValues = (name: string) => {
  const e = ast("registries.lv").declarations.find((d): d is A.EnumDecl => d.kind === "EnumDecl" && d.name.name === name);
  assert.ok(e, `enum ${name} is declared`);
  return e!.values.map((v) => v.name);
};
const typeClauses = (d: A.RegistryDecl) => new Map(d.members.filter((m): m is A.TypeClause => m.kind === "TypeClause").map((t) => [t.name.name, t]));
const member = (members: readonly A.Member[], key: string) =>
  members.find((m): m is A.Assignment | A.Block => (m.kind === "Assignment" || m.kind === "Block") && m.key.segments.map((s) => s.name).join(".") === key);

/** The value an AST member or expression denotes, in the generator's YAML value form (tagged objects regain `name`). */
function toValue(node: A.Expr | A.Member): Value {
  switch (node.kind) {
    case "Assignment": return toValue(node.value);
    case "Block": case "MapLit": return { t: "map", entries: node.members.map((m) => [keyOf(m), toValue(m)]) };
    case "ObjectLit":
      return { t: "map", entries: [["name", { t: "str", v: node.tag.map((s) => s.name).join(".") }], ...node.members.map((m): [string, Value] => [keyOf(m), toValue(m)])] };
    case "StringLit": return { t: "str", v: node.value };
    case "IntLit": return { t: "int", v: node.value };
    case "FloatLit": return { t: "float", v: node.value };
    case "BoolLit": return { t: "bool", v: node.value };
    case "NullLit": return { t: "null" };
    case "ListLit": return { t: "list", items: node.items.map(toValue) };
    case "Unary": {
      const inner = toValue(node.operand);
      if (node.op === "-" && (inner.t === "int" || inner.t === "float")) return { ...inner, v: -inner.v };
      break;
    }
  }
  throw new Error(`unexpected ${node.kind} in generated data`);
}
const keyOf = (m: A.Member) => (m.kind === "Assignment" || m.kind === "Block" ? m.key.segments.map((s) => s.name).join(".") : m.kind);

const syntax = suite("stdlib syntax");

for (const f of FILES) {
  syntax(`${f} parses with no diagnostics`, () => {
    assert.equal(parsed[f]!.diagnostics.map((d) => d.code), []);
    assert.ok(ast(f).declarations.length > 0);
  });
}

syntax("every arch and builder lists only declared tasks", () => {
  const tasks = new Set(enumValues("TaskName"));
  for (const [file, kind] of [["models.lv", "arch"], ["datasets.lv", "builder"]] as const) {
    for (const [name, decl] of registries(ast(file), kind)) {
      const list = member(decl.members, "tasks");
      assert.ok(list && list.kind === "Assignment" && list.value.kind === "ListLit", `${name} has a tasks list`);
      for (const item of (list as A.Assignment & { value: A.ListLit }).value.items) {
        const t = item.kind === "Ref" ? item.path.map((s) => s.name).join(".") : item.kind === "StringLit" ? item.value : "?";
        assert.ok(tasks.has(t), `${name}: task ${t} is a TaskName`);
      }
    }
  }
});

syntax("spot checks: values keep their YAML types", () => {
  const coco = typeClauses(registries(ast("models.lv"), "arch").get("blip_retrieval")!).get("coco")!;
  const queue = member(coco.members, "queue_size") as A.Assignment;
  assert.is(queue.value.kind, "IntLit");
  assert.is((queue.value as A.IntLit).value, 57600);
  const albef = typeClauses(registries(ast("models.lv"), "arch").get("albef_retrieval")!).get("coco")!;
  const eps = member(albef.members, "vit_layer_norm_epsilon") as A.Assignment; // `1e-6` in the YAML
  assert.is(eps.value.kind, "FloatLit");
  assert.is((eps.value as A.FloatLit).value, 1e-6);
  const alpro = typeClauses(registries(ast("models.lv"), "arch").get("alpro_retrieval")!).get("msrvtt")!;
  const drop = member((member(alpro.members, "timesformer") as A.Block).members, "attn_drop_rate") as A.Assignment; // `0.`
  assert.is(drop.value.kind, "FloatLit");
  const pre = member(coco.members, "preprocess") as A.Block;
  const train = member((member(pre.members, "vis_processor") as A.Block).members, "train") as A.Assignment;
  assert.is(train.value.kind, "ObjectLit");
  assert.equal((train.value as A.ObjectLit).tag.map((s) => s.name), ["blip_image_train"]);
  const msrvtt = typeClauses(registries(ast("datasets.lv"), "builder").get("msrvtt_caption")!).get("default")!;
  assert.equal(toValue(member(msrvtt.members, "default_key")!), { t: "str", v: "msrvtt_cap" });
  const flickr = typeClauses(registries(ast("datasets.lv"), "builder").get("flickr30k_caption_instruct")!).get("default")!;
  assert.is(flickr.members.length, 1);
  assert.ok(member(flickr.members, "invalid"), "the misspelled default path is marked invalid");
});

syntax.run();

const corpus = suite("stdlib against the LAVIS registry");
const haveCorpus = available(corpus, "registry comparisons", LAVIS_CORPUS);

if (haveCorpus) {
  const reg = JSON.parse(readFileSync(join(corpusRoot, "registry.json"), "utf8")) as {
    models: Record<string, { model_types: Record<string, string> }>;
    datasets: Record<string, { types: Record<string, string> }>;
    processors: Record<string, { params: Record<string, unknown> }>;
    tasks: string[];
    lr_schedulers: string[];
    runners: string[];
  };
  const sorted = (xs: Iterable<string>) => [...xs].sort();

  corpus("enums list exactly LAVIS's tasks, schedulers and runners", () => {
    assert.equal(sorted(enumValues("TaskName")), sorted(reg.tasks));
    assert.equal(sorted(enumValues("LrScheduler")), sorted(reg.lr_schedulers));
    assert.equal(sorted(enumValues("Runner")), sorted(reg.runners));
  });

  corpus("every arch and model type, and only those", () => {
    const archs = registries(ast("models.lv"), "arch");
    assert.equal(sorted(archs.keys()), sorted(Object.keys(reg.models)));
    for (const [name, m] of Object.entries(reg.models)) assert.equal(sorted(typeClauses(archs.get(name)!).keys()), sorted(Object.keys(m.model_types)), name);
    assert.is(typeClauses(archs.get("pnp_unifiedqav2_fid")!).size, 0);
  });

  corpus("every builder and dataset type, and only those", () => {
    const builders = registries(ast("datasets.lv"), "builder");
    assert.equal(sorted(builders.keys()), sorted(Object.keys(reg.datasets)));
    for (const [name, d] of Object.entries(reg.datasets)) assert.equal(sorted(typeClauses(builders.get(name)!).keys()), sorted(Object.keys(d.types)), name);
  });

  corpus("every processor with exactly its parameters", () => {
    const procs = registries(ast("processors.lv"), "processor");
    assert.equal(sorted(procs.keys()), sorted(Object.keys(reg.processors)));
    for (const [name, p] of Object.entries(reg.processors)) {
      const fields = procs.get(name)!.members.filter((m): m is A.FieldDecl => m.kind === "FieldDecl").map((m) => m.key.segments[0]!.name);
      assert.equal(sorted(fields), sorted(Object.keys(p.params)), name);
    }
  });

  corpus("model types carry their default file's values unchanged", () => {
    const archs = registries(ast("models.lv"), "arch");
    for (const [arch, m] of Object.entries(reg.models)) {
      for (const [type, path] of Object.entries(m.model_types)) {
        const clause = typeClauses(archs.get(arch)!).get(type)!;
        const { value } = loadYaml(readFileSync(join(corpusRoot, path), "utf8"), true);
        const model = get(value, "model");
        assert.ok(model?.t === "map", path);
        const expected: Value = { t: "map", entries: (model as Value & { t: "map" }).entries.filter(([k]) => k !== "arch" && k !== "model_type") };
        const pre = get(value, "preprocess");
        if (pre) expected.entries.push(["preprocess", pre]);
        assert.equal(toValue({ kind: "MapLit", members: clause.members } as A.MapLit), expected, `${arch}(${type})`);
      }
    }
  });

  corpus("dataset types carry their default file's values unchanged", () => {
    const builders = registries(ast("datasets.lv"), "builder");
    for (const [builder, d] of Object.entries(reg.datasets)) {
      for (const [type, path] of Object.entries(d.types)) {
        const clause = typeClauses(builders.get(builder)!).get(type)!;
        const abs = join(corpusRoot, path);
        const loaded = existsSync(abs) ? loadYaml(readFileSync(abs, "utf8"), true) : null;
        if (!loaded || loaded.error) {
          assert.ok(member(clause.members, "invalid"), `${builder}(${type}) is marked invalid`);
          continue;
        }
        const [fileKey, content] = (get(loaded.value, "datasets") as Value & { t: "map" }).entries[0]!;
        const expected: Value = { t: "map", entries: [...(fileKey === builder ? [] : [["default_key", { t: "str", v: fileKey }] as [string, Value]]), ...(content as Value & { t: "map" }).entries] };
        assert.equal(toValue({ kind: "MapLit", members: clause.members } as A.MapLit), expected, `${builder}(${type})`);
      }
    }
  });

  corpus("the checked-in files are what the generator writes", () => {
    const { texts: fresh } = generate(corpusRoot);
    for (const f of FILES) assert.ok(fresh[f] === texts[f], `stdlib/${f} is stale: rerun node dist/tools/genStdlib.js`);
  });
}
corpus.run();

