import { dirname, isAbsolute, join } from "node:path";
import type * as A from "../syntax/ast.js";
import { keyText } from "../syntax/ast.js";
import { diag, didYouMean, groupDigits, type Diagnostic, type RelatedInfo, type Span } from "../diagnostics/index.js";
import { cloneTree, emptyMap, isOmegaConfMissing, scalar, setPath, setPathOwned, getPath, type CMap, type CNode, type Origin } from "./configTree.js";
import { lowerMembers, lowerExpr } from "./fromLv.js";
import { evaluate, MAX_STRING_LENGTH, refTarget, UNRESOLVABLE, type EvalEnv, type Val } from "./evaluate.js";
import type { Registry, FieldInfo, EntryInfo, SchemaInfo } from "./registry.js";
import { recipeEntryField, recipeIndex } from "./recipeEntries.js";
import { exprText } from "./exprText.js";
import { typeOf, acceptsName, acceptsNull, type Type } from "../checker/types.js";
import type { FileRole } from "./fileRole.js";
import { usesOfDefaultFile } from "./defaultFiles.js";
import { missingDiagnostics, missingIn, missingWritten, takeMissing } from "./omegaconfMissing.js";
import { mergeConflicts } from "./mergeConflicts.js";
import { takeCodeFallbacks } from "./codeFallbacks.js";

/**
 * References followed from one value (`a: ${b}`, `b: ${c}`, ...). OmegaConf resolves them recursively and stops with
 * a RecursionError after about 60 (Python's default limit of 1,000 frames, measured with python3-omegaconf), so a
 * longer chain fails under LAVIS, and each hop is a level of recursion here too.
 */
const MAX_REFERENCE_HOPS = 50;

/**
 * Values the copies of one experiment's `${...}` interpolations of maps and lists may hold, counted as every later
 * walk of the tree meets them (a copy inside a copy counts again). A LAVIS config copies a few dozen.
 */
export const MAX_COPIED_VALUES = 100_000;

// Layers an experiment as LAVIS does, lowest first: schema defaults < model default config (arch + model_type) <
// dataset default configs (builder + type) < the experiment file < overrides; then fills the defaults the stdlib
// declares and computes references, recording for every value where it came from.

export { SCHEMAS, FORK_SCHEMAS, SECTIONS } from "./schemaNames.js";
import { SCHEMAS, FORK_SCHEMAS, SECTIONS } from "./schemaNames.js";
import { medConfigNode } from "./medConfigValue.js";

/**
 * Facts the compiler computes for stdlib formulas, under the read-only `lavisc.` prefix:
 * `lavisc.splits`, the splits the experiment's datasets provide (absent when a dataset's splits cannot be known).
 */
export function computedFact(tree: CMap, path: readonly string[]): CNode | undefined {
  if (path[0] !== "lavisc" || path[1] !== "splits" || path.length !== 2) return undefined;
  const datasets = getPath(tree, ["datasets"]);
  if (datasets?.kind !== "map") return undefined;
  const splits = new Set<string>();
  for (const cfg of datasets.entries.values()) {
    const s = datasetSplits(cfg);
    if (!s) return undefined;
    s.forEach((x) => splits.add(x));
  }
  const origin: Origin = { kind: "derived", span: null, from: "the datasets' splits" };
  return { kind: "list", items: [...splits].map((x) => scalar(x, "string", origin)), origin, span: null, keySpan: null };
}

/** The splits a dataset provides: the keys of `build_info.annotations` (or `build_info.splits`); null when unknowable. */
export function datasetSplits(cfg: CNode): string[] | null {
  if (cfg.kind !== "map") return null;
  const bi = cfg.entries.get("build_info");
  if (bi?.kind !== "map") return null;
  const ann = bi.entries.get("annotations");
  if (ann?.kind === "map") return [...ann.entries.keys()];
  const splits = bi.entries.get("splits");
  if (splits?.kind === "list") return splits.items.flatMap((i) => (i.kind === "scalar" ? [String(i.value)] : []));
  return null;
}
const TYPE_META = new Set(["default_key", "invalid"]);

export interface ExperimentInput {
  readonly file: string;
  readonly format: "lv" | "yaml";
  /** The file layer in LAVIS's sections ({model, datasets, run, ...}). */
  readonly root: CMap;
  readonly constraints: readonly A.Constraint[];
  /**
   * Set when part of the experiment could not be loaded (an `extends` or `import` that failed, already reported):
   * what is missing may be in the part that did not load, so rules that report absent values stay quiet.
   */
  readonly incomplete?: boolean;
  /** Reads files the experiment names for the compiler (a user's BERT config JSON); absent: none are read. */
  readonly reader?: { readFile(path: string): string; exists(path: string): boolean };
  /** What the file is (a project, or a default file checked as a fragment); absent means a project. */
  readonly role?: FileRole;
  /** The experiment's `sweep` block (its own, else the nearest one it extends); resolution ignores it. */
  readonly sweep?: A.SweepClause | null;
}

export interface Override {
  readonly path: readonly string[];
  readonly node: CNode;
  readonly text: string;
  readonly style: "set" | "options";
}

