import type * as A from "../syntax/ast.js";
import { keyText } from "../syntax/ast.js";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { LazyMap, copyTable } from "./lazyMap.js";
import { recipeIndex } from "./recipeEntries.js";

// The registries the stdlib declares (schemas, enums, archs, builders, processors, tasks, schedulers, runners),
// bound by name. The checker is generic: everything it knows about LAVIS comes from here.

export interface FieldInfo {
  readonly name: string;
  readonly type: A.TypeExpr;
  readonly default: A.Expr | null;
  readonly doc: string | null;
  readonly span: Span;
  /** The schema (or processor, task, ...) that declares it. */
  readonly owner: string;
}

export interface SchemaInfo {
  readonly name: string;
  readonly fields: Map<string, FieldInfo>;
  readonly constraints: readonly { readonly constraint: A.Constraint; readonly owner: string }[];
  readonly span: Span | null;
  readonly doc: string | null;
  /** Nested data blocks (`code_defaults { ... }`: what LAVIS's code falls back to where it differs from the default declared here). */
  readonly blocks: ReadonlyMap<string, A.Block>;
}

export interface EnumInfo {
  readonly name: string;
  readonly values: readonly string[];
  readonly span: Span;
}

export interface EntryInfo {
  readonly kind: A.RegistryKind;
  readonly name: string;
  readonly decl: A.RegistryDecl;
  /** Own fields plus those of the schemas it extends (`arch x : ModelConfig`). */
  readonly schema: SchemaInfo;
  /** `type coco { ... }` clauses: model types of an arch, dataset types of a builder. */
  readonly types: ReadonlyMap<string, A.TypeClause>;
  /** Literal metadata assignments (`tasks = [...]`, `reads = [...]`, `capabilities = ...`). */
  readonly meta: ReadonlyMap<string, A.Assignment>;
  /** Nested blocks other than types (a task's `recipe { ... }` defaults). */
  readonly blocks: ReadonlyMap<string, A.Block | A.RecipeClause>;
}

export class Registry {
  readonly schemas: Map<string, SchemaInfo>;
  readonly enums: Map<string, EnumInfo>;
  readonly entries: Record<A.RegistryKind, Map<string, EntryInfo>>;
  readonly diagnostics: Diagnostic[] = [];
  /** The registry this one was built on (the stdlib's, under a project's modules or a fork's extension). */
  readonly base: Registry | undefined;

  /** An empty registry, or one that starts as a copy of `base` (its lazy tables fork: nothing loads by copying). */
  constructor(base?: Registry) {
    this.base = base;
    this.schemas = new Map(base?.schemas);
    this.enums = new Map(base?.enums);
    const table = (k: A.RegistryKind) => (base ? copyTable(base.entries[k]) : new LazyMap<string, EntryInfo>());
    this.entries = { arch: table("arch"), builder: table("builder"), processor: table("processor"), task: table("task"), scheduler: table("scheduler"), runner: table("runner") };
  }

  get archs() { return this.entries.arch; }
  get builders() { return this.entries.builder; }
  get processors() { return this.entries.processor; }
  get tasks() { return this.entries.task; }
  get schedulers() { return this.entries.scheduler; }
  get runners() { return this.entries.runner; }

  /**
   * A list-of-names metadata value (`tasks = [retrieval, "text-to-image-generation"]`), or null when absent. Read by
   * every check for every task, scheduler and runner, so each list is built once (entries never change).
   */
  metaNames(entry: EntryInfo, key: string): readonly string[] | null {
    const a = entry.meta.get(key);
    if (!a) return null;
    let names = metaNamesCache.get(a);
    if (!names) metaNamesCache.set(a, (names = namesOf(a.value)));
    return names;
  }

  /** The tasks an arch serves: its own `tasks`, and the tasks that name it in their `archs`; null when it lists none. */
  tasksOf(arch: EntryInfo): string[] | null {
    const own = this.metaNames(arch, "tasks");
    const claimed = recipeIndex(this).tasksClaiming.get(arch.name) ?? [];
    return own || claimed.length ? [...(own ?? []), ...claimed.filter((t) => !own?.includes(t))] : null;
  }

