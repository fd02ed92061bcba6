import type * as A from "../syntax/index.js";
import type { Span } from "../diagnostics/index.js";
import { LineWriter } from "./lineWriter.js";
import { flatExpr, flatType, identText } from "./flat.js";

export const maxWidth = 100;

type Spanned = { readonly span: Span };
type TopItem = A.Import | A.Declaration;

/** Options of one bracketed sequence: a file, a `{ ... }` body, an enum's values, or a multi-line list. */
interface Sequence<T extends Spanned> {
  readonly items: readonly T[];
  /** Source offset right after the opening bracket (0 for the file). */
  readonly openEnd: number;
  /** Source offset of the closing bracket (the text length for the file). */
  readonly closeStart: number;
  readonly print: (item: T) => void;
  /** Text written right after an item, before its trailing comment (`,` in lists). */
  readonly suffix?: (item: T, next: T | undefined) => string;
  /** The next line after this item is preceded by a blank line whatever the source had (between declarations). */
  readonly blankAfter?: (item: T, next: T | undefined) => boolean;
}

/**
 * Prints a parsed file in the canonical layout. Everything is printed in source order, and comments leave a single
 * queue in source order: before each name or literal, the comments that precede it in the source are written first.
 * So no comment is lost or reordered, whichever node it sits in; sequences give the common cases a nicer place
 * (own line before an item, same line after it, before the closing bracket).
 */
export class Printer {
  private readonly w = new LineWriter();
  private readonly comments: readonly A.Comment[];
  private next = 0;

  constructor(private readonly file: A.File, private readonly src: string) {
    this.comments = [...file.comments].sort((a, b) => a.span.start - b.span.start);
  }

  print(): string {
    const items: TopItem[] = [...this.file.imports, ...this.file.declarations].sort((a, b) => a.span.start - b.span.start);
    const isDecl = (i: TopItem | undefined) => !!i && i.kind !== "Import";
    this.sequence<TopItem>({
      items,
      openEnd: 0,
      closeStart: this.src.length,
      print: (i) => (i.kind === "Import" ? this.importDecl(i) : this.declaration(i)),
      blankAfter: (i, next) => isDecl(i) || isDecl(next),
    });
    return this.w.toString();
  }

  // --- comments ----------------------------------------------------------------------------------

  private commentText(c: A.Comment): string {
    return c.text.replace(/\r\n?/g, "\n");
  }

  /** True when an unprinted comment starts inside [start, end). */
  private hasCommentIn(start: number, end: number): boolean {
    for (let i = this.next; i < this.comments.length; i++) {
      const s = this.comments[i]!.span.start;
      if (s >= end) return false;
      if (s >= start) return true;
    }
    return false;
  }

  /** Writes, inline, every unprinted comment that starts before `offset`; a line comment ends the line. */
  private flushBefore(offset: number): void {
    while (this.next < this.comments.length && this.comments[this.next]!.span.start < offset) {
      const c = this.comments[this.next++]!;
      this.space();
      this.w.text(this.commentText(c));
      if (c.style === "block") this.w.text(" ");
      else this.w.continueOnNextLine();
    }
  }

  private space(): void {
    if (!this.w.atLineStart() && !this.w.endsWithSpace()) this.w.text(" ");
  }

  // --- sequences ---------------------------------------------------------------------------------

  private sequence<T extends Spanned>(seq: Sequence<T>): void {
    const { src, w } = this;
    let prevEnd = seq.openEnd;
    let first = true;
    let forceBlank = false;
    const ownLine = (gapStart: number, at: number) => {
      w.line();
      if (!first && (forceBlank || /(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)/.test(src.slice(gapStart, Math.max(gapStart, at))))) w.blank();
      else w.noBlank();
      forceBlank = false;
    };
    const commentsBefore = (limit: number) => {
      while (this.next < this.comments.length && this.comments[this.next]!.span.start < limit) {
        const c = this.comments[this.next++]!;
        const sameLine = !/[\n\r]/.test(src.slice(prevEnd, Math.max(prevEnd, c.span.start)));
        if (sameLine && !w.atLineStart()) {
          this.space();
          w.text(this.commentText(c));
        } else {
          ownLine(prevEnd, c.span.start);
          w.text(this.commentText(c));
          first = false;
        }
        if (c.style !== "block") w.line();
        prevEnd = Math.max(prevEnd, c.span.end);
      }
    };
    seq.items.forEach((item, i) => {
      const next = seq.items[i + 1];
      commentsBefore(item.span.start);
      ownLine(prevEnd, item.span.start);
      seq.print(item);
      const suffix = seq.suffix?.(item, next);
      if (suffix) w.text(suffix);
      prevEnd = Math.max(prevEnd, item.span.end);
      first = false;
      forceBlank = seq.blankAfter?.(item, next) ?? false;
    });
    commentsBefore(seq.closeStart);
    w.line();
    w.noBlank();
  }