export interface Resolved {
  readonly input: ExperimentInput;
  readonly root: CMap;
  readonly registry: Registry;
  readonly diagnostics: Diagnostic[];
  readonly arch: EntryInfo | null;
  readonly task: EntryInfo | null;
  /** The type expected at a configuration path, when the stdlib declares one. */
  fieldAt(path: readonly string[]): FieldInfo | null;
  /** Recipe keys read by the chosen task, scheduler and runner, and keys specific to some other one. */
  readonly recipeRelevance: { readonly specific: ReadonlySet<string>; readonly relevant: ReadonlySet<string>; readonly readers: ReadonlyMap<string, string[]> };
  /** A computed fact under `lavisc.` (`lavisc.splits`, `lavisc.med_config.hidden_size`), as stdlib formulas see it. */
  fact(path: readonly string[]): CNode | undefined;
  /** The model type whose defaults were loaded (LAVIS takes it from the file, never from overrides). */
  readonly loadedModelType: string | null;
  readonly overrides: readonly Override[];
  /**
   * Paths whose value could not be computed, each already reported (a reference cycle, a dangling reference, or a
   * value that reads one): absent from the tree, and rules stay quiet about them.
   */
  readonly unresolvable: ReadonlySet<string>;
}

export function resolveExperiment(input: ExperimentInput, reg: Registry, overrides: readonly Override[] = []): Resolved {
  const diagnostics: Diagnostic[] = [];
  const role = input.role ?? "project";
  // A default file is its own layer: nothing is merged under it, and a model default keeps its `preprocess`.
  const file = role === "model-defaults" ? withLoadingArch(input, reg, diagnostics) : input.root;
  const fileModel = getPath(file, ["model"]);
  const archName = str(getPath(fileModel, ["arch"]));
  const typeName = str(getPath(fileModel, ["model_type"]));
  const arch = archName ? reg.archs.get(archName) ?? null : null;

  // Whether a default config merged below holds OmegaConf's `???` (known per type clause, see lowerType).
  const defaultsWithMissing = { value: false };

  // 1. Model default config of arch(model_type), with its `preprocess` section.
  let defaults = emptyMap({ kind: "model-default", span: null });
  const typeClause = arch && typeName ? arch.types.get(typeName) : undefined;
  if (arch && typeClause) {
    const from = `${arch.name}(${typeName})`;
    const lowered = lowerType(typeClause, { kind: "model-default", from }, diagnostics, `model type \`${from}\``, ["model"], defaultsWithMissing);
    const invalid = reg.metaString(typeClause, "invalid");
    if (invalid) diagnostics.push(diag("LV4013", typeName ? getPath(fileModel, ["model_type"])!.span : null, { dataset: from, type: typeName!, detail: invalid }, { path: "model.model_type" }));
    const pre = lowered.entries.get("preprocess");
    lowered.entries.delete("preprocess");
    defaults = setPath(defaults, ["model"], lowered, lowered.origin);
    if (pre) defaults = setPath(defaults, ["preprocess"], pre, pre.origin);
  }

  // 2. Dataset default configs, builder by builder, in file order.
  const fileDatasets = role === "dataset-defaults" ? undefined : getPath(file, ["datasets"]);
  if (fileDatasets?.kind === "map") {
    for (const [name, cfg] of fileDatasets.entries) {
      const builder = reg.builders.get(name);
      // LAVIS reads the file's entry (its `type`) before it merges the builder's defaults under it, so an entry that is
      // `???` stops it there (MissingMandatoryValue): no defaults are merged, and the `???` is left unset (LV3007).
      if (!builder || isOmegaConfMissing(cfg)) continue;
      const typeNode = getPath(cfg, ["type"]);
      const dsType = str(typeNode) ?? "default";
      const clause = builder.types.get(dsType);
      if (!clause) continue;
      const from = `${name}(${dsType})`;
      const invalid = reg.metaString(clause, "invalid");
      if (invalid) {
        diagnostics.push(diag("LV4013", (typeNode ?? cfg).keySpan ?? cfg.span, { dataset: name, type: dsType, detail: invalid }, { path: `datasets.${name}` }));
        continue;
      }
      const otherKey = reg.metaString(clause, "default_key");
      if (otherKey && otherKey !== name) {
        diagnostics.push(diag("LV4012", cfg.keySpan ?? cfg.span, { dataset: name, other: otherKey }, {
          path: `datasets.${name}`,
          hint: `LAVIS's own merge puts these defaults under \`datasets.${otherKey}\` and then fails to build a dataset of that name; lavisc merges them under \`${name}\`.`,
        }));
      }
      const lowered = lowerType(clause, { kind: "dataset-default", from }, diagnostics, `dataset type \`${from}\``, ["datasets", name], defaultsWithMissing);
      defaults = setPath(defaults, ["datasets", name], lowered, lowered.origin);
    }
  }

  // 3. The file over the defaults (LAVIS drops top-level sections other than model/datasets/run, and a project `preprocess`).
  // From here on the tree is this experiment's own copy (resolution fills it in place): the layers merge into it.
  const tree = cloneTree(defaults) as CMap;
  for (const [k, v] of file.entries) {
    if (k === "model" || k === "datasets" || k === "run" || (k === "preprocess" && role === "model-defaults")) {
      diagnostics.push(...mergeConflicts(tree, [k], v));
      setPathOwned(tree, [k], v, v.origin);
    }
  }

  // 4. Overrides, in order.
  for (const o of overrides) {
    diagnostics.push(...mergeConflicts(tree, o.path, o.node));
    setPathOwned(tree, o.path, o.node, o.node.origin, o.node.keySpan);
  }

  // OmegaConf's `???` that no layer filled: absent to the defaults below, and reported once they are in.
  const missingByLayer = role === "project" ? missingWritten(file, overrides) : [];
  // Only a layer that holds one can leave one (the file, an override, a default config): most experiments walk nothing.
  const mayMiss = missingByLayer.length > 0 || defaultsWithMissing.value || (role !== "project" && missingIn(file).length > 0);
  const missingLeft = mayMiss ? takeMissing(tree) : [];
  const task = reg.tasks.get(str(getPath(tree, ["run", "task"])) ?? "") ?? null;
  const relevance = recipeRelevance(reg, tree, task);
  const resolver = new Resolver(tree, reg, diagnostics, input);

  // A processor slot given by name alone (`text_processor.eval = blip_caption`) is that processor with its defaults.
  resolver.processorsByName();

  // 5. Defaults the stdlib declares, only where nothing else gave a value.
  if (task) {
    const block = task.blocks.get("recipe");
    if (block) {
      const lowered = lowerMembers(block.members, ["run"], { kind: "schema-default", from: `task ${task.name}`, diagnostics, where: `task \`${task.name}\`` }, block.span);
      for (const [k, v] of lowered.entries) resolver.fillDefault(["run", k], v);
    }
  }
  const recipe = reg.schemas.get(SCHEMAS.recipe);
  if (recipe) resolver.fillSchemaDefaults(["run"], recipe, (k) => relevance.relevant.has(k) || !relevance.specific.has(k));
  // The code defaults of the keys the chosen task and runner declare as their own (a fork's `predict_by_rank`).
  for (const e of [task, reg.runners.get(str(getPath(tree, ["run", "runner"])) ?? "runner_base")]) if (e?.schema.fields.size) resolver.fillSchemaDefaults(["run"], e.schema, () => true);
  const common = reg.schemas.get(SCHEMAS.modelCommon);
  if (common && getPath(tree, ["model"])) resolver.fillSchemaDefaults(["model"], common, () => true);
  // The arch's own keys (its declarations and the schemas they extend, e.g. BlipEncoders) and the ModelConfig keys it
  // `reads`; the shared ModelConfig's other defaults only document LAVIS's code fallbacks and are not filled in.
  if (arch && getPath(tree, ["model"])) {
    const shared = new Set(reg.metaNames(arch, "reads") ?? []);
    const generic = new Set<string>([SCHEMAS.model, FORK_SCHEMAS.model]);
    resolver.fillSchemaDefaults(["model"], arch.schema, (k) => !generic.has(arch.schema.fields.get(k)?.owner ?? SCHEMAS.model) || shared.has(k));
  }
  resolver.fillProcessorDefaults();

  // 6. Compute every expression (references and default formulas).
  resolver.resolveAll();
  resolver.boundCopies();
  diagnostics.push(...missingDiagnostics(missingByLayer, missingLeft, tree, overrides));

  const resolved: Resolved = {
    input,
    root: tree,
    registry: reg,
    diagnostics,
    arch,
    task,
    fieldAt: (p) => resolver.fieldAt(p),
    fact: (p) => resolver.fact(p),
    recipeRelevance: relevance,
    loadedModelType: typeName ?? null,
    overrides,
    unresolvable: resolver.unresolvable,
  };
  // 7. A LAVIS YAML means what LAVIS does with it: where it leaves out a key whose code fallback differs from the
  // documented default, the code's value (a `.lv` keeps the documented one, and LV4019 names both). No stdlib formula
  // reads these keys (test/semantic/codeFallbacks.test.ts holds it), so nothing computed from them changes. Not for the model's keys when its default config could
  // not be loaded (an unknown model type, already an error): the keys that config would give are missing, not left to
  // LAVIS's code.
  if (input.format === "yaml" && role === "project" && !input.incomplete) takeCodeFallbacks(resolved, !typeName || !!typeClause);
  return resolved;
}

