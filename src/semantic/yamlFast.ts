import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { emptyMap, scalar, type CMap, type CNode, type Origin, type OriginKind, type ScalarType } from "./configTree.js";
import { mayNotBeText, plainKeyProblem } from "./yamlKeys.js";
import { resolvePlainScalar, scalarOrInterpolation, type YamlResult } from "./fromYaml.js";
import { MAX_YAML_NESTING } from "../syntax/limits.js";

// A single-pass reader for the YAML subset LAVIS configs are written in, an order of magnitude faster than the
// `yaml` package's parseDocument. It must give exactly what readYaml's `yaml` path gives, spans included, so anything
// outside the subset (anchors, aliases, tags, block scalars, multi-line scalars, tabs, several documents, any syntax
// error) returns null and the caller falls back to `yaml`, which also reports located errors. A flow collection's
// continuation lines may have any indentation, column 0 included, as in PyYAML (yamlFlowIndent.ts).
//
// A block collection's span ends where its last value's node ends (yaml's range[1] is the last item's range[2]), and
// a node's end takes in the comment lines yaml's CST parser attached to it. The rules below mirror yaml 2.x
// (parse/parser.js, compose/resolve-block-*.js, util-empty-scalar-position.js); the test compares both readers on
// the whole LAVIS corpus and on generated documents that put comments and blank lines everywhere.

const OUTSIDE = new Error("outside the fast YAML subset");

const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

/** Starts nothing a plain scalar may start with (`-` is checked on its own). */
const NOT_PLAIN_START = new Set([..."?:,[]{}#&*!|>'\"%@`"]);
const FLOW_INDICATOR = new Set([..."[]{},"]);
const ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029", " ": " ", '"': '"', "/": "/", "\\": "\\",
};
const HEX = /^[0-9a-fA-F]+$/;
/** Deeper nesting is left to the `yaml` path, which reports it (LV1013). */
const MAX_DEPTH = MAX_YAML_NESTING;

/** A parsed block value: its node, its `yaml` node end (range[2]), the next content line, and the comment lines
 * left between them that belong to no node yet (the highest comment indent among them, -1 for none). */
interface Block {
  readonly node: CNode;
  readonly end: number;
  readonly next: number;
  readonly pending: number;
}

interface Key {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Offset of the `:` indicator. */
  readonly colon: number;
}

/** Reads `text` like readYaml's `yaml` path would, or returns null when the file is outside the subset. */
export function readYamlFast(text: string, file: string, kind: OriginKind = "file"): YamlResult | null {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return null;
  try {
    return new FastReader(text, file, kind).read();
  } catch (e) {
    if (e === OUTSIDE) return null;
    throw e;
  }
}

class FastReader {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private readonly kinds: number[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly n: number;
  private lineCount = 0;
  /** The keys (and list indices) from the root to the node being read: one array for the whole read, extended and
   * restored around each child (a copy per node was most of what reading a file allocated). */
  private readonly path: string[] = [];
  /** The line a flow collection is being read on. */
  private flowLine = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly kind: OriginKind,
  ) {
    this.n = text.length;
  }

  read(): YamlResult {
    const sawDocStart = this.splitLines();
    const first = this.nextContent(0);
    if (first === this.lineCount) {
      // `---` alone gives an empty scalar document, which readYaml rejects with its own message.
      if (sawDocStart) throw OUTSIDE;
      return { root: emptyMap({ kind: this.kind, span: null }), diagnostics: [] };
    }
    const root = this.blockMap(first, this.indents[first]!, null);
    if (root.next !== this.lineCount) throw OUTSIDE;
    return { root: root.node as CMap, diagnostics: this.diagnostics };
  }