  /** Offset of the first `{` at or after `from`, skipping comments (which may contain braces). */
  private openBrace(from: number): number {
    let ci = this.next;
    for (let i = from; i < this.src.length; i++) {
      while (ci < this.comments.length && this.comments[ci]!.span.end <= i) ci++;
      const c = this.comments[ci];
      if (c && c.span.start <= i) {
        i = c.span.end - 1;
        continue;
      }
      if (this.src[i] === "{") return i;
    }
    return from;
  }

  /** `{ members }`: `{}` when empty, else one member per line. `from` is where to look for the `{`; `end` is the node's end. */
  private body(members: readonly A.Member[], from: number, end: number): void {
    this.braced<A.Member>(members, from, end, (m) => this.member(m), (m, next) => (needsSeparator(m, next) ? ";" : ""));
  }

  /** `{ items }` of any kind of item (members, sweep axes), one per line. */
  private braced<T extends Spanned>(items: readonly T[], from: number, end: number, print: (item: T) => void, suffix?: (item: T, next: T | undefined) => string): void {
    const open = this.openBrace(from);
    const closeStart = end - 1;
    // A comment before the `{` stays before it: moved after it, a `///` would document the first member.
    this.flushBefore(open);
    this.w.text("{");
    if (items.length === 0 && !this.hasCommentIn(open, closeStart)) {
      this.w.text("}");
      return;
    }
    this.w.level++;
    this.sequence<T>({ items, openEnd: open + 1, closeStart, print, ...(suffix ? { suffix } : {}) });
    this.w.level--;
    this.w.text("}");
  }

  // --- declarations ------------------------------------------------------------------------------

  private importDecl(i: A.Import): void {
    this.w.text("import ");
    this.leaf(i.path.span, i.path.raw);
    if (i.alias) {
      this.w.text(" as ");
      this.ident(i.alias);
    }
  }

  private declaration(d: A.Declaration): void {
    switch (d.kind) {
      case "ExperimentDecl": {
        this.w.text("experiment ");
        this.ident(d.name);
        let last: Spanned = d.name;
        if (d.extends) {
          this.w.text(" extends ");
          if (Array.isArray(d.extends)) last = this.dotted(d.extends);
          else {
            const path = d.extends as A.StringLit;
            this.leaf(path.span, path.raw);
            last = path;
          }
        }
        this.w.text(" ");
        this.body(d.members, last.span.end, d.span.end);
        return;
      }
      case "SchemaDecl":
      case "RegistryDecl": {
        this.w.text(d.kind === "SchemaDecl" ? "schema " : `${d.registry} `);
        this.ident(d.name);
        let last: Spanned = d.name;
        d.bases.forEach((b, i) => {
          this.w.text(i === 0 ? ": " : ", ");
          this.ident(b);
          last = b;
        });
        this.w.text(" ");
        this.body(d.members, last.span.end, d.span.end);
        return;
      }
      case "EnumDecl": {
        this.w.text("enum ");
        this.ident(d.name);
        const open = this.openBrace(d.name.span.end);
        this.w.text(" ");
        this.flushBefore(open);
        this.w.text("{");
        if (d.values.length === 0 && !this.hasCommentIn(open, d.span.end - 1)) {
          this.w.text("}");
          return;
        }
        this.w.level++;
        this.sequence<A.Ident>({ items: d.values, openEnd: open + 1, closeStart: d.span.end - 1, print: (v) => this.ident(v) });
        this.w.level--;
        this.w.text("}");
        return;
      }
    }
  }

  // --- members -----------------------------------------------------------------------------------

