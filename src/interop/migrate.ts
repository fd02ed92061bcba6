import { createRequire } from "node:module";
import { basename, extname } from "node:path";
import type { Document, Node as YNode, Pair, Scalar as YScalar, YAMLMap, YAMLSeq } from "yaml";
import { resolvePlainScalar } from "../semantic/fromYaml.js";
import type { CMap } from "../semantic/configTree.js";
import { getPathIncludingLists } from "../semantic/resolve.js";
import type { FieldInfo, Registry } from "../semantic/registry.js";
import { typeOf, type Type } from "../checker/types.js";
import { isLvName, lvFloat, lvInt, lvKey, lvName, lvString, referencePath, sectionPath } from "./lvText.js";
import { renderLines, type Line } from "./lvLines.js";
import { expandAliasesAndMerges, flattenScalars } from "./yamlExpand.js";
import { singleQuotedWherePossible } from "./quotedScalars.js";
import { applyTag } from "../semantic/yamlTags.js";
import { withLineFeeds } from "../semantic/yamlLineBreaks.js";
import { parseDocumentAsPyYaml } from "../semantic/yamlFlowIndent.js";
import { addPins, type CodeFallbackPin } from "./codeFallbackPins.js";
import { keyOf, pairOf } from "./yamlPairs.js";
import { absoluteReference, readOmegaConfString, type StringPiece } from "../syntax/interpolation.js";

// LAVIS YAML → idiomatic `.lv`: `model arch(type)`, `data builder(type)`, `recipe`, `task` from run.task; processor
// maps become tagged objects, nested maps blocks, `${a.b}` a reference. Comments stay next to the key they annotate.
// The text is not formatted here: the caller runs it through the formatter, which owns the layout.

export interface MigrateContext {
  readonly registry: Registry;
  /** The stdlib field typing a path of the YAML's resolved experiment (decides bare names vs strings). */
  readonly fieldAt: (path: readonly string[]) => FieldInfo | null;
  /** With --minimal: the file layer with inherited values removed; only paths present there are written. */
  readonly keep?: CMap;
  /** A default file (a fragment) becomes a registry declaration instead of an experiment. */
  readonly fragment?: FragmentTarget;
  /** Keys the YAML leaves out that are written with LAVIS's code fallback (`codeFallbackPins`), kept by --minimal too. */
  readonly pins?: readonly CodeFallbackPin[];
}

/** The declaration a default file migrates to: `builder B : DatasetConfig { type T {...} }` or `arch A : ModelConfig { type T {...} }`. */
export interface FragmentTarget {
  readonly kind: "builder" | "arch";
  /** The arch (for a model default file), or null to name each builder by its key under `datasets:`. */
  readonly entry: string | null;
  readonly type: string;
  /** What the type's doc names as its default file. */
  readonly defaultConfig: string;
}

let yamlModule: typeof import("yaml") | undefined;
function yamlLib(): typeof import("yaml") {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}

/** The experiment's name: the file name, made an identifier. */
export function experimentName(path: string): string {
  let n = basename(path, extname(path)).replace(/[^A-Za-z0-9_]+/g, "_");
  if (!/^[A-Za-z_]/.test(n)) n = `_${n}`;
  return isLvName(n) ? n : `${n}_`;
}

/** Translates YAML text (already known to parse) to `.lv` text. */
export function yamlToLv(yamlText: string, path: string, ctx: MigrateContext): string {
  const y = yamlLib();
  const text = withLineFeeds(yamlText); // as check reads it (same offsets)
  const doc = parseDocumentAsPyYaml(y, singleQuotedWherePossible(text, y), { schema: "failsafe", uniqueKeys: false, strict: false, keepSourceTokens: false });
  flattenScalars(doc, y);
  expandAliasesAndMerges(doc, y);
  const pinned = addPins(doc, ctx.pins ?? [], y);
  const w = new Writer(text, doc, ctx, y, pinned);
  return w.file(doc, experimentName(path));
}

class Writer {
  constructor(
    private readonly src: string,
    private readonly doc: Document.Parsed,
    private readonly ctx: MigrateContext,
    private readonly y: typeof import("yaml"),
    /** The pairs `addPins` added: written even with --minimal. */
    private readonly pinned: ReadonlySet<Pair>,
  ) {}

