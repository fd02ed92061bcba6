import { dirname, join } from "node:path";
import type { RegistryKind } from "../syntax/ast.js";
import { diag, closestMatches, type Diagnostic, type Span } from "../diagnostics/index.js";
import { editDistance } from "../diagnostics/suggest.js";
import type { Registry, EntryInfo, FieldInfo } from "../semantic/registry.js";
import { SCHEMAS, FORK_SCHEMAS } from "../semantic/resolve.js";
import { typeOf } from "../checker/types.js";
import { datasetKeys, modelKeys } from "../checker/rules/knownKeys.js";
import type { CNode } from "../semantic/configTree.js";
import { accepts, keptConstraints, typeText } from "./lavisDeclarations.js";
import { memberLines, pyDefaultText } from "./lvValue.js";
import { pyText, type PyValue } from "./pythonValue.js";
import type { ConfigRead } from "./configReads.js";
import type { Registration } from "./registrations.js";
import type { RepositoryFiles, YamlFile } from "./repositoryFiles.js";
import { TypeEvidence } from "./typeEvidence.js";
import { isAuthorPath } from "../semantic/authorPath.js";
import { collectUsage, type KeyUse, type Usage } from "./usage.js";

// What a repository's registrations and files say, as stdlib declarations: one entry per registered name (its keys
// typed from code defaults and the values files give them, its default files as `type` clauses) and the keys the
// repository adds to LAVIS's sections. Text comes later (extensionText.ts).

export interface FieldModel {
  readonly key: string;
  readonly type: string;
  readonly default: string | null;
  readonly doc: string;
}

export interface TypeModel {
  readonly name: string;
  readonly path: string;
  /** Members of the `type` clause; empty when the file could not be read (then `invalid` or `note` says why). */
  readonly members: readonly string[];
  readonly invalid?: string;
  readonly defaultKey?: string;
  readonly note?: string;
}

export interface EntryModel {
  readonly kind: RegistryKind;
  readonly name: string;
  readonly base: string | null;
  readonly doc: readonly string[];
  readonly fields: readonly FieldModel[];
  readonly types: readonly TypeModel[];
  /** `reads = [...]` of a task, runner or scheduler (kept from LAVIS's entry it redefines), or null. */
  readonly reads: readonly string[] | null;
  readonly constraints: readonly string[];
}

export interface SchemaModel {
  readonly name: string;
  readonly base: string;
  readonly doc: string;
  readonly fields: readonly FieldModel[];
}

export interface ExtensionModel {
  readonly registryModule: string | null;
  /** True when the repository registers in LAVIS's own registry (then it cannot redefine LAVIS's names). */
  readonly sharesLavisRegistry: boolean;
  readonly entries: readonly EntryModel[];
  readonly schemas: readonly SchemaModel[];
  readonly redefined: readonly { readonly kind: RegistryKind; readonly name: string }[];
}

const BASES: Partial<Record<RegistryKind, string>> = { arch: SCHEMAS.model, builder: SCHEMAS.dataset };
export const KIND_WORDS: Readonly<Record<RegistryKind, string>> = { arch: "model architecture", builder: "dataset builder", processor: "processor", task: "task", scheduler: "learning-rate scheduler", runner: "runner" };

export function buildExtensionModel(
  dir: string, files: RepositoryFiles, registrations: readonly Registration[], std: Registry, diagnostics: Diagnostic[],
): ExtensionModel {
  const b = new ModelBuilder(dir, files, registrations, std, diagnostics);
  return b.build();
}

class ModelBuilder {
  private readonly yamlByPath = new Map<string, YamlFile>();
  /** Default files (absolute path) -> the arch or builder types that load them. */
  private readonly loaders = new Map<string, { kind: RegistryKind; name: string; type: string }[]>();
  private readonly own: Registration[] = [];
  private readonly usage: Usage;
  private readonly known: { model: Set<string>; dataset: Set<string>; run: Set<string> };
  private readonly registryModule: string | null;
  private readonly shares: boolean;
  /** LV2050's places: the fallback, its key and the registrations whose code reads it. */
  private readonly authorPaths = new Map<string, { span: Span; path: string; key: string; users: string[] }>();