/**
 * A model default file names an arch that LAVIS never reads (the project's `arch` wins; LAVIS's own BLIP-2 files say
 * `arch: pretrain`). The file is checked against the arch whose model type loads it, when one does.
 */
function withLoadingArch(input: ExperimentInput, reg: Registry, diagnostics: Diagnostic[]): CMap {
  const written = getPath(input.root, ["model", "arch"]);
  const name = str(written);
  const uses = usesOfDefaultFile(reg, input.file).filter((u) => u.kind === "arch");
  const use = uses.find((u) => u.entry.name === name) ?? uses[0];
  if (!use || use.entry.name === name) return input.root;
  const origin: Origin = { kind: "derived", span: use.entry.decl.name.span, from: `the arch whose model type \`${use.type}\` loads this file` };
  const span = written?.span ?? null;
  diagnostics.push(diag("LV2025", span ?? getPath(input.root, ["model"])?.keySpan ?? null, { written: name ?? "(none)", arch: use.entry.name, type: use.type }, { path: "model.arch" }));
  return setPath(input.root, ["model", "arch"], scalar(use.entry.name, "string", origin, span, written?.keySpan ?? null), origin) as CMap;
}

/** The name a node holds: a string, or a bare name still waiting to be resolved (`runner = runner_iter`). */
function str(n: CNode | undefined): string | null {
  if (n && n.kind === "scalar" && typeof n.value === "string") return n.value;
  if (n && n.kind === "expr" && n.expr.kind === "Ref" && n.expr.path.length === 1 && !n.expr.interpolated) return n.expr.path[0]!.name;
  return null;
}

