import { parse as parseYaml } from "yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";
import { loadStdlib } from "../../src/project/stdlib.js";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { toPlain } from "../../src/semantic/configTree.js";
import { lavisJsonSchema } from "../../src/interop/jsonSchema.js";
import { corpusProjects } from "./interopHarness.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

// The JSON Schema's shape, and a small validator (the keywords the schema uses) run over LAVIS YAML: the corpus
// configs are valid, and typical mistakes are not.

type S = Record<string, unknown> | boolean;
const schema = lavisJsonSchema(loadStdlib().registry) as Record<string, unknown>;

/** Errors of `v` against `s`: type, enum, const, ranges, properties, required, propertyNames, items, anyOf, allOf, if/then, $ref. */
function validate(v: unknown, s: S, path = "", root = schema): string[] {
  if (s === true || s === undefined) return [];
  if (s === false) return [`${path}: not allowed`];
  const errs: string[] = [];
  if (typeof s.$ref === "string") errs.push(...validate(v, resolveRef(s.$ref, root), path, root));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => isType(v, t))) return [`${path}: expected ${types.join("|")}, got ${JSON.stringify(v)}`];
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) errs.push(`${path}: ${JSON.stringify(v)} is not one of the ${s.enum.length} allowed values`);
  if ("const" in s && s.const !== v) errs.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern, "u").test(v)) errs.push(`${path}: ${JSON.stringify(v)} does not match ${s.pattern}`);
  if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) errs.push(`${path}: ${v} < ${s.minimum}`);
    if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum) errs.push(`${path}: ${v} <= ${s.exclusiveMinimum}`);
    if (typeof s.maximum === "number" && v > s.maximum) errs.push(`${path}: ${v} > ${s.maximum}`);
    if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum) errs.push(`${path}: ${v} >= ${s.exclusiveMaximum}`);
  }
  if (isType(v, "object")) {
    const o = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, S>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) errs.push(`${path}: missing ${r}`);
    for (const [k, x] of Object.entries(o)) {
      if (s.propertyNames) errs.push(...validate(k, s.propertyNames as S, `${path}.${k} (name)`, root));
      if (k in props) errs.push(...validate(x, props[k]!, `${path}.${k}`, root));
      else if (s.additionalProperties !== undefined) errs.push(...validate(x, s.additionalProperties as S, `${path}.${k}`, root));
    }
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => errs.push(...validate(x, s.items as S, `${path}[${i}]`, root)));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => validate(v, x as S, path, root).length === 0)) errs.push(`${path}: matches none of anyOf`);
  if (Array.isArray(s.allOf)) for (const x of s.allOf) errs.push(...validate(v, x as S, path, root));
  if (s.if !== undefined && validate(v, s.if as S, path, root).length === 0 && s.then !== undefined) errs.push(...validate(v, s.then as S, path, root));
  return errs;
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case "object": return v !== null && typeof v === "object" && !Array.isArray(v);
    case "array": return Array.isArray(v);
    case "string": return typeof v === "string";
    case "number": return typeof v === "number";
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "boolean": return typeof v === "boolean";
    case "null": return v === null;
    default: return false;
  }
}

