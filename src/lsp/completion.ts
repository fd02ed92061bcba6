import type { CompletionItem, CompletionItemKind, Range } from "vscode-languageserver";
import { getPath, type CNode } from "../semantic/configTree.js";
import { SCHEMAS } from "../semantic/resolve.js";
import { modelKeys, datasetKeys, recipeKeys } from "../checker/rules/knownKeys.js";
import { typeOf, typeToString } from "../checker/types.js";
import type { Analysis } from "./analysis.js";
import { enclosingMap, yamlParentPath } from "./locate.js";
import { SourceFile } from "../diagnostics/index.js";
import { rangeOf } from "./convert.js";
import { namesOfType, nameMarkdown, fieldMarkdown, type NameRef } from "./describe.js";
import { interpolationCompletions } from "./interpolations.js";
import { ignoreCodeCompletions } from "./ignoreComments.js";

// Completion: the keys valid where the cursor is (per section, processor parameters included), the names a value
// may take (registry names, enum values, booleans), after `model arch(` the model types of that arch, and after a
// `${` in a value the keys a reference can name, and in a `lavisc: ignore[` comment the codes of the line's warnings. It reads
// the current line, so it works on the half-typed lines a file spends most of its editing time in.

const KIND = { key: 10, keyword: 14, enumValue: 20, name: 7, value: 12 } as const satisfies Record<string, CompletionItemKind>;

/** Data carried to `completionItem/resolve`, which adds the documentation (registry entries decode on demand). */
export type CompletionData = { readonly file: string; readonly ref?: NameRef; readonly field?: readonly string[] };

interface Context {
  readonly a: Analysis;
  readonly offset: number;
  /** The partial word before the cursor, which a completion replaces. */
  readonly range: Range;
}

export function completionsAt(a: Analysis, offset: number): CompletionItem[] {
  const file = a.sources.get(a.path) ?? new SourceFile(a.path, a.text);
  const { line, column } = file.position(offset);
  const before = a.text.slice(offset - column + 1, offset);
  const word = /[\w-]*$/.exec(before)![0];
  const range = rangeOf({ file: a.path, start: offset - word.length, end: offset }, a.sources);
  const ctx: Context = { a, offset, range };
  const container = a.format === "yaml" ? yamlParentPath(file, line, /^\s*/.exec(before)![0].length) : enclosingMap(a, offset)?.path ?? [];
  const codes = ignoreCodeCompletions(a, offset, before, offset - column + 1);
  if (codes) return codes;
  const references = interpolationCompletions(a, before, container, range);
  if (references) return references;
  return a.format === "yaml" ? yamlCompletions(ctx, before, file, line) : lvCompletions(ctx, before, offset);
}