/** Schema defaults that are one literal scalar (`= 1e-5`, `= "cosine"`), lowered once per field. */
const constantDefaults = new WeakMap<FieldInfo, CNode>();

function isLiteralScalar(e: A.Expr): boolean {
  switch (e.kind) {
    case "StringLit": case "IntLit": case "FloatLit": case "BoolLit": case "NullLit": return true;
    case "Unary": return e.op === "-" && (e.operand.kind === "IntLit" || e.operand.kind === "FloatLit");
    case "Paren": return isLiteralScalar(e.inner);
    default: return false;
  }
}

/** Lowered default configs, per type clause: the same arch or builder defaults serve every experiment of a process. */
const loweredTypes = new WeakMap<A.TypeClause, { map: CMap; diagnostics: Diagnostic[]; hasMissing: boolean }>();

function lowerType(clause: A.TypeClause, o: { kind: "model-default" | "dataset-default"; from: string }, diagnostics: Diagnostic[], where: string, scope: readonly string[], withMissing: { value: boolean }): CMap {
  let hit = loweredTypes.get(clause);
  if (!hit) {
    const own: Diagnostic[] = [];
    const members = clause.members.filter((m) => !(m.kind === "Assignment" && TYPE_META.has(keyText(m.key))));
    const map = lowerMembers(members, scope, { kind: o.kind, from: o.from, diagnostics: own, where }, clause.span);
    hit = { map, diagnostics: own, hasMissing: missingIn(map).length > 0 };
    loweredTypes.set(clause, hit);
  }
  if (hit.hasMissing) withMissing.value = true;
  diagnostics.push(...hit.diagnostics);
  // Callers take `preprocess` out of it: hand out a shallow copy of the top level; deeper maps are never mutated
  // before resolveExperiment copies the defaults (cloneTree).
  return { ...hit.map, entries: new Map(hit.map.entries) };
}

function recipeRelevance(reg: Registry, tree: CMap, task: EntryInfo | null) {
  const { specific, readers } = recipeIndex(reg);
  const relevant = new Set<string>();
  const chosen: (EntryInfo | null | undefined)[] = [
    task,
    reg.schedulers.get(str(getPath(tree, ["run", "lr_sched"])) ?? "linear_warmup_cosine_lr"),
    reg.runners.get(str(getPath(tree, ["run", "runner"])) ?? "runner_base"),
  ];
  for (const e of chosen) if (e) for (const k of [...(reg.metaNames(e, "reads") ?? []), ...e.schema.fields.keys()]) relevant.add(k);
  return { specific, relevant, readers };
}

class Resolver {
  /** The keys whose values are being computed, outermost first, with their expressions (for cycles). */
  private readonly resolving = new Map<string, CNode & { kind: "expr" }>();
  /** Keys whose values cannot be computed, each already reported (a cycle, a dangling reference, or a reader of one). */
  readonly unresolvable = new Set<string>();
  /** List items computed from a YAML interpolation, with its text (OmegaConf's str() of the list writes the text). */
  private readonly writtenTexts = new WeakMap<CNode, string>();
  /** Lists whose items are all resolved (resolveValue walks each once). */
  private readonly settledLists = new WeakSet<CNode>();
  /** Maps and lists an interpolation put in place (they share the nodes they name), for boundCopies. */
  private readonly copies = new WeakSet<CNode>();
  private copiesMade = 0;
  private copiesCut = false;
  private medConfig: CMap | null | undefined;

  constructor(private readonly tree: CMap, private readonly reg: Registry, private readonly diagnostics: Diagnostic[], private readonly input: ExperimentInput) {}

  /** `lavisc.<fact>`: the datasets' splits, or the med config the model names. */
  fact(path: readonly string[]): CNode | undefined {
    if (path[1] !== "med_config") return computedFact(this.tree, path);
    if (this.medConfig === undefined) {
      this.medConfig = null;
      const pathNode = this.resolveAt(["model", "med_config_path"]);
      this.medConfig = pathNode && pathNode !== UNRESOLVABLE ? readMedConfig(pathNode, this.reg, this.input, this.diagnostics) : null;
    }
    return this.medConfig ? getPath(this.medConfig, path.slice(2)) : undefined;
  }