  metaString(entry: EntryInfo | A.TypeClause, key: string): string | null {
    // An entry declared in several files keeps every declaration's metadata in `meta`; a type clause has its members.
    const members = "decl" in entry ? [...entry.meta.values()] : entry.members;
    for (const m of members) if (m.kind === "Assignment" && keyText(m.key) === key) {
      if (m.value.kind === "StringLit") return m.value.value;
      if (m.value.kind === "Ref") return m.value.path.map((p) => p.name).join(".");
    }
    return null;
  }

  /** An integer metadata value (`retrieval_eval_txt_len = 35`), or null when absent or not an integer. */
  metaInt(entry: EntryInfo, key: string): number | null {
    const v = entry.meta.get(key)?.value;
    return v?.kind === "IntLit" ? v.value : null;
  }

  /** A number metadata value, negative ones included (`retrieval_score_fill = -100.0`), or null when absent or not a number. */
  metaNumber(entry: EntryInfo, key: string): number | null {
    const v = entry.meta.get(key)?.value;
    const literal = (e: A.Expr | undefined): number | null => (e?.kind === "IntLit" || e?.kind === "FloatLit" ? e.value : null);
    if (v?.kind === "Unary" && v.op === "-") {
      const n = literal(v.operand);
      return n === null ? null : -n;
    }
    return literal(v);
  }
}

const metaNamesCache = new WeakMap<A.Assignment, readonly string[]>();

function namesOf(e: A.Expr): string[] {
  if (e.kind === "ListLit") return e.items.flatMap(namesOf);
  if (e.kind === "StringLit") return [e.value];
  if (e.kind === "Ref") return [e.path.map((p) => p.name).join(".")];
  return [];
}

/**
 * Metadata keys of registry entries. A task may also name the archs it accepts beyond those whose `tasks` list it
 * (`archs`), accept every dataset (`datasets = any`), and say it is lavisc's own (`lavisc_only = "what LAVIS offers instead"`).
 * What a task evaluates and writes (`metrics`, `agg_metric`, `result_files`, `format`, `generates`) is described in
 * stdlib/tasks.lv; an arch's `losses` in stdlib/losses.lv, its `retrieval_eval_txt_len` and `retrieval_score_fill` in stdlib/evaluation.lv; an
 * arch's `reads` names the shared ModelConfig keys its from_config reads (their defaults are filled in, as the arch's
 * own fields' are).
 */
/** The block that says what LAVIS's current code falls back to where it differs from the documented default. */
export const CODE_DEFAULTS = "code_defaults";

const META_KEYS = new Set([
  "tasks", "reads", "requires", "capabilities", "kind", "format", "prepare", "archs", "datasets", "lavisc_only",
  "metrics", "agg_metric", "result_files", "generates", "losses", "loads_checkpoint", "loads_pretrained", "int_keys",
  "retrieval_eval_txt_len", "retrieval_score_fill",
]);

/**
 * Binds the declarations of `files` into one registry, on top of `base` when given (the stdlib, for a project's own
 * modules or a fork's extension); later files may add entries, duplicates are reported. With `replaceBaseEntries`,
 * an arch, builder, ... that `files` declare under a name `base` has replaces the base's entry instead of adding to
 * it (a fork's registry is what its code runs with). Only problems of `files` land in the result's `diagnostics`.
 */
export function buildRegistry(files: readonly A.File[], base?: Registry, options: { replaceBaseEntries?: boolean } = {}): Registry {
  const reg = new Registry(base);
  const decls = files.flatMap((f) => f.declarations);
  if (options.replaceBaseEntries) for (const d of decls) if (d.kind === "RegistryDecl") reg.entries[d.registry].delete(d.name.name);
  for (const d of decls) {
    if (d.kind !== "SchemaDecl" && d.kind !== "RegistryDecl") continue;
    // Sweeps belong to experiments; anywhere else they would be ignored.
    for (const m of d.members) if (m.kind === "SweepClause") reg.diagnostics.push(diag("LV2020", m.span, { clause: "sweep", where: d.kind === "SchemaDecl" ? "a schema" : `\`${d.registry}\`` }));
  }
  for (const d of decls) if (d.kind === "EnumDecl") bindEnum(reg, d, reg.diagnostics);
  bindSchemas(reg, decls.filter((d): d is A.SchemaDecl => d.kind === "SchemaDecl"));
  for (const d of decls) {
    if (d.kind !== "RegistryDecl") continue;
    const table = reg.entries[d.registry];
    table.set(d.name.name, bindEntry(reg, d, table.get(d.name.name), reg.diagnostics));
  }
  return reg;
}

