import type { Document, Node as YNode, Pair } from "yaml";
import { diag, groupDigits, type Diagnostic, type Span } from "../diagnostics/index.js";
import { MAX_YAML_NESTING } from "../syntax/limits.js";
import { emptyMap, scalar, type CMap, type CNode, type Origin, type OriginKind } from "./configTree.js";
import { plainKeyProblem, typedKeyProblem } from "./yamlKeys.js";
import { emptyKeyProblem, keylessColons, propertiesBefore } from "./yamlEmptyKeys.js";
import { DASH, parsedWithStandIns } from "./yamlFlowDash.js";
import { plainScalarNode, resolvePlainScalar, scalarOrInterpolation, unreadableScalar } from "./fromYaml.js";
import { applyTag, tagName } from "./yamlTags.js";
import { flatten } from "./flatString.js";
import { AliasResolver } from "./yamlAliases.js";

/** The stand-in of a lone flow `-` (yamlFlowDash.ts), read back as the dash. */
const DASH_RE = new RegExp(DASH, "g");

// A parsed `yaml` document to a configuration tree, as OmegaConf's loader builds it: aliases expanded (within a budget,
// so a "billion laughs" file is refused instead of exhausting memory), merge keys (`<<`) flattened as PyYAML does,
// explicit tags applied or refused, and nesting bounded like `.lv` (MAX_NESTING).

/** Values all aliases of one file may expand to; a LAVIS config has a few dozen at most. */
export const MAX_ALIAS_VALUES = 10_000;

class AliasBudgetExceeded extends Error {}

export class DocumentReader {
  readonly diagnostics: Diagnostic[] = [];
  private aliasDepth = 0;
  private aliasValues = 0;
  private aliasSpan: Span | null = null;
  private reportedDepth = false;
  /** The mappings being read, innermost last (a merge key that names the mapping it is in merges nothing). */
  private readonly building: YNode[] = [];
  /** Where a `:` has no key before it (yamlEmptyKeys.ts), found when the first empty key is met. */
  private keyless: ReturnType<typeof keylessColons> | undefined;
  private readonly aliases: AliasResolver;

  constructor(
    private readonly y: typeof import("yaml"),
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly kind: OriginKind,
    /** The document's text, so that a reference inside a string can be pointed at (fromYaml.ts). */
    private readonly text?: string,
  ) {
    this.aliases = new AliasResolver(doc, y);
  }

  /** The document's tree; null (with LV1014) when its aliases expand beyond the budget. */
  read(contents: YNode): CNode | null {
    try {
      return this.convert(contents, null, []);
    } catch (e) {
      if (!(e instanceof AliasBudgetExceeded)) throw e;
      this.diagnostics.push(diag("LV1014", this.aliasSpan, { max: groupDigits(MAX_ALIAS_VALUES) }));
      return null;
    }
  }

  private span(n: unknown): Span | null {
    const r = (n as { range?: [number, number, number] | null } | null | undefined)?.range;
    return r ? { file: this.file, start: r[0], end: r[1] } : null;
  }