  fieldAt(path: readonly string[]): FieldInfo | null {
    const [section, a, b, c, d] = path;
    if (section === "run" && a && path.length === 2) return this.reg.schemas.get(SCHEMAS.recipe)?.fields.get(a) ?? this.recipeEntryField(a);
    if (section === "model" && a && path.length === 2) {
      const arch = this.reg.archs.get(str(getPath(this.tree, ["model", "arch"])) ?? "");
      return this.reg.schemas.get(SCHEMAS.modelCommon)?.fields.get(a) ?? arch?.schema.fields.get(a) ?? this.reg.schemas.get(SCHEMAS.model)?.fields.get(a) ?? null;
    }
    if (section === "datasets" && a && b) {
      if (path.length === 3) {
        const builder = this.reg.builders.get(a);
        return builder?.schema.fields.get(b) ?? this.reg.schemas.get(SCHEMAS.dataset)?.fields.get(b) ?? null;
      }
      if (b.endsWith("_processor") && c && d && path.length === 5) return this.processorField(["datasets", a, b, c], d);
    }
    if (section === "preprocess" && a?.endsWith("_processor") && b && c && path.length === 4) return this.processorField(["preprocess", a, b], c);
    return null;
  }

  /**
   * A run key a task, runner or scheduler declares as its own field (a fork's task reading `run.gen_style`): the chosen
   * entry's declaration first, else any entry's, so a key of another task still has its type.
   */
  private recipeEntryField(key: string): FieldInfo | null {
    const chosen = [
      this.reg.tasks.get(str(getPath(this.tree, ["run", "task"])) ?? ""),
      this.reg.runners.get(str(getPath(this.tree, ["run", "runner"])) ?? "runner_base"),
      this.reg.schedulers.get(str(getPath(this.tree, ["run", "lr_sched"])) ?? "linear_warmup_cosine_lr"),
    ];
    for (const e of chosen) {
      const f = e?.schema.fields.get(key);
      if (f) return f;
    }
    return recipeEntryField(this.reg, key);
  }

  processorSchema(slotPath: readonly string[]): SchemaInfo | null {
    const name = str(getPath(this.tree, [...slotPath, "name"]));
    return name ? this.reg.processors.get(name)?.schema ?? null : null;
  }

  private processorField(slotPath: readonly string[], param: string): FieldInfo | null {
    return this.processorSchema(slotPath)?.fields.get(param) ?? null;
  }

  fillDefault(path: readonly string[], node: CNode): void {
    if (getPath(this.tree, path) !== undefined) return;
    const parent = getPath(this.tree, path.slice(0, -1));
    if (!parent || parent.kind !== "map") return;
    parent.entries.set(path.at(-1)!, node);
  }

  fillSchemaDefaults(section: readonly string[], schema: SchemaInfo, wanted: (key: string) => boolean): void {
    const target = getPath(this.tree, section);
    if (!target || target.kind !== "map") return;
    schema.fields.forEach((f, k) => {
      if (f.default && !target.entries.has(k) && wanted(k)) target.entries.set(k, this.defaultNode(f, section));
    });
  }

  private defaultNode(f: FieldInfo, section: readonly string[]): CNode {
    const constant = constantDefaults.get(f);
    if (constant) return constant;
    const isLiteral = !this.readsKeys(f.default!, section);
    const origin: Origin = { kind: isLiteral ? "schema-default" : "derived", span: f.span, from: `= ${exprText(f.default!)}` };
    const node = lowerExpr(f.default!, section, origin, { kind: origin.kind, diagnostics: this.diagnostics, where: f.owner });
    const filled = { ...node, origin: { ...origin, span: f.span } } as CNode;
    // A scalar written as a literal is the same node for every experiment (scalars are never changed in place).
    if (filled.kind === "scalar" && isLiteralScalar(f.default!)) constantDefaults.set(f, filled);
    return filled;
  }

  /** Does a default formula read other keys (then its value is "derived"), or is it a constant? */
  private readsKeys(e: A.Expr, section: readonly string[]): boolean {
    switch (e.kind) {
      case "Ref": return e.path.length > 1 || e.interpolated || this.fieldAt([...section, e.path[0]!.name]) !== null;
      case "ListLit": return e.items.some((i) => this.readsKeys(i, section));
      case "Unary": return this.readsKeys(e.operand, section);
      case "Binary": return this.readsKeys(e.left, section) || this.readsKeys(e.right, section);
      case "IfExpr": case "Template": return true;
      case "Paren": return this.readsKeys(e.inner, section);
      default: return false;
    }
  }

  /** Every processor slot of the datasets and of `preprocess`, as the path of its map. */
  private processorSlots(): string[][] {
    const out: string[][] = [];
    const datasets = getPath(this.tree, ["datasets"]);
    if (datasets?.kind === "map") {
      for (const [name, cfg] of datasets.entries) {
        if (cfg.kind !== "map") continue;
        for (const [slot, slots] of cfg.entries) {
          if (slot.endsWith("_processor") && slots.kind === "map") for (const split of slots.entries.keys()) out.push(["datasets", name, slot, split]);
        }
      }
    }
    const pre = getPath(this.tree, ["preprocess"]);
    if (pre?.kind === "map") {
      for (const [slot, slots] of pre.entries) {
        if (slot.endsWith("_processor") && slots.kind === "map") for (const split of slots.entries.keys()) out.push(["preprocess", slot, split]);
      }
    }
    return out;
  }