  /** Fills the line table; returns whether the document starts with `---`. */
  private splitLines(): boolean {
    const { text, n } = this;
    let sawDocStart = false;
    let sawContent = false;
    for (let s = 0; s <= n; ) {
      let e = text.indexOf("\n", s);
      if (e < 0) e = n;
      let i = s;
      while (i < e && text.charCodeAt(i) === 32) i++;
      let kind = i === e ? BLANK : text[i] === "#" ? COMMENT : CONTENT;
      if (kind === CONTENT && i === s && this.isDocMarker(s, e)) {
        if (sawContent || sawDocStart || text[s] !== "-") throw OUTSIDE;
        const after = this.skipSpaces(s + 3, e);
        if (after !== e && !(text[after] === "#" && after > s + 3)) throw OUTSIDE;
        sawDocStart = true;
        kind = BLANK;
      }
      if (kind === CONTENT) sawContent = true;
      this.starts.push(s);
      this.ends.push(e);
      this.indents.push(i - s);
      this.kinds.push(kind);
      if (e === n) break;
      s = e + 1;
    }
    this.lineCount = this.starts.length;
    return sawDocStart;
  }

  private isDocMarker(s: number, e: number): boolean {
    const t = this.text;
    const three = t.startsWith("---", s) || t.startsWith("...", s);
    return three && (s + 3 === e || t[s + 3] === " ");
  }

  // ---- block structure -------------------------------------------------------------------------------------

  /** A block mapping whose first key is at column `col` of `line`; later keys are lines indented by `col`. */
  private blockMap(line: number, col: number, keySpan: Span | null): Block {
    const { starts, indents, path } = this;
    if (path.length > MAX_DEPTH) throw OUTSIDE;
    const entries = new Map<string, CNode>();
    let firstKeySpan: Map<string, Span> | undefined; // made at a key's second occurrence
    const start = starts[line]! + col;
    for (let ln = line; ; ) {
      const key = this.scanKey(ln, starts[ln]! + col);
      if (!key) throw OUTSIDE;
      // Merge keys get LV1010 and their value skipped; leave that (and its diagnostics order) to the slow path.
      if (key.value === "<<") throw OUTSIDE;
      const ks: Span = { file: this.file, start: key.start, end: key.end };
      path.push(key.value);
      if (entries.has(key.value)) firstKeySpan = this.duplicateKey(key.value, ks, entries, firstKeySpan);
      const le = this.ends[ln]!;
      const q = this.skipSpaces(key.colon + 1, le);
      const value = q === le || this.text[q] === "#" ? this.afterEmptyMapValue(ln, col, q, ks) : this.inlineValue(ln, q, col, ks);
      path.pop();
      entries.set(key.value, value.node);
      const next = value.next;
      if (next < this.lineCount && indents[next]! >= col) {
        if (indents[next]! > col) throw OUTSIDE;
        ln = next;
        continue;
      }
      return this.closeCollection({ kind: "map", entries, ...this.spanned(start, value.end, keySpan) }, col, value);
    }
  }

  /**
   * LV1009 for `key` (at `ks`, this.path ending with it) seen again in a mapping: related to its first occurrence, the
   * key span the value read first still carries (kept in `first` once it is replaced). Returns `first`.
   */
  private duplicateKey(key: string, ks: Span, entries: ReadonlyMap<string, CNode>, first: Map<string, Span> | undefined): Map<string, Span> {
    if (mayNotBeText(key)) throw OUTSIDE; // a number key twice: the slow path says what OmegaConf does
    const spans = first ?? new Map<string, Span>();
    if (!spans.has(key)) spans.set(key, entries.get(key)!.keySpan!);
    this.diagnostics.push(diag("LV1009", ks, { key }, { path: this.path.join("."), related: [{ span: spans.get(key)!, message: "first defined here" }] }));
    return spans;
  }

  /** A block sequence whose first `-` is at column `col` of `line`. */
  private blockSeq(line: number, col: number, keySpan: Span | null): Block {
    const { starts, indents, text, path } = this;
    if (path.length > MAX_DEPTH) throw OUTSIDE;
    const items: CNode[] = [];
    const start = starts[line]! + col;
    let carried = -1;
    for (let ln = line; ; ) {
      const le = this.ends[ln]!;
      const q = this.skipSpaces(starts[ln]! + col + 1, le);
      path.push(String(items.length));
      let value: Block;
      if (q === le || text[q] === "#") value = this.afterEmptySeqItem(ln, col, q, carried >= 0);
      else if (text[q] === "-" && this.isIndicator(q + 1, le)) throw OUTSIDE;
      else if (this.scanKey(ln, q)) value = this.blockMap(ln, q - starts[ln]!, null);
      else value = this.inlineValue(ln, q, col, null);
      path.pop();
      items.push(value.node);
      const next = value.next;
      if (next < this.lineCount && indents[next]! === col && this.isSeqLine(next, col)) {
        carried = value.pending;
        ln = next;
        continue;
      }
      if (next < this.lineCount && indents[next]! > col) throw OUTSIDE;
      return this.closeCollection({ kind: "list", items, ...this.spanned(start, value.end, keySpan) }, col, value);
    }
  }