  file(doc: Document.Parsed, name: string): string {
    const out: Line[] = [...commentLines(doc.commentBefore)];
    if (out.length) out.push({ t: "blank" });
    if (this.ctx.fragment && doc.contents && this.y.isMap(doc.contents)) {
      out.push(...this.fragment(doc.contents, this.ctx.fragment));
      const tail = commentLines(doc.comment);
      if (tail.length) out.push({ t: "blank" }, ...tail);
      return renderLines(out);
    }
    const body: Line[] = [];
    const top = doc.contents;
    if (top && this.y.isMap(top)) {
      const run = pairOf(top, "run");
      const taskPair = run && this.y.isMap(run.value) ? pairOf(run.value, "task") : undefined;
      const task = taskPair && this.stringValue(taskPair.value);
      if (taskPair && task !== null && task !== undefined) {
        // A comment above the first key of `run` belongs to that key; when it is the task, it moves with it.
        if (run && this.y.isMap(run.value) && run.value.items[0] === taskPair) {
          const opening = this.collectionOpening(run, run.value);
          body.push(...opening.rest);
          run.value.commentBefore = opening.trailing;
        }
        body.push(...this.leading(taskPair), { t: "entry", head: `task ${lvName(task)}`, trailing: trailingOf(taskPair.value), body: null }, ...restOf(taskPair.value));
      }
      for (const pair of top.items) {
        const key = keyOf(pair);
        if (body.length) body.push({ t: "blank" });
        const lead = this.leading(pair).filter((l) => l.t !== "blank");
        if (key === "model") body.push(...lead, ...this.model(pair));
        else if (key === "datasets") body.push(...lead, ...this.datasets(pair));
        else if (key === "run") body.push(...lead, ...this.recipe(pair, taskPair && task != null ? taskPair : undefined));
        else if (key === "preprocess") body.push(...lead, ...this.entry(pair, ["preprocess"], "preprocess"));
        else body.push(...lead, ...this.ignoredSection(pair, key));
      }
      while (body.at(-1)?.t === "blank") body.pop();
    }
    out.push({ t: "entry", head: `experiment ${name}`, trailing: null, body });
    const tail = commentLines(doc.comment);
    if (tail.length) out.push({ t: "blank" }, ...tail);
    return renderLines(out);
  }

  // --- default files --------------------------------------------------------------------------

  /** A default file as the registry declaration that holds it: one `type` clause per builder (or the arch's). */
  private fragment(top: YAMLMap, target: FragmentTarget): Line[] {
    const typeHead = `type ${lvName(target.type)}`;
    const doc: Line = { t: "comment", text: `/ Default config: ${target.defaultConfig}.` };
    if (target.kind === "builder") {
      const datasets = pairOf(top, "datasets");
      const v = datasets?.value as YNode | null;
      if (!datasets || !v || !this.y.isMap(v)) return [];
      const out: Line[] = [];
      v.items.forEach((dp, i) => {
        const name = keyOf(dp);
        const dv = dp.value as YNode | null;
        if (i > 0) out.push({ t: "blank" });
        out.push(...this.leading(dp).filter((l) => l.t !== "blank"));
        const body = dv && this.y.isMap(dv) ? this.block(typeHead, dv, ["datasets", name], new Set(), true, dp) : [{ t: "entry" as const, head: `${typeHead} {}`, trailing: null, body: null }];
        out.push({ t: "entry", head: `builder ${lvName(name)} : DatasetConfig`, trailing: null, body: [doc, ...body], open: "{", close: "}" });
      });
      return out;
    }
    const model = pairOf(top, "model");
    const mv = model?.value as YNode | null;
    const members: Line[] = [];
    if (model && mv && this.y.isMap(mv)) {
      const skip = new Set(mv.items.filter((p) => keyOf(p) === "arch" || keyOf(p) === "model_type"));
      members.push(...this.collectionOpening(model, mv).rest, ...this.members(mv, ["model"], skip));
    }
    const pre = pairOf(top, "preprocess");
    if (pre) members.push(...this.leading(pre).filter((l) => l.t !== "blank"), ...this.entry(pre, ["preprocess"], "preprocess"));
    return [{ t: "entry", head: `arch ${lvName(target.entry ?? "model")} : ModelConfig`, trailing: null, body: [doc, { t: "entry", head: typeHead, trailing: null, body: members, open: "{", close: "}" }], open: "{", close: "}" }];
  }