  processorsByName(): void {
    for (const path of this.processorSlots()) {
      const node = getPath(this.tree, path);
      const name = node && node.kind !== "map" ? str(node) : null;
      if (!node || !name || (node.kind === "scalar" && !node.bare)) continue;
      const entries = new Map<string, CNode>([["name", { ...scalar(name, "string", node.origin, node.span, node.span), bare: true }]]);
      this.replace(path, { kind: "map", entries, origin: node.origin, span: node.span, keySpan: node.keySpan });
    }
  }

  fillProcessorDefaults(): void {
    for (const slotPath of this.processorSlots()) {
      const schema = this.processorSchema(slotPath);
      if (schema) this.fillSchemaDefaults(slotPath, schema, () => true);
    }
  }

  /**
   * Cuts the copies past MAX_COPIED_VALUES to null (LV1026, once, at the first one cut): the outermost copy, where
   * the `${...}` that makes the value too big is written. A copy shares the nodes it names, so copies of copies
   * (`l2: {x: ${l1}, y: ${l1}}`) cost nothing here but double what every later walk of the tree visits.
   */
  boundCopies(): void {
    if (this.copiesMade === 0) return; // most files copy no map or list: no walk
    let copied = 0;
    // Set when the budget runs out inside a copy: the walk returns to the outermost copy, which is cut.
    let over = false;
    const cut = (node: CNode): CNode => {
      if (!this.copiesCut) this.diagnostics.push(diag("LV1026", node.span, { max: groupDigits(MAX_COPIED_VALUES) }));
      this.copiesCut = true;
      return scalar(null, "null", node.origin, node.span, node.keySpan);
    };
    // The node to keep in its place: itself, or null for an outermost copy past the budget.
    const visit = (node: CNode, inCopy: boolean): CNode => {
      const isCopy = this.copies.has(node);
      const counted = isCopy || inCopy;
      if (counted && copied >= MAX_COPIED_VALUES) {
        if (inCopy) over = true;
        return inCopy ? node : cut(node);
      }
      if (counted) copied++;
      if (node.kind === "map") {
        for (const [k, v] of node.entries) {
          const kept = visit(v, counted);
          if (kept !== v) node.entries.set(k, kept);
          if (over) break;
        }
      } else if (node.kind === "list") {
        for (let i = 0; i < node.items.length && !over; i++) node.items[i] = visit(node.items[i]!, counted);
      }
      if (over && isCopy && !inCopy) {
        over = false;
        return cut(node);
      }
      return node;
    };
    visit(this.tree, false);
  }

  resolveAll(): void {
    // One path array for the walk (a copy only where an expression is resolved): this walk visits every node.
    const path: string[] = [];
    const walk = (node: CNode, key: string) => {
      path.push(key);
      if (node.kind === "map") node.entries.forEach(walk);
      else if (node.kind === "list") node.items.forEach((v, i) => walk(v, String(i)));
      else if (node.kind === "expr") this.resolveAt([...path]);
      path.pop();
    };
    this.tree.entries.forEach(walk);
  }

  private expectedType(path: readonly string[]): Type | null {
    const f = this.fieldAt(path);
    return f ? typeOf(f.type, this.reg) : null;
  }