  /** The node end of a closing collection: the comment lines after its last value stay in it (and extend its
   * end to the next token) when one of them is indented at least as far as the collection; else they move up. */
  private closeCollection(node: CNode, col: number, last: Block): Block {
    const stays = col > 0 && last.pending >= col;
    return { node, end: stays ? this.tokenAt(last.next) : last.end, next: last.next, pending: stays ? -1 : last.pending };
  }

  private spanned(start: number, end: number, keySpan: Span | null): { origin: Origin; span: Span; keySpan: Span | null } {
    const span: Span = { file: this.file, start, end };
    return { origin: { kind: this.kind, span }, span, keySpan };
  }

  /** The value of `key:` with nothing after it on the line: a block collection below, or an empty scalar. */
  private afterEmptyMapValue(line: number, col: number, q: number, keySpan: Span): Block {
    const next = this.nextContent(line + 1);
    if (next < this.lineCount) {
      const k = this.indents[next]!;
      if (k > col) return this.blockNode(next, k, keySpan);
      if (k === col && this.isSeqLine(next, col)) return this.blockSeq(next, col, keySpan);
    }
    // An empty value sits after the `:` and its spaces; its node end reaches over the lines after it (up to the
    // next token) only when they hold a comment. When the map goes on, the next key takes back the lines from the
    // second line break after the `:` or after the last comment indented past the map.
    let hasComment = this.text[q] === "#";
    let end = this.tokenAt(next);
    if (next < this.lineCount && this.indents[next] === col) {
      let reset = line;
      for (let i = line + 1; i < next; i++) if (this.kinds[i] === COMMENT && this.indents[i]! > col) reset = i;
      if (next - reset >= 2) {
        end = this.lineNext(reset);
        for (let i = line + 1; i <= reset; i++) if (this.kinds[i] === COMMENT) hasComment = true;
      } else hasComment ||= this.anyComment(line + 1, next);
    } else hasComment ||= this.anyComment(line + 1, next);
    return { node: this.emptyScalar(q, keySpan), end: hasComment ? end : q, next, pending: -1 };
  }

  /** A `-` with nothing after it on the line: a block collection below, or an empty scalar, whose node end reaches
   * the next token when a comment sits anywhere from the previous item's loose comment lines to that token. */
  private afterEmptySeqItem(line: number, col: number, q: number, carriedComment: boolean): Block {
    const next = this.nextContent(line + 1);
    if (next < this.lineCount && this.indents[next]! > col) return this.blockNode(next, this.indents[next]!, null);
    const hasComment = carriedComment || this.text[q] === "#" || this.anyComment(line + 1, next);
    return { node: this.emptyScalar(q, null), end: hasComment ? this.tokenAt(next) : q, next, pending: -1 };
  }

  private blockNode(line: number, col: number, keySpan: Span | null): Block {
    if (this.isSeqLine(line, col)) return this.blockSeq(line, col, keySpan);
    if (!this.scanKey(line, this.starts[line]! + col)) throw OUTSIDE;
    return this.blockMap(line, col, keySpan);
  }