  // --- sections ------------------------------------------------------------------------------

  private model(pair: Pair): Line[] {
    const v = pair.value as YNode | null;
    const y = this.y;
    if (!v || !y.isMap(v)) return this.entry(pair, ["model"], lvString("model"));
    const archPair = pairOf(v, "arch");
    const arch = archPair ? this.stringValue(archPair.value) : null;
    if (!archPair || arch == null) return this.entry(pair, ["model"], lvString("model"));
    const typePair = pairOf(v, "model_type");
    const modelType = typePair ? this.stringValue(typePair.value) : null;
    const before: Line[] = [];
    for (const p of [archPair, modelType != null ? typePair : undefined]) {
      if (!p) continue;
      before.push(...this.leading(p).filter((l) => l.t !== "blank"));
      const t = trailingOf(p.value);
      if (t !== null) before.push({ t: "comment", text: t });
      before.push(...restOf(p.value));
    }
    const skip = new Set<Pair>([archPair, ...(modelType != null && typePair ? [typePair] : [])]);
    const head = `model ${lvName(arch)}${modelType != null ? `(${lvName(modelType)})` : ""}`;
    return [...before, ...this.block(head, v, ["model"], skip, true, pair)];
  }

  private datasets(pair: Pair): Line[] {
    const v = pair.value as YNode | null;
    const y = this.y;
    if (!v || !y.isMap(v)) return this.entry(pair, ["datasets"], lvString("datasets"));
    const out: Line[] = [];
    const opening = this.collectionOpening(pair, v);
    if (opening.trailing !== null) out.push({ t: "comment", text: opening.trailing });
    out.push(...opening.rest);
    v.items.forEach((dp, i) => {
      const name = keyOf(dp);
      if (i > 0) out.push({ t: "blank" });
      out.push(...this.leading(dp).filter((l) => l.t !== "blank"));
      const dv = dp.value as YNode | null;
      if (dv == null || (y.isScalar(dv) && resolvePlainScalar(String(dv.value ?? "")).type === "null" && dv.type === "PLAIN")) {
        out.push({ t: "entry", head: `data ${lvName(name)}`, trailing: dv ? trailingOf(dv) : null, body: null });
      } else if (y.isMap(dv)) {
        const typePair = pairOf(dv, "type");
        const dsType = typePair ? this.stringValue(typePair.value) : null;
        const before: Line[] = [];
        if (typePair && dsType != null) {
          before.push(...this.leading(typePair).filter((l) => l.t !== "blank"));
          const t = trailingOf(typePair.value);
          if (t !== null) before.push({ t: "comment", text: t });
        }
        const head = `data ${lvName(name)}${dsType != null ? `(${lvName(dsType)})` : ""}`;
        out.push(...before, ...this.block(head, dv, ["datasets", name], new Set(typePair && dsType != null ? [typePair] : []), true, dp));
      } else {
        out.push(...this.entry(dp, ["datasets", name], `datasets.${lvKey(name)}`));
      }
    });
    out.push(...commentLines(v.comment));
    return out;
  }

  private recipe(pair: Pair, taskPair: Pair | undefined): Line[] {
    const v = pair.value as YNode | null;
    if (!v || !this.y.isMap(v)) return this.entry(pair, ["run"], lvString("run"));
    const rest = v.items.filter((p) => p !== taskPair);
    if (rest.length === 0 && !v.comment) return [];
    return this.block("recipe", v, ["run"], new Set(taskPair ? [taskPair] : []), true, pair);
  }

  /** LAVIS drops top-level sections other than model, datasets and run: the text survives as comments. */
  private ignoredSection(pair: Pair, key: string): Line[] {
    const k = pair.key as YNode | null;
    const v = pair.value as YNode | null;
    const start = k?.range?.[0] ?? 0;
    const end = v?.range?.[1] ?? k?.range?.[1] ?? start;
    const lines = this.src.slice(lineStart(this.src, start), end).replace(/\s+$/, "").split(/\r?\n/);
    return [{ t: "comment", text: ` LAVIS ignores the top-level key \`${key}\`; it was not migrated:` }, ...lines.map((l) => ({ t: "comment" as const, text: ` ${l}` }))];
  }