  /**
   * Resolves the expression stored at `path` (if any) in place and returns the resulting node; UNRESOLVABLE for a
   * value that cannot be computed and whose error is already reported (a cycle, or a value that reads one).
   */
  resolveAt(path: readonly string[]): CNode | undefined | typeof UNRESOLVABLE {
    const key = path.join(".");
    if (this.unresolvable.has(key)) return UNRESOLVABLE;
    const node = getPathIncludingLists(this.tree, path);
    if (!node || node.kind !== "expr") return node;
    if (this.resolving.has(key)) return this.circular(key);
    if (this.resolving.size >= MAX_REFERENCE_HOPS) {
      this.diagnostics.push(diag("LV2039", node.span, { name: node.text, max: MAX_REFERENCE_HOPS }, { path: key }));
      return this.fail(path);
    }
    this.resolving.set(key, node);
    try {
      // A list element takes the list's element type; a bare name where a name is expected is that name.
      const listElem = /^\d+$/.test(path.at(-1) ?? "");
      const fieldPath = listElem ? path.slice(0, -1) : path;
      const t = this.expectedType(fieldPath);
      const e = node.expr;
      if (e.kind === "Ref" && !e.interpolated && e.path.length === 1) {
        const name = e.path[0]!.name;
        const target = refTarget([name], this.env(node.scope));
        const nameExpected = t ? acceptsName(t) : true;
        if (nameExpected || !target) {
          const s: CNode = { ...scalar(name, "string", node.origin, node.span, node.keySpan), bare: true };
          return this.replace(path, s);
        }
      }
      const env = this.env(node.scope);
      const v = evaluate(e, env);
      // What it read could not be computed, and the reason is already reported: this value fails with it, silently.
      if (v.k === "error" && v.reported) return this.fail(path);
      // A value that reads a map enclosing it (`run.init_lr.x = ${run.init_lr}`) would contain itself, without end.
      const enclosing = env.deps.find((d) => key.startsWith(`${d.path}.`));
      if (enclosing) {
        const cycle = `\`${key}\` is inside \`${enclosing.path}\``;
        this.diagnostics.push(diag("LV2015", node.span, { name: node.text, cycle }, { path: key }));
        return this.fail(path);
      }
      // A default formula that gives null for a key that cannot be null, or that meets null in an operator (CLIP's
      // `vit_heads` of a `vit_width` set to null), means "no default here".
      const isDefault = node.origin.kind === "schema-default" || node.origin.kind === "derived";
      if (v.k === "error" && v.nullOperand && isDefault) return this.remove(path);
      if (v.k === "value" && isDefault && v.node.kind === "scalar" && v.node.type === "null" && t && !acceptsNull(t)) return this.remove(path);
      if (v.k === "value") {
        const origin: Origin = { ...node.origin, from: node.origin.from ?? `= ${node.text}`, deps: env.deps };
        const value = { ...v.node, origin, span: node.span, keySpan: node.keySpan } as CNode;
        if (listElem && node.fromYaml) this.writtenTexts.set(value, node.text);
        if (value.kind !== "scalar") {
          this.copies.add(value);
          this.copiesMade++;
        }
        return this.replace(path, value);
      }
      // A string past the budget is refused at its key, and read as null so that the strings built from it stay short.
      if (v.k === "error" && v.tooLong) {
        this.diagnostics.push(diag("LV1025", node.span, { max: groupDigits(MAX_STRING_LENGTH) }, { path: key }));
        return this.replace(path, scalar(null, "null", node.origin, node.span, node.keySpan));
      }
      if (v.k === "error") {
        this.diagnostics.push(diag("LV2012", v.expr.span.file === node.span?.file ? v.expr.span : node.span, { name: exprText(v.expr) }, { path: key, hint: v.message }));
        return this.fail(path);
      }
      if (v.k === "unset" && [v, ...(v.more ?? [])].map((u) => this.danglingReference(node, u, key)).some(Boolean)) return this.fail(path);
      // Unset input: the value stays absent (the required-value rule reports the missing input where it matters).
      return this.remove(path);
    } finally {
      this.resolving.delete(key);
    }
  }

  /**
   * The value at `path` as an expression reads it: a list with its items resolved (`val in valid_splits`,
   * `"${run.valid_splits}"`), lists inside it included. A list whose item cannot be computed cannot be read either.
   */
  private resolveValue(path: readonly string[]): CNode | undefined | typeof UNRESOLVABLE {
    const node = this.resolveAt(path);
    if (node === UNRESOLVABLE || node?.kind !== "list" || this.settledLists.has(node)) return node;
    for (let i = 0; i < node.items.length; i++) {
      const item = this.resolveValue([...path, String(i)]);
      if (item === UNRESOLVABLE || item === undefined) return item;
    }
    this.settledLists.add(node);
    return node;
  }

  /**
   * A key met again while its own value is being computed: one LV2015 for the whole cycle, at the key where it was
   * entered, naming its keys in order with each other key's value as a related location. Every key of the cycle (and
   * whatever reads one) is then UNRESOLVABLE: none gets a stand-in value that other errors could be derived from.
   */
  private circular(key: string): typeof UNRESOLVABLE {
    const open = [...this.resolving.keys()];
    const members = open.slice(open.indexOf(key));
    const entry = this.resolving.get(key)!;
    const next = (i: number) => members[(i + 1) % members.length]!;
    const cycle = [...members, key].map((k) => `\`${k}\``).join(" → ");
    const related: RelatedInfo[] = [];
    members.forEach((k, i) => {
      const span = this.resolving.get(k)!.span;
      if (i > 0 && span) related.push({ span, message: `\`${k}\` reads \`${next(i)}\`` });
    });
    this.diagnostics.push(diag("LV2015", entry.span, { name: entry.text, cycle }, { path: key, related }));
    for (const k of members) this.unresolvable.add(k);
    return UNRESOLVABLE;
  }

  /** The value at `path` cannot be computed, and a diagnostic says why: it is absent, and readers fail silently. */
  private fail(path: readonly string[]): typeof UNRESOLVABLE {
    this.unresolvable.add(path.join("."));
    this.remove(path);
    return UNRESOLVABLE;
  }

  /**
   * A reference the user wrote that reads nothing: a key no schema declares (a typo, `${run.no_such_key}`), or any
   * unset key behind a YAML interpolation (OmegaConf stops with InterpolationKeyError). A stdlib default reading an
   * unset key is fine: the value stays absent and the required-value rule speaks where it matters.
   */
  private danglingReference(node: CNode & { kind: "expr" }, unset: Val & { k: "unset" }, key: string): boolean {
    if (node.origin.kind !== "file" && node.origin.kind !== "override") return false;
    const target = unset.path;
    const declared = this.fieldAt(target.split(".")) !== null;
    const interpolated = (node.expr.kind === "Ref" && node.expr.interpolated) || node.expr.kind === "Template";
    if (declared && !interpolated) return false;
    const hint = declared
      ? `\`${target}\` has no value here, and OmegaConf stops on an interpolation of a missing key; set it, or write the value out.`
      : `\`${target}\` is not a key of the experiment. ${this.keyNear(target) ?? "Check the spelling (`lavisc explain` lists every key)."}`;
    // Inside a string, the reference itself when the reader could place it.
    const inString = node.expr.kind === "Template" && unset.ref;
    const at = unset.ref && unset.ref.span.file === node.span?.file ? unset.ref.span : node.span;
    this.diagnostics.push(diag("LV2012", at, { name: inString ? exprText(unset.ref!) : node.text }, { path: key, hint }));
    return true;
  }