  private member(m: A.Member): void {
    switch (m.kind) {
      case "TaskClause":
        this.w.text("task ");
        this.ident(m.name);
        return;
      case "ModelClause":
      case "DataClause": {
        const [word, name, type] = m.kind === "ModelClause" ? ["model ", m.arch, m.modelType] : ["data ", m.builder, m.dataType];
        this.w.text(word);
        this.ident(name);
        if (type) {
          this.w.text("(");
          this.ident(type);
          if (!m.members) this.flushBefore(m.span.end - 1);
          this.w.text(")");
        }
        if (m.members) {
          this.w.text(" ");
          this.body(m.members, (type ?? name).span.end, m.span.end);
        }
        return;
      }
      case "RecipeClause":
        this.w.text("recipe ");
        this.body(m.members, m.span.start + "recipe".length, m.span.end);
        return;
      case "SweepClause":
        this.w.text("sweep ");
        this.braced<A.SweepMember>(m.members, m.span.start + "sweep".length, m.span.end, (x) => this.sweepMember(x));
        return;
      case "TypeClause":
        this.w.text("type ");
        this.ident(m.name);
        this.w.text(" ");
        this.body(m.members, m.name.span.end, m.span.end);
        return;
      case "Constraint":
        this.w.text(`${m.severity} `);
        this.expr(m.condition);
        if (m.message) {
          this.w.text(" ");
          this.leaf(m.message.span, m.message.raw);
        }
        return;
      case "FieldDecl":
        this.dotted(m.key.segments);
        this.w.text(": ");
        this.type(m.type);
        if (m.default) {
          this.w.text(" = ");
          this.expr(m.default);
        }
        return;
      case "Assignment":
        this.dotted(m.key.segments);
        this.w.text(" = ");
        this.expr(m.value);
        return;
      case "Block":
        this.dotted(m.key.segments);
        this.w.text(" ");
        this.body(m.members, m.key.span.end, m.span.end);
        return;
    }
  }

  private sweepMember(m: A.SweepMember): void {
    switch (m.kind) {
      case "SweepAxis":
        this.dotted(m.key.segments);
        this.w.text(" in ");
        if (m.domain.kind === "SweepRange") this.sweepRange(m.domain);
        else this.expr(m.domain);
        return;
      case "SweepZip":
        this.w.text("zip ");
        this.braced<A.SweepAxis>(m.axes, m.span.start + "zip".length, m.span.end, (a) => this.sweepMember(a));
        return;
      case "SweepFilter":
        this.w.text("filter ");
        this.expr(m.condition);
        return;
      case "SweepLimit":
        this.w.text("limit ");
        this.expr(m.count);
        return;
    }
  }

  private sweepRange(r: A.SweepRange): void {
    this.leaf(r.span, r.scale);
    this.w.text("(");
    this.expr(r.from);
    this.w.text(", ");
    this.expr(r.to);
    this.w.text(", count = ");
    this.expr(r.count);
    this.flushBefore(r.span.end - 1);
    this.w.text(")");
  }

  // --- types and expressions ---------------------------------------------------------------------

  private type(t: A.TypeExpr): void {
    this.flushBefore(t.span.start);
    if (!this.hasCommentIn(t.span.start, t.span.end)) {
      const flat = flatType(t, this.src);
      if (flat !== null) {
        this.w.text(flat);
        return;
      }
    }
    switch (t.kind) {
      case "TypeRef":
        this.ident(t.name);
        if (t.args.length) {
          this.w.text("<");
          t.args.forEach((a, i) => {
            if (i) this.w.text(", ");
            this.type(a);
          });
          if (!t.refinements.length) this.flushBefore(t.span.end - 1);
          this.w.text(">");
        }
        if (t.refinements.length) {
          this.w.text("(");
          t.refinements.forEach((r, i) => {
            if (i) this.w.text(", ");
            this.w.text(`${r.op} `);
            this.expr(r.bound);
          });
          this.flushBefore(t.span.end - 1);
          this.w.text(")");
        }
        return;
      case "NullableType":
        this.type(t.inner);
        this.flushBefore(t.span.end - 1);
        this.w.text("?");
        return;
      case "UnionType":
        t.options.forEach((o, i) => {
          if (i) this.w.text(" | ");
          this.type(o);
        });
        return;
      case "ListTypeSugar":
        this.w.text("[");
        this.type(t.element);
        this.flushBefore(t.span.end - 1);
        this.w.text("]");
        return;
      case "NullType":
        this.leaf(t.span, "null");
        return;
      case "MissingType":
        return;
    }
  }