  private convert(node: YNode | null | undefined, keySpan: Span | null, path: string[]): CNode {
    const { y } = this;
    const sp = this.span(node);
    const origin: Origin = { kind: this.kind, span: sp };
    if (this.aliasDepth > 0 && ++this.aliasValues > MAX_ALIAS_VALUES) throw new AliasBudgetExceeded();
    if (node == null) return scalar(null, "null", origin, sp, keySpan);
    if (y.isAlias(node)) return this.alias(node, keySpan, path);
    if (y.isScalar(node)) return this.scalarNode(node as import("yaml").Scalar, origin, sp, keySpan, path);
    if (!y.isMap(node) && !y.isSeq(node)) return scalar(null, "null", origin, sp, keySpan);
    if (path.length > MAX_YAML_NESTING) {
      if (!this.reportedDepth) this.diagnostics.push(diag("LV1013", sp, { max: MAX_YAML_NESTING, what: "YAML mappings and lists" }, { path: path.join(".") }));
      this.reportedDepth = true;
      return scalar(null, "null", origin, sp, keySpan);
    }
    if (y.isMap(node)) this.giveTagToEmptyFirstKey(node);
    this.checkTag(node.tag, y.isMap(node) ? "map" : "seq", "", sp, path);
    if ((node as { flow?: boolean }).flow) this.checkFlowIndicators(node.items as unknown[], path);
    if (y.isSeq(node)) {
      return { kind: "list", items: node.items.map((it, i) => this.convert(it as YNode, null, [...path, String(i)])), origin, span: sp, keySpan };
    }
    this.building.push(node);
    try {
      return this.mapNode(node.items as Pair[], origin, sp, keySpan, path);
    } finally {
      this.building.pop();
    }
  }

  /**
   * In a flow collection PyYAML ends a plain scalar at any `?` and starts none with `:` (`?x`, `x?`, `:x` are a
   * complex key, a broken entry or a value indicator to OmegaConf's loader: an error, or a different structure), where
   * the `yaml` package (YAML 1.2) reads text. Reported, so that LAVIS does not meet it first.
   */
  private checkFlowIndicators(items: unknown[], path: string[]): void {
    const { y } = this;
    for (const it of items) {
      for (const n of y.isPair(it) ? [it.key, it.value] : [it]) {
        if (!y.isScalar(n) || n.type !== y.Scalar.PLAIN || n.tag) continue;
        const text = String(n.source ?? n.value ?? "");
        const why = text.includes("?") ? "ends a plain value at `?`" : text[0] === ":" ? "reads a `:` that starts a value as an indicator" : null;
        if (!why) continue;
        this.diagnostics.push(diag("LV1008", this.span(n), { detail: `in a flow collection OmegaConf's loader (PyYAML) ${why}, so \`${text}\` is not this text to LAVIS; quote it (\`"${text}"\`)` }, { path: path.join(".") }));
      }
    }
  }

  private alias(node: import("yaml").Alias, keySpan: Span | null, path: string[]): CNode {
    if (this.aliasDepth === 0) this.aliasSpan = this.span(node);
    this.aliasDepth++;
    try {
      const target = this.aliases.target(node);
      // No anchor of that name before it: PyYAML stops ("found undefined alias"); the `yaml` package reads null.
      if (target === undefined) {
        this.diagnostics.push(this.undefinedAlias(node, path));
        return scalar(null, "null", { kind: this.kind, span: this.span(node) }, this.span(node), keySpan);
      }
      return this.convert(target as YNode, keySpan, path);
    } finally {
      this.aliasDepth--;
    }
  }

  private undefinedAlias(node: import("yaml").Alias, path: string[]): Diagnostic {
    return diag("LV1008", this.span(node), { detail: `the alias \`*${node.source}\` names no anchor before it (OmegaConf's loader stops: "found undefined alias")` }, { path: path.join(".") });
  }

  private scalarNode(node: import("yaml").Scalar, origin: Origin, sp: Span | null, keySpan: Span | null, path: string[]): CNode {
    const text = flatten(String(node.value ?? ""));
    const raw = parsedWithStandIns.has(this.doc) ? text.replace(DASH_RE, "-") : text;
    const tagged = this.checkTag(node.tag, "scalar", raw, sp, path);
    if (tagged) return plainScalarNode(tagged, origin, sp, keySpan);
    const r = node.type === this.y.Scalar.PLAIN ? resolvePlainScalar(raw) : { type: "string" as const, value: raw };
    // (A refused tag was reported above, LV1015: once is enough.)
    const unreadable = node.tag && node.tag !== "!" ? null : unreadableScalar(r, raw, sp, path);
    if (unreadable) this.diagnostics.push(unreadable);
    return scalarOrInterpolation(r.value, r.type, origin, sp, keySpan, path, this.diagnostics, "exact" in r ? r.exact : undefined, this.text);
  }