  /** A scalar or flow collection that ends its (last) line. Comment lines right after it that are indented past the
   * collection belong to its node (blank lines between do not stop that); from the first other comment line on,
   * the comment lines are loose (`pending`): they go to the next item, or decide the collection's end if it closes. */
  private inlineValue(line: number, q: number, col: number, keySpan: Span | null): Block {
    this.flowLine = line;
    const { node, after } = this.flowNode(q, keySpan, false);
    const last = this.flowLine;
    const le = this.ends[last]!;
    const p = this.skipSpaces(after, le);
    if (p !== le && !(this.text[p] === "#" && p > after)) throw OUTSIDE;
    let end = this.lineNext(last);
    let pending = -1;
    let absorbing = true;
    let i = last + 1;
    for (; i < this.lineCount; i++) {
      const k = this.kinds[i];
      if (k === CONTENT) break;
      if (k !== COMMENT) continue;
      if (absorbing && this.indents[i]! > col) end = this.lineNext(i);
      else {
        absorbing = false;
        pending = Math.max(pending, this.indents[i]!);
      }
    }
    // A more indented line would continue a plain scalar or be an error.
    if (i < this.lineCount && this.indents[i]! > col) throw OUTSIDE;
    return { node, end, next: i, pending };
  }

  // ---- flow nodes and scalars -------------------------------------------------------------------------------

  /** A scalar or a flow collection at `p` on line `flowLine`; `after` is the offset just past it. */
  private flowNode(p: number, keySpan: Span | null, inFlow: boolean): { node: CNode; after: number } {
    const le = this.ends[this.flowLine]!;
    const c = this.text[p];
    if (c === "[" || c === "{") return this.flowCollection(p, keySpan);
    if (c === '"' || c === "'") {
      const { value, end } = this.quoted(p, le);
      return { node: this.scalarNode(value, "string", p, end, keySpan), after: end };
    }
    if (!this.plainStarts(p, le, inFlow)) throw OUTSIDE;
    const end = inFlow ? this.plainEndInFlow(p, le) : this.plainEndInBlock(p, le);
    if (inFlow && this.skipSpaces(end, le) === le && !this.flowPlainEndsAtLineEnd()) throw OUTSIDE;
    const plain = this.text.slice(p, end);
    // In a flow collection PyYAML ends a plain value at `?` (and starts none with `:`): the slow path reports it.
    if (inFlow && (plain.includes("?") || plain[0] === ":")) throw OUTSIDE;
    const r = resolvePlainScalar(plain);
    if (r.unreadable) throw OUTSIDE; // reported by the slow path (LV1017, or LV1008 for `=`)
    return { node: this.scalarNode(r.value, r.type, p, end, keySpan, r.exact), after: end };
  }

  private flowCollection(open: number, keySpan: Span | null): { node: CNode; after: number } {
    const { text, path } = this;
    if (path.length > MAX_DEPTH) throw OUTSIDE;
    const isMap = text[open] === "{";
    const close = isMap ? "}" : "]";
    const entries = isMap ? new Map<string, CNode>() : null;
    let firstKeySpan: Map<string, Span> | undefined; // made at a key's second occurrence
    const items: CNode[] = [];
    let p = open + 1;
    for (;;) {
      p = this.skipFlowGap(p);
      if (text[p] === close) break;
      if (text[p] === ",") throw OUTSIDE;
      if (entries) {
        const le = this.ends[this.flowLine]!;
        const k = this.flowKey(p, le);
        const ks: Span = { file: this.file, start: p, end: k.end };
        if (k.value === "<<") throw OUTSIDE;
        path.push(k.value);
        if (entries.has(k.value)) firstKeySpan = this.duplicateKey(k.value, ks, entries, firstKeySpan);
        const v = this.skipSpaces(k.colon + 1, le);
        if (v >= le) throw OUTSIDE;
        if (text[v] === "," || text[v] === close) {
          entries.set(k.value, this.emptyScalar(v, ks));
          p = v;
        } else {
          const value = this.flowNode(v, ks, true);
          entries.set(k.value, value.node);
          p = this.skipFlowGap(value.after);
        }
        path.pop();
      } else {
        path.push(String(items.length));
        const value = this.flowNode(p, null, true);
        path.pop();
        items.push(value.node);
        p = this.skipFlowGap(value.after);
      }
      if (text[p] === ",") p++;
      else if (text[p] !== close) throw OUTSIDE;
    }
    const rest = this.spanned(open, p + 1, keySpan);
    const node: CNode = entries ? { kind: "map", entries, ...rest } : { kind: "list", items, ...rest };
    return { node, after: p + 1 };
  }