  private expr(e: A.Expr): void {
    this.flushBefore(e.span.start);
    if (!this.hasCommentIn(e.span.start, e.span.end)) {
      const flat = flatExpr(e, this.src);
      if (flat !== null && this.w.column() + flat.length <= maxWidth) {
        this.w.text(flat);
        return;
      }
    }
    switch (e.kind) {
      case "StringLit":
      case "Template":
      case "IntLit":
      case "FloatLit":
        this.leaf(e.span, e.raw);
        return;
      case "BoolLit":
        this.leaf(e.span, e.value ? "true" : "false");
        return;
      case "NullLit":
        this.leaf(e.span, "null");
        return;
      case "ListLit":
        this.list(e);
        return;
      case "MapLit":
        this.body(e.members, e.span.start, e.span.end);
        return;
      case "ObjectLit": {
        const last = this.dotted(e.tag);
        this.w.text(" ");
        this.body(e.members, last.span.end, e.span.end);
        return;
      }
      case "Ref":
        if (e.interpolated) this.w.text("${");
        this.dotted(e.path);
        if (e.interpolated) {
          this.flushBefore(e.span.end - 1);
          this.w.text("}");
        }
        return;
      case "Unary":
        this.w.text(e.op === "not" ? "not " : "-");
        this.expr(e.operand);
        return;
      case "Binary":
        this.expr(e.left);
        this.w.text(` ${e.op} `);
        this.expr(e.right);
        return;
      case "IsCheck":
        this.expr(e.operand);
        this.w.text(` is${e.negated ? " not" : ""}`);
        // Comments inside `is not set` go before its last word: after it they would end the member (and a `///`
        // there would document the next one).
        this.flushBefore(e.span.end - e.what.length);
        this.space();
        this.w.text(e.what);
        return;
      case "InCheck":
        this.expr(e.operand);
        this.w.text(` ${e.negated ? "not " : ""}in `);
        this.expr(e.collection);
        return;
      case "IfExpr":
        this.w.text("if ");
        this.expr(e.condition);
        this.w.text(" then ");
        this.expr(e.then);
        this.w.text(" else ");
        this.expr(e.else);
        return;
      case "Paren":
        this.w.text("(");
        this.expr(e.inner);
        this.flushBefore(e.span.end - 1);
        this.w.text(")");
        return;
      case "Missing":
        return;
    }
  }

  /** A list that does not fit on its line, or has comments inside: one item per line, each followed by `,`. */
  private list(l: A.ListLit): void {
    this.w.text("[");
    const closeStart = l.span.end - 1;
    if (l.items.length === 0 && !this.hasCommentIn(l.span.start, closeStart)) {
      this.w.text("]");
      return;
    }
    this.w.level++;
    this.sequence<A.Expr>({ items: l.items, openEnd: l.span.start + 1, closeStart, print: (i) => this.expr(i), suffix: () => "," });
    this.w.level--;
    this.w.text("]");
  }

  // --- leaves ------------------------------------------------------------------------------------

  private leaf(span: Span, text: string): void {
    this.flushBefore(span.start);
    this.w.text(text);
  }

  private ident(id: A.Ident): void {
    this.leaf(id.span, identText(id, this.src));
  }

  /** `a.b.c`; returns the last part, whose end is where a following `{` is searched from. */
  private dotted(parts: readonly A.Ident[]): Spanned {
    parts.forEach((p, i) => {
      if (i) this.w.text(".");
      this.ident(p);
    });
    return parts[parts.length - 1]!;
  }
}

/**
 * Members on their own lines need no separator, except a message-less `check`/`warn` followed by a member whose key is
 * a string: without the `;` the string would be read as the check's message.
 */
function needsSeparator(m: A.Member, next: A.Member | undefined): boolean {
  if (m.kind !== "Constraint" || m.message || !next) return false;
  return (next.kind === "Assignment" || next.kind === "FieldDecl" || next.kind === "Block") && !!next.key.segments[0]?.quoted;
}