export function bindEnum(reg: Registry, d: A.EnumDecl, diagnostics: Diagnostic[]): void {
  const prev = reg.enums.get(d.name.name);
  if (prev) diagnostics.push(dup(d.name, prev.span));
  reg.enums.set(d.name.name, { name: d.name.name, values: d.values.map((v) => v.name), span: d.span });
}

/**
 * Schemas may extend schemas declared later or in other files: bound in dependency order. A schema declared again in
 * another file (a fork's extension adding keys to `Recipe`) adds its bases, fields and checks to the first one; when
 * the first one is in the base registry (the stdlib), the base's schema is bound in as the first of its bases.
 * Entries of the base already bound keep the schemas they were bound with; lookups by schema name see the addition.
 */
/** The longest chain of schema bases followed (LAVIS's schemas inherit two or three levels deep). */
const MAX_SCHEMA_DEPTH = 64;

export function bindSchemas(reg: Registry, schemas: readonly A.SchemaDecl[], diagnostics: Diagnostic[] = reg.diagnostics): void {
  const byName = new Map<string, A.SchemaDecl>();
  for (const s of schemas) {
    const prev = byName.get(s.name.name);
    if (!prev) byName.set(s.name.name, s);
    else if (prev.span.file === s.span.file) diagnostics.push(dup(s.name, prev.name.span));
    else byName.set(s.name.name, { ...prev, bases: [...prev.bases, ...s.bases], members: [...prev.members, ...s.members] });
  }
  const inBase = new Map([...byName.keys()].flatMap((n) => (reg.schemas.has(n) ? [[n, reg.schemas.get(n)!] as const] : [])));
  const bound = new Set<string>();
  const resolving = new Set<string>();
  const bindSchema = (name: string): SchemaInfo | undefined => {
    const decl = byName.get(name);
    if (!decl || bound.has(name)) return reg.schemas.get(name);
    if (resolving.has(name)) return undefined;
    resolving.add(name);
    const first = inBase.get(name);
    // Each base is a level of recursion; past MAX_SCHEMA_DEPTH the declaration is bound without its bases.
    const tooDeep = resolving.size > MAX_SCHEMA_DEPTH && decl.bases.length > 0;
    if (tooDeep) diagnostics.push(diag("LV2038", decl.bases[0]!.span, { name, max: MAX_SCHEMA_DEPTH }));
    const bases = [...(first ? [first] : []), ...(tooDeep ? [] : decl.bases.map((b) => bindSchema(b.name)))];
    const info = collectSchema(name, decl.members, bases, first?.span ?? decl.span, first?.doc ?? decl.doc, diagnostics);
    resolving.delete(name);
    reg.schemas.set(name, info);
    bound.add(name);
    return info;
  };
  for (const name of byName.keys()) bindSchema(name);
}

/**
 * One registry entry from its declaration. `prev` is the same entry declared in an earlier file (a lavisc extension
 * or a fork's module): its types and keys add up; declared twice in one file is a duplicate.
 */