  // --- members -------------------------------------------------------------------------------

  /** `head { members }`, with the map's own comments: same-line after the opening, the rest at the start. */
  private block(head: string, map: YAMLMap, path: string[], skip: ReadonlySet<Pair>, keepEmpty: boolean, ownerPair?: Pair): Line[] {
    const opening = ownerPair ? this.collectionOpening(ownerPair, map) : { trailing: null, rest: commentLines(map.commentBefore) };
    const body = [...opening.rest, ...this.members(map, path, skip)];
    if (!keepEmpty && !body.some((l) => l.t === "entry") && this.ctx.keep && getPathIncludingLists(this.ctx.keep, path) === undefined) {
      return dropped(opening.trailing, body);
    }
    return [{ t: "entry", head, trailing: opening.trailing, body, open: "{", close: "}" }];
  }

  private members(map: YAMLMap, path: string[], skip: ReadonlySet<Pair> = new Set()): Line[] {
    const out: Line[] = [];
    for (const pair of map.items) {
      if (skip.has(pair)) continue;
      const key = keyOf(pair);
      out.push(...this.leading(pair), ...this.entry(pair, [...path, key], lvKey(key)));
    }
    out.push(...commentLines(map.comment));
    return out;
  }

  /** One `key = value` or `key { ... }` member for a YAML pair. */
  private entry(pair: Pair, path: string[], keyText: string): Line[] {
    const y = this.y;
    let v = pair.value as YNode | null;
    if (v && y.isAlias(v)) v = (v.resolve(this.doc) as YNode | undefined) ?? null;
    const kept = !this.ctx.keep || this.pinned.has(pair) || getPathIncludingLists(this.ctx.keep, path) !== undefined;
    if (v && y.isMap(v)) {
      const tag = this.processorTag(v, path);
      if (tag !== null) {
        if (!kept) return dropped(null, [...this.collectionOpening(pair, v).rest, ...this.members(v, path)]);
        const namePair = pairOf(v, "name")!;
        const opening = this.collectionOpening(pair, v);
        const nameNotes = [...this.leading(namePair).filter((l) => l.t !== "blank"), ...(trailingOf(namePair.value) !== null ? [{ t: "comment" as const, text: trailingOf(namePair.value)! }] : [])];
        const body = [...opening.rest, ...nameNotes, ...this.members(v, path, new Set([namePair]))];
        return [{ t: "entry", head: `${keyText} = ${tag}`, trailing: opening.trailing, body, open: "{", close: "}" }];
      }
      return this.block(keyText, v, path, new Set(), false, pair);
    }
    // A block list's `comment` is the one on lines after its last item, which list() writes there, not a same-line one.
    const afterItems = v && y.isSeq(v) && !v.flow ? commentLines(v.comment) : null;
    const trailing = v && !afterItems ? trailingOf(v) : null;
    const notes = [...(v ? commentLines(v.commentBefore) : []), ...(v && !afterItems ? restOf(v) : [])];
    if (!kept) return dropped(trailing, [...notes, ...(afterItems ?? [])]);
    if (v && y.isSeq(v)) return [...notes, ...this.list(keyText, v, path, trailing)];
    return [...notes, { t: "entry", head: `${keyText} = ${this.scalar(v as YScalar | null, path)}`, trailing, body: null }];
  }

  private list(keyText: string, seq: YAMLSeq, path: string[], trailing: string | null): Line[] {
    const y = this.y;
    const items = seq.items as (YNode | null)[];
    const simple = items.every((i) => !i || (y.isScalar(i) && !i.commentBefore && !i.comment));
    // A flow list's comment is on its line (the caller's `trailing`); a block list's follows its items.
    const afterItems = seq.flow ? [] : commentLines(seq.comment);
    if (simple) {
      return [{ t: "entry", head: `${keyText} = [${items.map((i) => this.scalar(i as YScalar | null, path)).join(", ")}]`, trailing, body: null }, ...afterItems];
    }
    const body: Line[] = [];
    items.forEach((i, n) => {
      if (i && !y.isScalar(i) && !y.isMap(i) && !y.isSeq(i)) return;
      body.push(...(i ? commentLines(i.commentBefore) : []));
      if (i && y.isMap(i)) body.push({ t: "entry", head: "", trailing: null, body: this.members(i, [...path, String(n)]), open: "{", close: "}," });
      else if (i && y.isSeq(i)) body.push({ t: "entry", head: `${this.inline(i, path)},`, trailing: null, body: null });
      else body.push({ t: "entry", head: `${this.scalar(i as YScalar | null, path)},`, trailing: i ? trailingOf(i) : null, body: null });
    });
    body.push(...afterItems);
    return [{ t: "entry", head: keyText ? `${keyText} =` : "", trailing, body, open: "[", close: "]" }];
  }