  /** Applies an explicit tag: the scalar it constructs, or null (untagged, or refused with a diagnostic). */
  private checkTag(tag: string | undefined, nodeKind: "scalar" | "map" | "seq", text: string, sp: Span | null, path: string[]) {
    const r = applyTag(tag, nodeKind, text);
    if (r.kind === "scalar") return { type: r.type, value: r.value };
    if (r.kind === "refused") this.diagnostics.push(diag("LV1015", sp, { tag: tagName(tag!), detail: r.detail }, { path: path.join(".") }));
    if (r.kind === "unsupported") this.diagnostics.push(diag("LV1010", sp, { feature: r.feature }, { path: path.join(".") }));
    return null;
  }

  /**
   * A mapping with PyYAML's merge keys: the merged entries come first (of a list, the first mapping wins), then the
   * mapping's own keys override them. Only the own keys can be duplicates (LV1009), as OmegaConf's loader checks.
   */
  private mapNode(items: Pair[], origin: Origin, sp: Span | null, keySpan: Span | null, path: string[]): CMap {
    const { y } = this;
    const m = emptyMap(origin, sp, keySpan);
    const own: [string, CNode][] = [];
    const first = new Map<string, Span | null>();
    for (const pair of items) {
      if (!y.isPair(pair)) continue;
      const keyNode = pair.key as YNode | null;
      const ks = this.span(keyNode);
      if (keyNode && y.isScalar(keyNode) && keyNode.type === y.Scalar.PLAIN && keyNode.value === "<<" && !keyNode.tag) {
        for (const [k, v] of this.mergedEntries(pair.value as YNode | null, ks, path)) m.entries.set(k, v);
        continue;
      }
      // An alias key is its anchor's node (undefined: no anchor before it).
      const target = keyNode && y.isAlias(keyNode) ? this.aliases.target(keyNode) : keyNode;
      const key = target && y.isScalar(target) ? String(target.value ?? "null") : String(target ?? keyNode);
      const problem = this.reportKeyProblem(keyNode, target, key, ks, path);
      // OmegaConf's loader checks only text keys for duplicates: a reported `on:` twice is one mistake, not two.
      if (first.has(key) && !problem) {
        const prev = first.get(key);
        // A plain number key is not text to OmegaConf's loader, which checks only text keys: the later one wins there.
        const numberKey = !!keyNode && y.isScalar(keyNode) && keyNode.type === y.Scalar.PLAIN && !keyNode.tag && resolvePlainScalar(key).type !== "string";
        const hint = numberKey ? { hint: "OmegaConf checks only text keys for duplicates, so in LAVIS the later value silently wins; keep one of them." } : {};
        this.diagnostics.push(diag("LV1009", ks, { key }, { path: [...path, key].join("."), related: prev ? [{ span: prev, message: "first defined here" }] : [], ...hint }));
      } else first.set(key, ks);
      own.push([key, this.convert(pair.value as YNode, ks, [...path, key])]);
    }
    for (const [k, v] of own) m.entries.set(k, v);
    return m;
  }

  /**
   * `a:\n  !!str : 1`: the `yaml` package gives the tag of a mapping's empty first key to the mapping, PyYAML to the
   * key (yamlEmptyKeys.ts); moved to the key before the mapping is read.
   */
  private giveTagToEmptyFirstKey(map: import("yaml").YAMLMap): void {
    const { y } = this;
    const first = map.items[0];
    const key = y.isPair(first) ? (first.key as YNode | null) : null;
    if (!map.tag || !key || !y.isScalar(key) || key.tag || key.source !== "" || !key.range) return;
    const tag = propertiesBefore(this.text ?? "", key.range[0]).find((p) => p[0] === "!");
    if (!tag) return;
    // (The mapping's `!` reads as `!!map`: the key's is the non-specific tag, resolved as if untagged.)
    key.tag = tag === "!" ? "!" : map.tag;
    map.tag = undefined;
  }