function lvCompletions(ctx: Context, before: string, offset: number): CompletionItem[] {
  const { a } = ctx;
  let m: RegExpExecArray | null;
  if ((m = /\bmodel\s+"?([\w-]+)"?\s*\(\s*"?[\w-]*$/.exec(before))) return typeNames(ctx, "arch", m[1]!);
  if ((m = /\bdata\s+"?([\w-]+)"?\s*\(\s*"?[\w-]*$/.exec(before))) return typeNames(ctx, "builder", m[1]!);
  const where = enclosingMap(a, offset);
  const base = where?.path ?? [];
  if ((m = /^\s*([\w.]+)\s*=\s*"?[\w-]*$/.exec(before))) return valueNames(ctx, [...base, ...m[1]!.split(".")]);
  if (/^\s*model\s+"?[\w-]*$/.test(before) && base.length === 0) return registryNames(ctx, "arch");
  if (/^\s*data\s+"?[\w-]*$/.test(before) && base.length === 0) return registryNames(ctx, "builder");
  if (/^\s*task\s+"?[\w-]*$/.test(before) && base.length === 0) return registryNames(ctx, "task");
  if ((m = /^\s*((?:[\w]+\.)*)[\w]*$/.exec(before))) {
    const dotted = m[1] ? m[1].slice(0, -1).split(".") : [];
    const path = [...base, ...dotted];
    if (path.length === 0 && !dotted.length) return [...clauseKeywords(ctx), ...keyItems(ctx, path)];
    return keyItems(ctx, path);
  }
  return [];
}

function yamlCompletions(ctx: Context, before: string, file: SourceFile, line: number): CompletionItem[] {
  let m: RegExpExecArray | null;
  const indent = /^\s*/.exec(before)![0].length;
  const parent = yamlParentPath(file, line, indent);
  if ((m = /^\s*([\w.-]+)\s*:\s*["']?[\w-]*$/.exec(before))) return valueNames(ctx, [...parent, m[1]!]);
  if (/^\s*-\s+["']?[\w-]*$/.test(before)) return valueNames(ctx, parent);
  if (/^\s*[\w-]*$/.test(before)) return keyItems(ctx, parent);
  return [];
}

function clauseKeywords(ctx: Context): CompletionItem[] {
  return ["task", "model", "data", "recipe"].map((k) => ({
    label: k, kind: KIND.keyword, textEdit: { range: ctx.range, newText: k }, detail: "experiment clause",
  }));
}

/** The keys a map at `path` accepts, from the stdlib, with the keys its defaults already have. */
export function keysAt(a: Analysis, path: readonly string[]): string[] {
  const reg = a.registry;
  const r = a.resolved;
  const nameAt = (p: readonly string[]) => {
    const n = r ? getPath(r.root, p) : undefined;
    return n?.kind === "scalar" && typeof n.value === "string" ? n.value : undefined;
  };
  const [section, x] = path;
  const keys = new Set<string>();
  if (path.length === 0) ["model", "datasets", "run"].forEach((k) => keys.add(k));
  else if (section === "run" && path.length === 1) recipeKeys(reg).forEach((k) => keys.add(k));
  else if (section === "model" && path.length === 1) modelKeys(reg, reg.archs.get(nameAt(["model", "arch"]) ?? "")).forEach((k) => keys.add(k));
  else if (section === "datasets" && path.length === 1) reg.builders.forEach((_, k) => keys.add(k));
  else if (section === "datasets" && x && path.length === 2) datasetKeys(reg, reg.builders.get(x)).forEach((k) => keys.add(k));
  else if (section === "preprocess" && path.length === 1) ["vis_processor", "text_processor"].forEach((k) => keys.add(k));
  const slotPath = section === "datasets" ? path.slice(2) : section === "preprocess" ? path.slice(1) : [];
  if (slotPath.length === 1 && slotPath[0]!.endsWith("_processor")) ["train", "eval"].forEach((k) => keys.add(k));
  if (slotPath.length === 2 && slotPath[0]!.endsWith("_processor")) {
    keys.add("name");
    const proc = reg.processors.get(nameAt([...path, "name"]) ?? "");
    proc?.schema.fields.forEach((_, k) => keys.add(k));
  }
  // What the defaults put there (a dataset type's `build_info`, ...).
  const resolvedMap = r ? getPath(r.root, path) : undefined;
  if (resolvedMap?.kind === "map" && path.length > 1) resolvedMap.entries.forEach((_, k) => keys.add(k));
  return [...keys];
}

function keyItems(ctx: Context, path: readonly string[]): CompletionItem[] {
  const { a } = ctx;
  const own = a.fileLayer ? getPath(a.fileLayer, path) : undefined;
  const written = own?.kind === "map" ? own.entries : new Map<string, CNode>();
  // Keys this file already sets are not offered again, except the one being typed (an extended base's may be).
  const elsewhere = (k: string) => {
    const span = written.get(k)?.keySpan;
    return !!span && span.file === a.path && !(span.start <= ctx.offset && ctx.offset <= span.end);
  };
  const isBuilderList = path.length === 1 && path[0] === "datasets";
  return keysAt(a, path)
    .filter((k) => !elsewhere(k))
    .map((k) => {
      const field = a.resolved?.fieldAt([...path, k]);
      const item: CompletionItem = {
        label: k,
        kind: isBuilderList ? KIND.name : KIND.key,
        textEdit: { range: ctx.range, newText: k },
        data: { file: a.path, ...(isBuilderList ? { ref: { kind: "builder", name: k } } : { field: [...path, k] }) } satisfies CompletionData,
      };
      if (field) item.detail = typeToString(typeOf(field.type, a.registry));
      return item;
    });
}

function valueNames(ctx: Context, path: readonly string[]): CompletionItem[] {
  const { a } = ctx;
  const slot = path[0] === "datasets" ? path.slice(2) : path[0] === "preprocess" ? path.slice(1) : [];
  // `vis_processor.train = blip_` and `name: blip_` under a processor slot name a processor.
  if ((slot.length === 2 || (slot.length === 3 && slot[2] === "name")) && slot[0]!.endsWith("_processor")) return registryNames(ctx, "processor");
  if (path.length === 2 && path[0] === "model" && path[1] === "arch") return registryNames(ctx, "arch");
  if (path.length === 2 && path[0] === "model" && path[1] === "model_type") {
    const arch = a.resolved ? getPath(a.resolved.root, ["model", "arch"]) : undefined;
    return arch?.kind === "scalar" ? typeNames(ctx, "arch", String(arch.value)) : [];
  }
  if (path.length === 3 && path[0] === "datasets" && path[2] === "type") return typeNames(ctx, "builder", path[1]!);
  const field = a.resolved?.fieldAt(path) ?? (path[0] === "run" && path.length === 2 ? a.registry.schemas.get(SCHEMAS.recipe)?.fields.get(path[1]!) : undefined);
  if (!field) return [];
  return namesOfType(typeOf(field.type, a.registry), a.registry).map((n) => ({
    label: n.name,
    kind: n.kind === "enum value" || n.kind === "bool" ? KIND.enumValue : KIND.name,
    textEdit: { range: ctx.range, newText: n.name },
    data: { file: a.path, ...(n.kind !== "bool" && n.kind !== "enum value" ? { ref: { kind: n.kind, name: n.name } } : {}) } satisfies CompletionData,
  }));
}

function registryNames(ctx: Context, kind: "arch" | "builder" | "task" | "processor"): CompletionItem[] {
  return [...ctx.a.registry.entries[kind].keys()].map((name) => ({
    label: name, kind: KIND.name, detail: kind,
    textEdit: { range: ctx.range, newText: name },
    data: { file: ctx.a.path, ref: { kind, name } } satisfies CompletionData,
  }));
}

/** The model types of an arch (`model blip_caption(`) or the dataset types of a builder (`data coco_caption(`). */
function typeNames(ctx: Context, of: "arch" | "builder", owner: string): CompletionItem[] {
  const entry = ctx.a.registry.entries[of].get(owner);
  const kind = of === "arch" ? "model type" : "dataset type";
  return [...(entry?.types.keys() ?? [])].map((name) => ({
    label: name, kind: KIND.value, detail: `${kind} of ${owner}`,
    textEdit: { range: ctx.range, newText: name },
    data: { file: ctx.a.path, ref: of === "arch" ? { kind: "model type", arch: owner, name } : { kind: "dataset type", builder: owner, name } } satisfies CompletionData,
  }));
}

/** `completionItem/resolve`: the documentation of a key or a name, read from the stdlib. */
export function resolveCompletion(item: CompletionItem, a: Analysis | undefined): CompletionItem {
  const data = item.data as CompletionData | undefined;
  if (!a || !data) return item;
  let doc: string | null = null;
  if (data.ref) doc = nameMarkdown(data.ref, a.registry, a.sources);
  else if (data.field) {
    const f = a.resolved?.fieldAt(data.field);
    if (f) doc = fieldMarkdown(data.field.at(-1)!, f, a.registry, a.sources);
  }
  return doc ? { ...item, documentation: { kind: "markdown", value: doc } } : item;
}