  constructor(
    private readonly dir: string, private readonly files: RepositoryFiles, registrations: readonly Registration[],
    private readonly std: Registry, private readonly diagnostics: Diagnostic[],
  ) {
    for (const y of files.yaml) this.yamlByPath.set(y.path, y);
    this.registryModule = majority(registrations.map((r) => r.registryModule).filter((m): m is string => !!m));
    this.shares = !!this.registryModule && /^lavis(\.|$)/.test(this.registryModule);
    const seen = new Set<string>();
    for (const r of registrations) {
      const key = `${r.kind} ${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (this.shares && std.entries[r.kind].has(r.name)) {
        diagnostics.push(diag("LV2028", this.span(r), { kind: KIND_WORDS[r.kind], name: r.name }));
        continue;
      }
      this.own.push(r);
      for (const [type, v] of r.defaults) {
        const path = v.k === "str" ? this.findDefaultFile(r, v.v) : null;
        if (path) this.loaders.set(path, [...(this.loaders.get(path) ?? []), { kind: r.kind, name: r.name, type }]);
      }
    }
    this.usage = collectUsage(files.yaml, (f) => this.loaders.get(f.path)?.find((l) => l.kind === "arch")?.name ?? nameAt(f, ["model", "arch"]));
    const fields = (...schemas: string[]) => new Set(schemas.flatMap((s) => [...(std.schemas.get(s)?.fields.keys() ?? [])]));
    this.known = {
      model: new Set([...fields(SCHEMAS.model, SCHEMAS.modelCommon, FORK_SCHEMAS.model), "arch", "model_type"]),
      dataset: new Set([...fields(SCHEMAS.dataset, FORK_SCHEMAS.dataset), "type"]),
      run: new Set([...fields(SCHEMAS.recipe, FORK_SCHEMAS.recipe), "task"]),
    };
  }

  build(): ExtensionModel {
    // The keys added to LAVIS's sections first: an arch need not declare again what `ModelConfig` now has.
    const schemas = this.schemas();
    for (const f of schemas.find((x) => x.name === SCHEMAS.model)?.fields ?? []) this.known.model.add(f.key);
    for (const f of schemas.find((x) => x.name === SCHEMAS.dataset)?.fields ?? []) this.known.dataset.add(f.key);
    const entries = this.own.map((r) => this.entry(r));
    for (const n of this.authorPaths.values()) this.diagnostics.push(diag("LV2050", n.span, { path: n.path, key: n.key, users: n.users.join(", ") }));
    return {
      registryModule: this.registryModule,
      sharesLavisRegistry: this.shares,
      entries,
      schemas,
      redefined: this.own.filter((r) => this.lavisEntry(r)).map((r) => ({ kind: r.kind, name: r.name })),
    };
  }

  private span(r: Registration) {
    return { file: this.files.modulePaths.get(r.file) ?? join(this.dir, r.file), start: r.start, end: r.end };
  }

  private lavisEntry(r: { kind: RegistryKind; name: string }): EntryInfo | undefined {
    return this.std.entries[r.kind].get(r.name);
  }

  /** LAVIS resolves a default path against its package folder; here, against each folder above the module, nearest first. */
  private findDefaultFile(r: Registration, path: string): string | null {
    let d = dirname(this.files.modulePaths.get(r.file) ?? join(this.dir, r.file));
    for (;;) {
      const p = join(d, path);
      if (this.yamlByPath.has(p)) return p;
      if (d === this.dir || dirname(d) === d || !d.startsWith(this.dir)) return null;
      d = dirname(d);
    }
  }

  // --- entries -------------------------------------------------------------------------------

  private entry(r: Registration): EntryModel {
    const lavis = this.lavisEntry(r);
    const where = `${r.className} (${r.file}:${r.line})`;
    const doc = [
      `${r.doc ? `${r.doc.replace(/\.$/, "")}. ` : ""}Registered by ${where}.`,
      ...(lavis ? [`Redefines LAVIS's ${KIND_WORDS[r.kind]} \`${r.name}\`: this repository registers its own, which its files use.`] : []),
    ];
    const reads = r.reads;
    const fields = this.fieldsOf(r, reads, lavis);
    const readKeys = new Set(reads.filter((x) => x.section === "run").map((x) => x.path[0]!));
    if (r.kind === "scheduler") for (const o of this.own) if (o.kind === "runner") for (const x of o.reads) if (x.section === "run") readKeys.add(x.path[0]!);
    const keptReads = lavis && (r.kind === "task" || r.kind === "runner" || r.kind === "scheduler")
      ? (this.std.metaNames(lavis, "reads") ?? []).filter((k) => readKeys.has(k))
      : r.kind === "scheduler" || r.kind === "runner" ? [] : null;
    const available = new Set([...fields.map((f) => f.key), ...readKeys, ...(r.kind === "processor" ? [] : this.known.run)]);
    const constraints = lavis ? keptConstraints(lavis, available, r.kind) : [];
    return {
      kind: r.kind,
      name: r.name,
      base: BASES[r.kind] ?? null,
      doc,
      fields,
      types: [...r.defaults].map(([type, v]) => this.typeModel(r, type, v)),
      reads: keptReads,
      constraints,
    };
  }