  /** "Did you mean `run.init_lr`?" for a misspelt reference, from the keys of the map it would be in. */
  private keyNear(target: string): string | null {
    const path = target.split(".");
    const parent = getPath(this.tree, path.slice(0, -1));
    if (parent?.kind !== "map") return null;
    const near = didYouMean(path.at(-1)!, parent.entries.keys());
    return near && near.replace(/`([^`]+)`/g, (_m, k: string) => `\`${[...path.slice(0, -1), k].join(".")}\``);
  }

  private env(scope: readonly string[]): EvalEnv {
    return {
      scope,
      sections: SECTIONS,
      deps: [],
      lookup: (p) => (p[0] === "lavisc" ? this.fact(p) : this.resolveValue(p)),
      isKey: (s, name) => this.fieldAt([...s, name]) !== null,
      // `${oc.env:NAME}` reads the environment lavisc runs in, as OmegaConf does when LAVIS reads the value.
      environment: (name) => process.env[name],
      writtenText: (n) => this.writtenTexts.get(n),
    };
  }

  private replace(path: readonly string[], node: CNode): CNode {
    const parent = getPathIncludingLists(this.tree, path.slice(0, -1));
    const last = path.at(-1)!;
    if (parent?.kind === "map") parent.entries.set(last, node);
    else if (parent?.kind === "list") parent.items[Number(last)] = node;
    return node;
  }

  private remove(path: readonly string[]): undefined {
    const parent = getPathIncludingLists(this.tree, path.slice(0, -1));
    if (parent?.kind === "map") parent.entries.delete(path.at(-1)!);
    return undefined;
  }
}


/**
 * The BERT config `model.med_config_path` names, as a map of MedConfig's keys: one of LAVIS's own files (the stdlib's
 * LavisMedConfigs table, by the path relative to the lavis package) or the user's JSON file (relative to the experiment
 * file); a key the file leaves out takes MedConfig's default. Null, with LV4020 at the path, when it is neither.
 */
function readMedConfig(pathNode: CNode, reg: Registry, input: ExperimentInput, diagnostics: Diagnostic[]): CMap | null {
  const schema = reg.schemas.get(SCHEMAS.medConfig);
  const table = reg.schemas.get(SCHEMAS.lavisMedConfigs);
  if (!schema || pathNode.kind !== "scalar" || typeof pathNode.value !== "string") return null;
  const path = pathNode.value;
  const known = table?.fields.get(path.replace(/^(\.\/)?(lavis\/)?/, ""));
  const origin: Origin = { kind: "schema-default", span: known?.span ?? null, from: known ? known.name : path };
  let given: CMap;
  if (known?.default) {
    given = lowerExpr(known.default, [], origin, { kind: "schema-default", diagnostics, where: SCHEMAS.lavisMedConfigs }) as CMap;
  } else {
    const fail = (detail: string) => {
      const known = [...(table?.fields.keys() ?? [])].join(", ");
      diagnostics.push(diag("LV4020", pathNode.span, { path, detail }, { path: "model.med_config_path", hint: `LAVIS's BERT configs are ${known}.` }));
      return null;
    };
    const file = isAbsolute(path) ? path : join(dirname(input.file), path);
    if (!input.reader?.exists(file)) return fail(`no such file ${file}`);
    let json: unknown;
    try {
      json = JSON.parse(input.reader.readFile(file));
    } catch (e) {
      return fail(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) return fail(`${file} is not a JSON object`);
    given = emptyMap(origin);
    for (const [k, v] of Object.entries(json)) {
      const field = schema.fields.get(k);
      if (!field) continue;
      const node = medConfigNode(field, v, reg, { ...origin, from: `${file}: ${k}` });
      if ("problem" in node) return fail(`"${k}" in ${file} ${node.problem}`);
      given.entries.set(k, node);
    }
  }
  const out = emptyMap(origin);
  for (const [k, f] of schema.fields) {
    const v = given.entries.get(k) ?? (f.default ? lowerExpr(f.default, [], { kind: "schema-default", span: f.span }, { kind: "schema-default", diagnostics, where: SCHEMAS.medConfig }) : undefined);
    if (v) out.entries.set(k, v);
  }
  return out;
}

export function getPathIncludingLists(node: CNode | undefined, path: readonly string[]): CNode | undefined {
  let cur = node;
  for (const seg of path) {
    if (!cur) return undefined;
    if (cur.kind === "map") cur = cur.entries.get(seg);
    else if (cur.kind === "list" && /^\d+$/.test(seg)) cur = cur.items[Number(seg)];
    else return undefined;
  }
  return cur;
}

export type { Span };