  /** Skips spaces, comments and line breaks inside a flow collection. Its continuation lines may have any indentation
   * (PyYAML checks none in flow context, yamlFlowIndent.ts); a document marker at column 0, which ends it with an
   * error, never gets here (splitLines declines a document with one after content). */
  private skipFlowGap(p: number): number {
    const { text } = this;
    for (;;) {
      const le = this.ends[this.flowLine]!;
      p = this.skipSpaces(p, le);
      if (p < le && text[p] === "#") {
        if (text[p - 1] !== " " && text[p - 1] !== "\n") throw OUTSIDE;
        p = le;
      }
      if (p < le) return p;
      const line = ++this.flowLine;
      if (line >= this.lineCount) throw OUTSIDE;
      p = this.starts[line]!;
    }
  }

  /** A plain scalar running to the end of a line inside a flow collection goes on on the next non-blank line
   * (folded) unless that line starts with a comment or ends the item. */
  private flowPlainEndsAtLineEnd(): boolean {
    let line = this.flowLine + 1;
    while (line < this.lineCount && this.kinds[line] === BLANK) line++;
    if (line >= this.lineCount) return false;
    const c = this.text[this.starts[line]! + this.indents[line]!];
    return c === "," || c === "]" || c === "}" || c === "#";
  }

  /** A flow mapping key and its `:`; a quoted key may touch its `:` (JSON style), a plain one may not. */
  private flowKey(p: number, le: number): Key {
    const c = this.text[p];
    let value: string;
    let end: number;
    if (c === '"' || c === "'") ({ value, end } = this.quoted(p, le));
    else {
      if (!this.plainStarts(p, le, true)) throw OUTSIDE;
      end = this.plainEndInFlow(p, le);
      value = this.text.slice(p, end);
      if (value.includes("?") || value[0] === ":") throw OUTSIDE; // as in flowNode
    }
    const colon = this.skipSpaces(end, le);
    if (this.text[colon] !== ":") throw OUTSIDE;
    return c === '"' || c === "'" ? { value, start: p, end, colon } : plainKey(value, p, end, colon);
  }