export function bindEntry(reg: Registry, d: A.RegistryDecl, prev: EntryInfo | undefined, diagnostics: Diagnostic[]): EntryInfo {
  const bases = d.bases.map((b) => {
    const s = reg.schemas.get(b.name);
    if (!s) diagnostics.push(diag("LV2017", b.span, { name: b.name }));
    return s;
  });
  const schema = collectSchema(d.name.name, d.members, bases, d.span, d.doc);
  const types = new Map<string, A.TypeClause>();
  const meta = new Map<string, A.Assignment>();
  const blocks = new Map<string, A.Block | A.RecipeClause>();
  for (const m of d.members) {
    if (m.kind === "TypeClause") types.set(m.name.name, m);
    else if (m.kind === "Assignment" && META_KEYS.has(keyText(m.key))) meta.set(keyText(m.key), m);
    else if (m.kind === "Block") blocks.set(keyText(m.key), m);
    else if (m.kind === "RecipeClause") blocks.set("recipe", m);
  }
  if (!prev) return { kind: d.registry, name: d.name.name, decl: d, schema, types, meta, blocks };
  if (prev.decl.span.file === d.span.file) {
    diagnostics.push(dup(d.name, prev.decl.name.span));
    return { kind: d.registry, name: d.name.name, decl: d, schema, types, meta, blocks };
  }
  for (const [k, t] of types) if (prev.types.has(k)) diagnostics.push(dup(t.name, prev.types.get(k)!.name.span));
  return {
    ...prev,
    // The declaration that extends a schema (the generated one) documents the entry.
    decl: prev.decl.bases.length || !d.bases.length ? prev.decl : d,
    schema: { ...prev.schema, fields: mergeFields(prev.schema.fields, schema.fields, d.name.name, diagnostics), constraints: [...prev.schema.constraints, ...schema.constraints], blocks: new Map([...prev.schema.blocks, ...schema.blocks]) },
    types: new Map([...types, ...prev.types]),
    meta: new Map([...prev.meta, ...meta]),
    blocks: new Map([...prev.blocks, ...blocks]),
  };
}

/**
 * The fields of an entry declared in several files. A field the entry declares itself replaces an earlier one; a field
 * a declaration only inherits (from `: ModelConfig`, `: BlipEncoders`, ...) fills keys no earlier declaration has, so
 * an arch's specific declarations (stdlib/lavisc_*.lv) win over the generic ModelConfig in whatever order files load.
 */
/**
 * An entry declared again in another file (the stdlib's generated entries and the files that add contracts to them, a
 * project module adding keys) takes the new file's keys; a key both declare as the entry's own is LV2016, as in a
 * schema: taking the later one would silently change its type and default (`processor blip_caption { max_words:
 * string }` in an imported module). The later declaration is kept, so what follows is checked against it.
 */
function mergeFields(prev: ReadonlyMap<string, FieldInfo>, next: ReadonlyMap<string, FieldInfo>, entry: string, diagnostics: Diagnostic[]): Map<string, FieldInfo> {
  const out = new Map(prev);
  for (const [k, f] of next) {
    if (f.owner !== entry && out.has(k)) continue;
    const first = out.get(k);
    if (f.owner === entry && first?.owner === entry) diagnostics.push(diag("LV2016", f.span, { name: k }, { related: [{ span: first.span, message: "first declared here" }] }));
    out.set(k, f);
  }
  return out;
}

function dup(name: A.Ident, first: Span): Diagnostic {
  return diag("LV2016", name.span, { name: name.name }, { related: [{ span: first, message: "first declared here" }] });
}

function collectSchema(
  name: string, members: readonly A.Member[], bases: readonly (SchemaInfo | undefined)[], span: Span | null, doc: string | null, duplicates?: Diagnostic[],
): SchemaInfo {
  const fields = new Map<string, FieldInfo>();
  const constraints: { constraint: A.Constraint; owner: string }[] = [];
  const blocks = new Map<string, A.Block>();
  for (const b of bases) {
    if (!b) continue;
    for (const [k, f] of b.fields) fields.set(k, f);
    constraints.push(...b.constraints);
    for (const [k, v] of b.blocks) blocks.set(k, v);
  }
  const own = new Map<string, { span: Span }>();
  // Fields this schema declared in a base of its own name (the stdlib's `Recipe`, extended by a fork's `Recipe`).
  for (const b of bases) if (b?.name === name) for (const f of b.fields.values()) if (f.owner === name) own.set(f.name, f);
  for (const m of members) {
    if (m.kind === "FieldDecl") {
      const key = keyText(m.key);
      const first = own.get(key);
      // The same key declared twice (in one schema, or by an extension of it) would silently change its type.
      if (first && duplicates) duplicates.push(dup(m.key.segments[0]!, first.span));
      own.set(key, m);
      fields.set(key, { name: key, type: m.type, default: m.default, doc: m.doc, span: m.span, owner: name });
    } else if (m.kind === "Constraint") {
      constraints.push({ constraint: m, owner: name });
    } else if (m.kind === "Block" && keyText(m.key) === CODE_DEFAULTS) {
      blocks.set(CODE_DEFAULTS, m);
    }
  }
  return { name, fields, constraints, span, doc, blocks };
}