function resolveRef(ref: string, root: Record<string, unknown>): S {
  const parts = ref.replace(/^#\//, "").split("/");
  let cur: unknown = root;
  for (const p of parts) cur = (cur as Record<string, unknown>)[p];
  if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  return cur as S;
}

/** A YAML file as OmegaConf types it (what the editor sees, up to YAML 1.2 typing of `1e-5`). */
function yamlValue(text: string): unknown {
  const r = readYaml(text, "/virtual/x.yaml");
  return toPlain(r.root!);
}

test("shape: draft 2020-12, sections, registries as enums, docs, defaults, ranges", () => {
  const reg = loadStdlib().registry;
  assert.is(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.required, ["model", "datasets", "run"]);
  const defs = schema.$defs as Record<string, Record<string, unknown>>;
  const run = defs.run!.properties as Record<string, Record<string, unknown>>;
  assert.equal(run.task!.enum, [...reg.tasks.keys()]);
  assert.equal(run.lr_sched!.enum, [...reg.schedulers.keys()]);
  assert.is(run.lr_sched!.default, "linear_warmup_cosine_lr");
  assert.equal(run.runner!.enum, [...reg.runners.keys()]);
  // A number, bool or list field also takes a whole-value interpolation: its own type is the first alternative.
  const typed = (p: Record<string, unknown>) => (p.anyOf as Record<string, unknown>[] | undefined)?.[0] ?? p;
  assert.is(typed(run.init_lr!).type, "number");
  assert.is(typed(run.init_lr!).exclusiveMinimum, 0);
  assert.is(run.weight_decay!.default, 0.05);
  assert.is(run.warmup_lr!.default, undefined, "a formula is not a literal default");
  assert.match(String(run.warmup_lr!.description), /Default: init_lr\./);
  assert.match(String(run.init_lr!.description), /AdamW/);
  const model = defs.model!;
  assert.equal((model.properties as Record<string, Record<string, unknown>>).arch!.enum, [...reg.archs.keys()]);
  const branches = model.allOf as { if: { properties: { arch: { const: string } } }; then: { properties: { model_type: { enum: string[] } } } }[];
  const blip = branches.find((b) => b.if.properties.arch.const === "blip_caption")!;
  assert.equal(blip.then.properties.model_type.enum, [...reg.archs.get("blip_caption")!.types.keys()]);
  const datasets = defs.datasets!;
  assert.equal((datasets.propertyNames as { enum: string[] }).enum, [...reg.builders.keys()]);
  const proc = (defs.processor!.anyOf as Record<string, unknown>[])[1]!;
  assert.equal(((proc.properties as Record<string, { enum: string[] }>).name).enum, [...reg.processors.keys()]);
  const train = (proc.allOf as { if: { properties: { name: { const: string } } }; then: { properties: Record<string, Record<string, unknown>> } }[]).find((b) => b.if.properties.name.const === "blip_image_train")!;
  assert.is(typed(train.then.properties.image_size!).type, "integer");
});

function validatedCount(files: readonly string[]): number {
  let validated = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const r = readYaml(text, f);
    if (!r.root || r.diagnostics.length) continue;
    assert.equal(validate(yamlValue(text), schema), [], f);
    validated++;
  }
  return validated;
}

test("the test cases are valid against the schema", () => {
  const local = ["blip_caption_coco_ft", "albef_nlvr_eval", "alpro_msrvtt_retrieval_ft", "pnpvqa_okvqa_eval"].map((n) => fromRoot("test", "cases", "interop", `${n}.yaml`));
  assert.is(validatedCount(local), local.length);
});

testWith(test, LAVIS_CORPUS)("corpus configs (every 20th) are valid against the schema", () => {
  const files = corpusProjects().filter((_, i) => i % 20 === 0);
  assert.ok(validatedCount(files) >= files.length / 2);
});

test("typical mistakes are invalid", () => {
  const base = readFileSync(join(fromRoot("test", "cases", "interop"), "blip_caption_coco_ft.yaml"), "utf8");
  const bad = (from: string, to: string) => validate(yamlValue(base.replace(from, to)), schema);
  assert.ok(bad('lr_sched: "linear_warmup_cosine_lr"', 'lr_sched: "cosine"').some((e) => e.startsWith(".run.lr_sched")));
  assert.ok(bad("init_lr: 1e-5", "init_lr: -1").some((e) => e.startsWith(".run.init_lr")));
  assert.ok(bad("model_type: base_coco", "model_type: large_coco_typo").some((e) => e.startsWith(".model.model_type")));
  assert.ok(bad("coco_caption:", "coco_captions:").some((e) => e.includes("(name)")));
  assert.ok(bad('name: "blip_image_train"', 'name: "blip_image_trian"').some((e) => e.includes("vis_processor.train")));
  assert.ok(bad("    text_processor:\n        train:", "    text_processor:\n        trian:").some((e) => e.includes("text_processor.trian (name)")), "a processor slot other than train and eval");
  assert.ok(bad("batch_size_train: 32", "batch_size_train: 3.5").some((e) => e.startsWith(".run.batch_size_train")));
  assert.ok(bad("batch_size_train: 32", 'batch_size_train: "32 images"').some((e) => e.startsWith(".run.batch_size_train")));
});

test("a whole-value interpolation is valid where a number, a bool or a list goes (its type is the referenced key's)", () => {
  const base = readFileSync(join(fromRoot("test", "cases", "interop"), "blip_caption_coco_ft.yaml"), "utf8");
  // As the editor's YAML extension sees the file: the interpolation is a string.
  const errors = (from: string, to: string) => validate(parseYaml(base.replace(from, to)), schema);
  assert.equal(errors("batch_size_train: 32", "batch_size_train: ${run.batch_size_eval}"), []);
  assert.equal(errors("init_lr: 1e-5", 'init_lr: "${ run.min_lr }"'), []);
  assert.equal(errors("amp: False", "amp: ${.other}"), []);
  assert.ok(errors("batch_size_train: 32", "batch_size_train: x${run.batch_size_eval}").length > 0, "text around it makes a string");
});

test.run();