  /** The implicit block key at `p` with its `:`, or null when the line holds no key there. */
  private scanKey(line: number, p: number): Key | null {
    const { text } = this;
    const le = this.ends[line]!;
    const c = text[p];
    if (c === '"' || c === "'") {
      const { value, end } = this.quoted(p, le);
      const colon = this.skipSpaces(end, le);
      return text[colon] === ":" && this.isIndicator(colon + 1, le) ? { value, start: p, end, colon } : null;
    }
    if (!this.plainStarts(p, le, false)) return null;
    let end = p;
    for (let i = p; i < le; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 /* : */ && this.isIndicator(i + 1, le)) return plainKey(text.slice(p, end), p, end, i);
      if (ch === 32) {
        if (text.charCodeAt(i + 1) === 35 /* # */) return null;
      } else end = i + 1;
    }
    return null;
  }

  private plainStarts(p: number, le: number, inFlow: boolean): boolean {
    const c = this.text[p]!;
    if (NOT_PLAIN_START.has(c)) return false;
    if (c !== "-") return true;
    if (p + 1 >= le) return false;
    // PyYAML (YAML 1.1) starts a plain scalar at `-` followed by anything but a space, a flow indicator included
    // (`[a, -]` holds the text "-"); the `yaml` package follows YAML 1.2 there and refuses it.
    const next = this.text[p + 1]!;
    return next !== " " && (!inFlow || next === "," || next === "]" || next === "}" || !FLOW_INDICATOR.has(next));
  }

  /** End of a block plain scalar (trailing spaces excluded); a `: ` inside a value is a nested mapping. */
  private plainEndInBlock(p: number, le: number): number {
    const { text } = this;
    let end = p;
    for (let i = p; i < le; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && this.isIndicator(i + 1, le)) throw OUTSIDE;
      if (ch === 32) {
        if (text.charCodeAt(i + 1) === 35) break;
      } else end = i + 1;
    }
    return end;
  }

  private plainEndInFlow(p: number, le: number): number {
    const { text } = this;
    let end = p;
    for (let i = p; i < le; i++) {
      const ch = text[i]!;
      if (ch === ":") {
        if (i + 1 >= le || text[i + 1] === " " || FLOW_INDICATOR.has(text[i + 1]!)) break;
        end = i + 1;
      } else if (ch === " ") {
        if (text[i + 1] === "#") break;
      } else if (FLOW_INDICATOR.has(ch)) break;
      else end = i + 1;
    }
    return end;
  }

  /** A quoted scalar closed on its own line; its value decoded as `yaml` does. */
  private quoted(p: number, le: number): { value: string; end: number } {
    const { text } = this;
    if (text[p] === "'") {
      let i = p + 1;
      for (;;) {
        i = text.indexOf("'", i);
        if (i < 0 || i >= le) throw OUTSIDE;
        if (text[i + 1] !== "'") break;
        i += 2;
      }
      return { value: text.slice(p + 1, i).replace(/''/g, "'"), end: i + 1 };
    }
    let value = "";
    let from = p + 1;
    for (let i = p + 1; ; i++) {
      if (i >= le) throw OUTSIDE;
      const ch = text[i];
      if (ch === '"') return { value: value + text.slice(from, i), end: i + 1 };
      if (ch !== "\\") continue;
      value += text.slice(from, i);
      const e = text[i + 1];
      if (i + 1 >= le || e === undefined) throw OUTSIDE;
      if (e === "x" || e === "u" || e === "U") {
        const len = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        if (i + 2 + len > le || !HEX.test(hex)) throw OUTSIDE;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw OUTSIDE;
        value += String.fromCodePoint(code);
        i += 1 + len;
      } else {
        const decoded = ESCAPES[e];
        if (decoded === undefined) throw OUTSIDE;
        value += decoded;
        i += 1;
      }
      from = i + 1;
    }
  }

  private scalarNode(value: string | number | boolean | null, type: ScalarType, start: number, end: number, keySpan: Span | null, exact?: string): CNode {
    const span: Span = { file: this.file, start, end };
    const origin: Origin = { kind: this.kind, span };
    return scalarOrInterpolation(value, type, origin, span, keySpan, this.path, this.diagnostics, exact, this.text);
  }

  private emptyScalar(at: number, keySpan: Span | null): CNode {
    const span: Span = { file: this.file, start: at, end: at };
    return scalar(null, "null", { kind: this.kind, span }, span, keySpan);
  }

  // ---- lines ---------------------------------------------------------------------------------------------------

  private nextContent(from: number): number {
    let i = from;
    while (i < this.lineCount && this.kinds[i] !== CONTENT) i++;
    return i;
  }

  private anyComment(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.kinds[i] === COMMENT) return true;
    return false;
  }

  /** Offset of the first token of content line `line` (the end of the text past the last line). */
  private tokenAt(line: number): number {
    return line < this.lineCount ? this.starts[line]! + this.indents[line]! : this.n;
  }

  private lineNext(line: number): number {
    const e = this.ends[line]!;
    return e < this.n ? e + 1 : this.n;
  }

  private isSeqLine(line: number, col: number): boolean {
    const p = this.starts[line]! + col;
    return this.text[p] === "-" && this.isIndicator(p + 1, this.ends[line]!);
  }

  /** Whether an indicator character before `p` stands alone (followed by a space or the line end). */
  private isIndicator(p: number, le: number): boolean {
    return p >= le || this.text.charCodeAt(p) === 32;
  }

  private skipSpaces(p: number, le: number): number {
    while (p < le && this.text.charCodeAt(p) === 32) p++;
    return p;
  }
}

/** A plain key; one that may not read as its text (`on`, `0x10`, `null`) is left to the slow path, which reports it. */
function plainKey(value: string, start: number, end: number, colon: number): Key {
  if (mayNotBeText(value) && plainKeyProblem(value, null, [])) throw OUTSIDE;
  return { value, start, end, colon };
}