  private scalar(node: YScalar | null, path: readonly string[]): string {
    if (!node) return "null";
    const y = this.y;
    if (y.isMap(node) || y.isSeq(node)) return this.inline(node as unknown as YNode, path);
    const raw = String(node.value ?? "");
    // An explicit tag decides the value as OmegaConf's loader does (`!!str 1` is a string); a refused one is reported
    // by the check, and the plain value is written.
    const tagged = applyTag(node.tag, "scalar", raw);
    if (tagged.kind === "scalar") return tagged.type === "string" ? this.stringText(raw, path) : plainText(tagged.type, tagged.value, raw);
    if (node.type === "PLAIN") {
      const r = resolvePlainScalar(raw);
      switch (r.type) {
        case "null": return "null";
        case "bool": return String(r.value);
        case "int": return lvInt(r.value as number, r.exact);
        case "float": return lvFloat(r.value as number, raw);
        default: break;
      }
    }
    return this.stringText(raw, path);
  }

  /** A collection nested in a list, written on one line (`{ k = v }`, `[a, b]`). */
  private inline(node: YNode, path: readonly string[]): string {
    const y = this.y;
    if (y.isSeq(node)) return `[${(node.items as (YNode | null)[]).map((i) => (i && !y.isScalar(i) ? this.inline(i, path) : this.scalar(i as YScalar | null, path))).join(", ")}]`;
    if (y.isMap(node)) {
      const parts = node.items.map((p) => {
        const v = p.value as YNode | null;
        const text = v && !y.isScalar(v) ? this.inline(v, [...path, keyOf(p)]) : this.scalar(v as YScalar | null, [...path, keyOf(p)]);
        return `${lvKey(keyOf(p))} = ${text}`;
      });
      return parts.length ? `{ ${parts.join(", ")} }` : "{}";
    }
    return "null";
  }

  private stringText(s: string, path: readonly string[]): string {
    const read = readOmegaConfString(s);
    const container = path.slice(0, -1);
    if (read.kind === "template") {
      const [only] = read.pieces;
      const whole = read.pieces.length === 1 && typeof only !== "string" && "path" in only! ? absoluteReference(only, container) : null;
      // A reference is written as a `.lv` name path; one with a key no `.lv` name spells (`a-b`) stays a template.
      const written = whole && referencePath(whole);
      if (written) return written;
      const text = templateText(read.pieces, container);
      if (text !== null) return text;
    }
    if (read.kind === "text" && read.text !== s) return lvString(read.text);
    const isListItem = /^\d+$/.test(path.at(-1) ?? "");
    if (isLvName(s) && this.namesExpected(isListItem ? path.slice(0, -1) : path)) return s;
    return lvString(s);
  }

  /** Is a bare name at this path read as that name (an enum or registry value), never as a reference? */
  private namesExpected(path: readonly string[]): boolean {
    const f = this.ctx.fieldAt(path);
    if (!f) return false;
    const isName = (t: Type): boolean => {
      switch (t.k) {
        case "enum": case "registry": return true;
        case "nullable": return isName(t.inner);
        case "list": return isName(t.elem);
        default: return false;
      }
    };
    return isName(typeOf(f.type, this.ctx.registry));
  }

  /** The processor a map names (`{name: blip_image_train, ...}` in a processor slot), or null for a plain map. */
  private processorTag(map: YAMLMap, path: readonly string[]): string | null {
    const namePair = pairOf(map, "name");
    if (!namePair) return null;
    const name = this.stringValue(namePair.value);
    if (name == null || !isLvName(name)) return null;
    const inSlot = (path.at(-2) ?? "").endsWith("_processor");
    if (!inSlot && !this.ctx.registry.processors.has(name)) return null;
    if (this.ctx.keep && getPathIncludingLists(this.ctx.keep, [...path, "name"]) === undefined) return null;
    return name;
  }