  /** The keys an entry declares, typed from its code defaults and the values files give them. */
  private fieldsOf(r: Registration, reads: readonly ConfigRead[], lavis: EntryInfo | undefined): FieldModel[] {
    const section = r.kind === "arch" ? "model" : r.kind === "builder" ? "dataset" : r.kind === "processor" ? "processor" : "run";
    const known = r.kind === "arch" ? this.known.model : r.kind === "builder" ? this.known.dataset : r.kind === "processor" ? new Set(["name"]) : this.known.run;
    const scope = r.kind === "arch" ? `arch:${r.name}` : r.kind === "builder" ? `builder:${r.name}` : r.kind === "processor" ? `processor:${r.name}` : null;
    const code = groupReads(reads.filter((x) => x.section === section));
    // Keys files set count for the entry's own scope; run keys for a task when its files set them (a runner declares
    // only what its code reads). Run keys take their type evidence from every file that sets them.
    const used = scope ? this.usage.keys(scope) : r.kind === "task" ? this.taskKeys(r.name, code) : new Map<string, KeyUse>();
    const evidence = scope ? used : this.usage.keys("run");
    const keys = [...new Set([...code.keys(), ...used.keys()])].filter((k) => !known.has(k));
    const out: FieldModel[] = [];
    for (const key of keys) {
      const c = code.get(key);
      const u = evidence.get(key);
      if (!c && u && this.probableTypo(key, u, new Set([...known, ...code.keys()]), scope ?? "run")) continue;
      const lavisField = lavis?.schema.fields.get(key);
      if (c) this.noteAuthorPath(key, c, `${KIND_WORDS[r.kind]} \`${r.name}\``);
      out.push(this.field(key, c, u, `${r.className} (${r.file})`, lavisField));
    }
    return out;
  }

  /** Run keys set in files whose task is this one, that no code the scan read declares. */
  private taskKeys(task: string, code: ReadonlyMap<string, unknown>): Map<string, KeyUse> {
    const out = new Map<string, KeyUse>();
    for (const [k, u] of this.usage.keys("run")) if (u.tasks.has(task) && (code.has(k) || !this.readByAnyCode("run", k))) out.set(k, u);
    return out;
  }

  private readByAnyCode(section: string, key: string): boolean {
    return this.own.some((r) => r.reads.some((x) => x.section === section && x.path[0] === key));
  }

  private field(key: string, code: ConfigRead[] | undefined, used: KeyUse | undefined, reader: string, lavis: FieldInfo | undefined): FieldModel {
    const evidence = new TypeEvidence();
    const def = code?.find((x) => x.path.length === 1 && x.default)?.default;
    if (def) evidence.addPy(def);
    // Keys read inside it make it a map (`generate_cfg.max_len`).
    if (code?.some((x) => x.path.length > 1)) evidence.addPy({ k: "dict", entries: new Map() });
    const seen = used?.evidence;
    // A code default says what the code expects; files only widen it (int to float, null). Without one, files decide.
    const inferred = (evidence.definite && seen ? evidence.widenedBy(seen) : mergeEvidence(evidence, seen)).lvType();
    const lavisType = lavis && (inferred.unknown || accepts(typeOf(lavis.type, this.std), evidence, seen)) ? typeText(lavis.type) : null;
    let type = lavisType ?? inferred.type;
    const defaultText = def ? pyDefaultText(def) : null;
    if (defaultText === "null" && !/\?$|\bnull\b|^any$/.test(type)) type = type.includes("|") ? `${type} | null` : `${type}?`;
    const parts: string[] = [];
    if (code) {
      const nested = [...new Set(code.filter((x) => x.path.length > 1).map((x) => x.path.slice(1).join(".")))];
      parts.push(`Read by ${reader}${def ? `, default ${pyText(def)}` : code.some((x) => !x.default) ? " without a default" : ""}${nested.length ? `; reads ${nested.map((n) => `\`${n}\``).join(", ")} in it` : ""}.`);
    }
    if (def?.k === "str" && isAuthorPath(def.v)) parts.push("The default is a path on the machine the code was written on: set it (LV4079).");
    if (used) parts.push(`Set in ${plural(used.files.size, "file")}${code ? "" : ` (${[...used.files][0]}${used.files.size > 1 ? ", ..." : ""}); no code the scan read reads it`}.`);
    if (lavisType) parts.push(`Typed as LAVIS's \`${key}\`.`);
    if (type === "any") parts.push(`Type unknown (\`any\`): ${inferred.unknown}.`);
    return { key, type, default: defaultText, doc: parts.join(" ") };
  }