  /**
   * Reports a key (`target`: the node of `keyNode`, an alias's anchor) that OmegaConf's loader refuses or does not read
   * as the text `key`, lavisc's keys being text: an alias to no anchor, a list or a mapping ("found unhashable key"),
   * a tagged or plain scalar that is something else (LV1018, LV1017, LV1015, LV1010), an empty key (LV1008). A plain
   * key tagged `!` resolves as an untagged one. Returns whether it reported one.
   */
  private reportKeyProblem(keyNode: YNode | null, target: YNode | null | undefined, key: string, ks: Span | null, path: string[]): boolean {
    const { y } = this;
    let problem: Diagnostic | null = null;
    if (target === undefined) problem = this.undefinedAlias(keyNode as import("yaml").Alias, path);
    else if (!target) return false;
    else if (!y.isScalar(target)) problem = diag("LV1008", ks, { detail: `a ${y.isSeq(target) ? "list" : "mapping"} as a key: OmegaConf's loader (PyYAML) stops on it ("found unhashable key"); write a text key` }, { path: path.join(".") });
    else if (target.tag && target.tag !== "!") return this.reportTaggedKey(target.tag, key, ks, path);
    else if (target.type === y.Scalar.PLAIN) problem = key !== "" ? plainKeyProblem(key, ks, path) : this.emptyKeyProblem(ks, path);
    if (problem) this.diagnostics.push(problem);
    return !!problem;
  }

  /** LV1008 for an empty plain key (yamlEmptyKeys.ts). */
  private emptyKeyProblem(ks: Span | null, path: string[]): Diagnostic {
    this.keyless ??= keylessColons(this.text ?? "", this.y);
    return emptyKeyProblem(ks, ks ? this.keyless.get(ks.start) : undefined, path);
  }

  /** A tagged key: the tag refused (LV1015, LV1010), or what it constructs when that is not the text (LV1018). */
  private reportTaggedKey(tag: string, key: string, ks: Span | null, path: string[]): boolean {
    const before = this.diagnostics.length;
    const constructed = this.checkTag(tag, "scalar", key, ks, [...path, key]);
    const problem = constructed && typedKeyProblem(key, constructed, ks, path, `Remove the tag and quote the key (\`"${key}"\`) to make it text.`);
    if (problem) this.diagnostics.push(problem);
    return this.diagnostics.length > before;
  }

  /** The entries a merge key's value brings, in the order PyYAML's flatten_mapping lays them out. */
  private mergedEntries(value: YNode | null, keySpan: Span | null, path: string[]): [string, CNode][] {
    const { y } = this;
    const target = (n: YNode | null): YNode | null => (n && y.isAlias(n) ? (this.aliases.target(n) as YNode) : n);
    const mapping = (n: YNode | null, found: string): [string, CNode][] | null => {
      const t = target(n);
      // `a: &x {b: 1, <<: *x}`: PyYAML's flatten_mapping drops the merge key and merges the mapping's own keys into
      // itself, which changes nothing (OmegaConf reads {b: 1}); reading it here would recurse without end.
      if (t && t === this.building[this.building.length - 1]) return [];
      if (!t || !y.isMap(t)) {
        this.diagnostics.push(diag("LV1016", this.span(n) ?? keySpan, { found: t && y.isSeq(t) ? "a list" : found }, { path: path.join(".") }));
        return null;
      }
      const converted = this.convert(n, keySpan, path);
      return converted.kind === "map" ? [...converted.entries] : [];
    };
    const t = target(value);
    if (t && y.isSeq(t)) {
      const parts = (t.items as (YNode | null)[]).map((item) => mapping(item, "a scalar") ?? []);
      return parts.reverse().flat();
    }
    return mapping(value, "a scalar") ?? [];
  }
}