  /** A string-valued scalar (plain text that OmegaConf reads as a string, or any quoted scalar). */
  private stringValue(node: unknown): string | null {
    const y = this.y;
    if (!node || !y.isScalar(node)) return null;
    const raw = String(node.value ?? "");
    if (node.type === "PLAIN" && resolvePlainScalar(raw).type !== "string") return null;
    if (raw.includes("${")) return null;
    return raw;
  }

  // --- comments ------------------------------------------------------------------------------

  /** Comment lines (and a blank line) written before a pair. */
  private leading(pair: Pair): Line[] {
    const k = pair.key as YNode | null;
    const out: Line[] = [];
    if (k && (k as { spaceBefore?: boolean }).spaceBefore) out.push({ t: "blank" });
    out.push(...commentLines(k?.commentBefore));
    return out;
  }

  /** A collection value's comment before its first item: on the key's line (trailing) or on lines of its own. */
  private collectionOpening(pair: Pair, coll: YAMLMap | YAMLSeq): { trailing: string | null; rest: Line[] } {
    const c = coll.commentBefore;
    if (!c) return { trailing: null, rest: [] };
    const keyEnd = (pair.key as YNode | null)?.range?.[1];
    if (keyEnd === undefined) return { trailing: null, rest: commentLines(c) };
    const nl = this.src.indexOf("\n", keyEnd);
    const sameLine = this.src.slice(keyEnd, nl < 0 ? undefined : nl).includes("#");
    if (!sameLine) return { trailing: null, rest: commentLines(c) };
    const [first, ...more] = c.split("\n");
    return { trailing: first ?? "", rest: commentLines(more.join("\n")) };
  }
}

/** A YAML string with references in it as a `.lv` string: the text escaped, each reference `${path}`. */
function templateText(pieces: readonly StringPiece[], container: readonly string[]): string | null {
  let out = "";
  for (const piece of pieces) {
    if (typeof piece === "string") {
      out += lvString(piece).slice(1, -1);
      continue;
    }
    if ("env" in piece) {
      out += `\${oc.env:${piece.env}${piece.fallback === undefined ? "" : `,${piece.fallback ?? "null"}`}}`;
      continue;
    }
    const path = absoluteReference(piece, container);
    if (!path) return null;
    out += `\${${sectionPath(path) ?? path.join(".")}}`;
  }
  return `"${out}"`;
}

/** A value --minimal leaves out: its comments stay where it was. */
function dropped(trailing: string | null, lines: Line[]): Line[] {
  const comments = lines.filter((l) => l.t === "comment" || l.t === "blank");
  return trailing !== null ? [{ t: "comment", text: trailing }, ...comments] : comments;
}

function trailingOf(n: unknown): string | null {
  const c = (n as { comment?: string | null } | null)?.comment;
  if (!c) return null;
  return c.split("\n")[0] ?? null;
}

/** Lines of a trailing comment after its first (they sit on the following lines). */
function restOf(n: unknown): Line[] {
  const c = (n as { comment?: string | null } | null)?.comment;
  if (!c || !c.includes("\n")) return [];
  return commentLines(c.split("\n").slice(1).join("\n"));
}

export function commentLines(c: string | null | undefined): Line[] {
  if (!c) return [];
  const lines = c.split("\n");
  while (lines.length && lines.at(-1)!.trim() === "") lines.pop();
  while (lines.length && lines[0]!.trim() === "") lines.shift();
  return lines.map((l) => (l.trim() === "" ? { t: "blank" as const } : { t: "comment" as const, text: l }));
}

function lineStart(src: string, at: number): number {
  const i = src.lastIndexOf("\n", at - 1);
  return i + 1;
}

/** A tagged scalar's value in `.lv` spelling (`!!float 1` is `1.0`, `!!int "3"` is `3`). */
function plainText(type: string, value: string | number | boolean | null, raw: string): string {
  switch (type) {
    case "null": return "null";
    case "bool": return String(value);
    case "int": return lvInt(value as number, resolvePlainScalar(raw).exact);
    default: return lvFloat(value as number, raw);
  }
}
