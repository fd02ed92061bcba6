import type { SourceSet, Span } from "../diagnostics/index.js";
import type { Registry, EntryInfo, FieldInfo } from "../semantic/registry.js";
import type { Resolved } from "../semantic/resolve.js";
import { getPath } from "../semantic/configTree.js";
import { exprText } from "../semantic/exprText.js";
import { typeOf, typeToString, stripNullable, type Type } from "../checker/types.js";
import type * as A from "../syntax/ast.js";

// What the editor shows about a key or a registry name (hover and completion documentation), all read from the
// stdlib: doc comments, declared types and defaults, and the declarations' own text.

export type RegistryKind = A.RegistryKind;

/** A registry name in the configuration: the entry it names, or a model type / dataset type of one. */
export type NameRef =
  | { readonly kind: RegistryKind; readonly name: string }
  | { readonly kind: "model type"; readonly arch: string; readonly name: string }
  | { readonly kind: "dataset type"; readonly builder: string; readonly name: string }
  | { readonly kind: "enum value"; readonly enumName: string; readonly name: string };

/** Does the value at `path` name something the stdlib declares? */
export function nameRefAt(path: readonly string[], value: string, r: Resolved | null, reg: Registry): NameRef | null {
  const [section, a, b] = path;
  if (section === "model" && a === "arch" && path.length === 2) return { kind: "arch", name: value };
  if (section === "model" && a === "model_type" && path.length === 2) {
    const arch = r ? getPath(r.root, ["model", "arch"]) : undefined;
    return arch?.kind === "scalar" ? { kind: "model type", arch: String(arch.value), name: value } : null;
  }
  if (section === "datasets" && a && b === "type" && path.length === 3) return { kind: "dataset type", builder: a, name: value };
  const slot = section === "datasets" ? path.slice(2) : section === "preprocess" ? path.slice(1) : [];
  if (slot.length === 3 && slot[0]!.endsWith("_processor") && slot[2] === "name") return { kind: "processor", name: value };
  const field = r?.fieldAt(path);
  if (!field) return null;
  return nameRefOfType(stripNullable(typeOf(field.type, reg)), value);
}

function nameRefOfType(t: Type, value: string): NameRef | null {
  if (t.k === "registry") return { kind: t.kind, name: value };
  if (t.k === "enum" && t.values.includes(value)) return { kind: "enum value", enumName: t.name, name: value };
  if (t.k === "union") for (const o of t.options) { const hit = nameRefOfType(stripNullable(o), value); if (hit) return hit; }
  if (t.k === "list") return nameRefOfType(stripNullable(t.elem), value);
  return null;
}

/** Where a name is declared, and its doc. */
export function declarationOf(ref: NameRef, reg: Registry): { span: Span; doc: string | null; entry?: EntryInfo; clause?: A.TypeClause } | null {
  if (ref.kind === "enum value") {
    const e = reg.enums.get(ref.enumName);
    return e ? { span: e.span, doc: null } : null;
  }
  if (ref.kind === "model type" || ref.kind === "dataset type") {
    const owner = ref.kind === "model type" ? reg.archs.get(ref.arch) : reg.builders.get(ref.builder);
    const clause = owner?.types.get(ref.name);
    return clause ? { span: clause.span, doc: clause.doc, entry: owner, clause } : null;
  }
  const entry = reg.entries[ref.kind].get(ref.name);
  return entry ? { span: entry.decl.span, doc: entry.decl.doc, entry } : null;
}

/** At most `max` lines of a declaration's source, as a fenced `lv` block. */
export function declarationText(span: Span, sources: SourceSet, max = 24): string {
  const text = sources.get(span.file)?.text.slice(span.start, span.end) ?? "";
  const lines = text.split("\n");
  const shown = lines.length > max ? [...lines.slice(0, max), "  …"] : lines;
  return "```lv\n" + shown.join("\n") + "\n```";
}

/** `stdlib/models.lv:120` */
export function whereText(span: Span, sources: SourceSet): string {
  const pos = sources.get(span.file)?.position(span.start);
  return `${span.file}${pos ? `:${pos.line}` : ""}`;
}

/** Markdown about a name: what it is, its doc, and its declaration (the default config of a model or dataset type). */
export function nameMarkdown(ref: NameRef, reg: Registry, sources: SourceSet): string | null {
  const d = declarationOf(ref, reg);
  if (!d) return null;
  const title = ref.kind === "model type" ? `model type \`${ref.arch}(${ref.name})\``
    : ref.kind === "dataset type" ? `dataset type \`${ref.builder}(${ref.name})\``
    : ref.kind === "enum value" ? `\`${ref.name}\`, a value of \`${ref.enumName}\``
    : `${ref.kind} \`${ref.name}\``;
  const parts = [`**${title}**`];
  if (d.doc) parts.push(d.doc);
  if ((ref.kind === "arch" || ref.kind === "builder") && d.entry) {
    // An arch or builder is mostly its types: list them (each type's hover shows its default config).
    const types = [...d.entry.types.keys()];
    if (types.length) parts.push(`${ref.kind === "arch" ? "Model" : "Dataset"} types: ${types.map((t) => `\`${t}\``).join(", ")}.`);
  } else if (ref.kind !== "enum value") {
    parts.push(declarationText(d.span, sources));
  }
  parts.push(`Declared at ${whereText(d.span, sources)}.`);
  return parts.join("\n\n");
}

/** Markdown about a declared key: its type, default, doc and declaring schema. */
export function fieldMarkdown(name: string, f: FieldInfo, reg: Registry, sources: SourceSet): string {
  const parts = [`**${name}**: \`${typeToString(typeOf(f.type, reg))}\``];
  if (f.default) parts.push(`Default: \`${exprText(f.default)}\``);
  if (f.doc) parts.push(f.doc);
  parts.push(`Declared in \`${f.owner}\` at ${whereText(f.span, sources)}.`);
  return parts.join("\n\n");
}

/** Names a value of type `t` may take: enum values and registry names, with their docs. */
export function namesOfType(t: Type, reg: Registry): { name: string; kind: RegistryKind | "enum value" | "bool"; doc: string | null }[] {
  switch (t.k) {
    case "enum": return t.values.map((name) => ({ name, kind: "enum value" as const, doc: null }));
    case "registry": return [...reg.entries[t.kind].keys()].map((name) => ({ name, kind: t.kind, doc: null }));
    case "bool": return [{ name: "true", kind: "bool", doc: null }, { name: "false", kind: "bool", doc: null }];
    case "nullable": return namesOfType(t.inner, reg);
    case "union": return t.options.flatMap((o) => namesOfType(o, reg));
    case "list": return namesOfType(t.elem, reg);
    default: return [];
  }
}