  /** A fallback to an absolute path of the author's machine, once per place in the code (LV2050). */
  private noteAuthorPath(key: string, reads: readonly ConfigRead[], user: string): void {
    const read = reads.find((x) => x.path.length === 1 && x.default?.k === "str" && isAuthorPath(x.default.v) && x.defaultAt && x.file);
    if (!read || read.default?.k !== "str") return;
    const span = { file: this.files.modulePaths.get(read.file!) ?? join(this.dir, read.file!), ...read.defaultAt! };
    const place = `${span.file}:${span.start}`;
    const note = this.authorPaths.get(place) ?? { span, path: read.default.v, key, users: [] };
    note.users.push(user);
    this.authorPaths.set(place, note);
  }

  /** A key set in one file only, one edit or two from a key the section knows: most likely a typo, so not declared. */
  private probableTypo(key: string, use: KeyUse, known: ReadonlySet<string>, section: string): boolean {
    if (use.files.size > 1) return false;
    const near = closestMatches(key, known, 1)[0];
    if (!near || editDistance(key, near) > 2) return false;
    this.diagnostics.push(diag("LV2031", use.first.keySpan ?? use.first.span, { key, known: near, section: section.replace(/^(\w+):(.*)$/, "$1 `$2`") }));
    return true;
  }

  private typeModel(r: Registration, type: string, v: PyValue): TypeModel {
    if (v.k !== "str") {
      this.diagnostics.push(diag("LV2030", this.span(r), { what: `the default config of ${r.kind === "arch" ? "model" : "dataset"} type \`${type}\``, text: pyText(v) }));
      return { name: type, path: pyText(v), members: [], note: `The default file is \`${pyText(v)}\`, which the scan could not evaluate.` };
    }
    const path = this.findDefaultFile(r, v.v);
    const file = path ? this.yamlByPath.get(path) : undefined;
    if (!file) {
      this.diagnostics.push(diag("LV2029", this.span(r), { path: v.v, kind: KIND_WORDS[r.kind], name: r.name, type }));
      return { name: type, path: v.v, members: [], invalid: `${v.v}: file does not exist` };
    }
    if (!file.root) {
      const why = file.diagnostics.find((d) => d.severity === "error")?.message.replace(/\.$/, "") ?? "does not parse";
      return { name: type, path: v.v, members: [], invalid: `${v.v}: ${why}` };
    }
    if (r.kind === "arch") {
      const model = file.root.entries.get("model");
      const pre = file.root.entries.get("preprocess");
      const members = model?.kind === "map" ? memberLines(model, new Set(["arch", "model_type"])) : [];
      if (pre?.kind === "map") members.push("preprocess {", ...memberLines(pre), "}");
      return { name: type, path: v.v, members };
    }
    const datasets = file.root.entries.get("datasets");
    if (datasets?.kind !== "map" || !datasets.entries.size) return { name: type, path: v.v, members: [], invalid: `${v.v}: has no \`datasets\` entry` };
    const key = datasets.entries.has(r.name) ? r.name : [...datasets.entries.keys()][0]!;
    const cfg = datasets.entries.get(key)!;
    return { name: type, path: v.v, members: cfg.kind === "map" ? memberLines(cfg) : [], ...(key !== r.name ? { defaultKey: key } : {}) };
  }

  // --- additions to LAVIS's schemas ------------------------------------------------------------

  private schemas(): SchemaModel[] {
    const ownArchs = new Set(this.own.filter((r) => r.kind === "arch").map((r) => r.name));
    const ownBuilders = new Set(this.own.filter((r) => r.kind === "builder").map((r) => r.name));
    const ownTasks = new Set(this.own.filter((r) => r.kind === "task").map((r) => r.name));

    // Model keys the repository's tasks and runners read (LoRA settings, freezing), and keys set for LAVIS's archs.
    const modelReads = groupReads(this.own.filter((r) => r.kind === "task" || r.kind === "runner").flatMap((r) => r.reads.filter((x) => x.section === "model")));
    const modelFields: FieldModel[] = [];
    for (const [key, reads] of modelReads) {
      if (this.known.model.has(key)) continue;
      const readers = [...new Set(this.own.filter((r) => r.reads.some((x) => x.section === "model" && x.path[0] === key)).map((r) => `${r.kind} \`${r.name}\``))];
      modelFields.push(this.field(key, reads, this.unionUse([...this.usage.scopes.keys()].filter((s) => s.startsWith("arch:")), key), readers.join(", "), undefined));
    }
    for (const scope of this.usage.scopes.keys()) {
      if (!scope.startsWith("arch:") || ownArchs.has(scope.slice(5)) || !this.std.archs.has(scope.slice(5))) continue;
      const archKeys = this.lavisArchKeys(scope.slice(5));
      for (const [key, use] of this.usage.keys(scope)) {
        if (archKeys.has(key) || modelReads.has(key) || modelFields.some((f) => f.key === key)) continue;
        if (this.probableTypo(key, use, archKeys, scope)) continue;
        modelFields.push(this.field(key, undefined, use, "", undefined));
      }
    }
    const datasetFields: FieldModel[] = [];
    for (const scope of this.usage.scopes.keys()) {
      if (!scope.startsWith("builder:") || ownBuilders.has(scope.slice(8)) || !this.std.builders.has(scope.slice(8))) continue;
      for (const [key, use] of this.usage.keys(scope)) {
        if (this.known.dataset.has(key) || datasetKeys(this.std, this.std.builders.get(scope.slice(8))).has(key) || datasetFields.some((f) => f.key === key)) continue;
        if (this.probableTypo(key, use, this.known.dataset, scope)) continue;
        datasetFields.push(this.field(key, undefined, use, "", undefined));
      }
    }
    // Run keys set with LAVIS's tasks (or none), that no task or runner of the repository declares.
    const declared = new Set(this.own.flatMap((r) => (r.kind === "task" || r.kind === "runner" ? r.reads.filter((x) => x.section === "run").map((x) => x.path[0]!) : [])));
    const runFields: FieldModel[] = [];
    for (const [key, use] of this.usage.keys("run")) {
      if (this.known.run.has(key) || declared.has(key) || [...use.tasks].some((t) => ownTasks.has(t))) continue;
      if (this.probableTypo(key, use, this.known.run, "run")) continue;
      runFields.push(this.field(key, undefined, use, "", undefined));
    }
    return [
      { name: SCHEMAS.project, base: FORK_SCHEMAS.project, doc: "Top-level sections forks add (stdlib/forks.lv).", fields: [] },
      { name: SCHEMAS.recipe, base: FORK_SCHEMAS.recipe, doc: "Run keys forks add (stdlib/forks.lv), and those this repository's files set with LAVIS's tasks.", fields: runFields },
      { name: SCHEMAS.model, base: FORK_SCHEMAS.model, doc: "Model keys forks add (stdlib/forks.lv), those this repository's tasks read, and those its files set for LAVIS's archs.", fields: modelFields },
      { name: SCHEMAS.dataset, base: FORK_SCHEMAS.dataset, doc: "Dataset keys forks add (stdlib/forks.lv), and those this repository's files set for LAVIS's builders.", fields: datasetFields },
    ];
  }

  private unionUse(scopes: readonly string[], key: string): KeyUse | undefined {
    const uses = scopes.map((s) => this.usage.keys(s).get(key)).filter((u): u is KeyUse => !!u);
    if (!uses.length) return undefined;
    const first = uses[0]!;
    const merged: KeyUse = { evidence: new TypeEvidence(), files: new Set(), first: first.first, tasks: new Set() };
    for (const u of uses) {
      u.files.forEach((f) => merged.files.add(f));
      merged.evidence.absorb(u.evidence);
    }
    return merged;
  }

  private lavisArchKeys(name: string): Set<string> {
    return new Set([...this.known.model, ...modelKeys(this.std, this.std.archs.get(name))]);
  }
}

function groupReads(reads: readonly ConfigRead[]): Map<string, ConfigRead[]> {
  const out = new Map<string, ConfigRead[]>();
  for (const r of reads) out.set(r.path[0]!, [...(out.get(r.path[0]!) ?? []), r]);
  return out;
}

function majority(xs: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function nameAt(f: YamlFile, path: readonly string[]): string | null {
  let n: CNode | null | undefined = f.root;
  for (const p of path) n = n?.kind === "map" ? n.entries.get(p) : undefined;
  return n?.kind === "scalar" && typeof n.value === "string" ? n.value : null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function mergeEvidence(a: TypeEvidence, b: TypeEvidence | undefined): TypeEvidence {
  if (!b) return a;
  const out = new TypeEvidence();
  out.absorb(a);
  out.absorb(b);
  return out;
}
