import type * as A from "../syntax/index.js";

// Single-line renderings. The printer uses them for everything that has no comment inside and fits the line; each
// returns null when the node must not be printed on one line (a nested block, or a part lost in error recovery).

/** Quoted names keep their source spelling, escapes included; the AST only has the decoded value. */
export function identText(id: A.Ident, src: string): string {
  return id.quoted ? src.slice(id.span.start, id.span.end) : id.name;
}

export function keyText(k: A.KeyPath, src: string): string {
  return k.segments.map((s) => identText(s, src)).join(".");
}

function all<T>(items: readonly T[], each: (t: T) => string | null): string[] | null {
  const out: string[] = [];
  for (const i of items) {
    const s = each(i);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

function braced(members: readonly A.Member[], src: string): string | null {
  if (members.length === 0) return "{}";
  const parts = all(members, (m) => flatMember(m, src));
  return parts ? `{ ${parts.join(", ")} }` : null;
}

export function flatExpr(e: A.Expr, src: string): string | null {
  switch (e.kind) {
    case "StringLit":
    case "Template":
    case "IntLit":
    case "FloatLit":
      return e.raw;
    case "BoolLit":
      return e.value ? "true" : "false";
    case "NullLit":
      return "null";
    case "ListLit": {
      const items = all(e.items, (i) => flatExpr(i, src));
      return items ? `[${items.join(", ")}]` : null;
    }
    case "MapLit":
      return braced(e.members, src);
    case "ObjectLit": {
      const body = braced(e.members, src);
      return body === null ? null : `${e.tag.map((t) => identText(t, src)).join(".")} ${body}`;
    }
    case "Ref": {
      const path = e.path.map((p) => identText(p, src)).join(".");
      return e.interpolated ? `\${${path}}` : path;
    }
    case "Unary": {
      const operand = flatExpr(e.operand, src);
      return operand === null ? null : e.op === "not" ? `not ${operand}` : `-${operand}`;
    }
    case "Binary": {
      const l = flatExpr(e.left, src), r = flatExpr(e.right, src);
      return l === null || r === null ? null : `${l} ${e.op} ${r}`;
    }
    case "IsCheck": {
      const o = flatExpr(e.operand, src);
      return o === null ? null : `${o} is ${e.negated ? "not " : ""}${e.what}`;
    }
    case "InCheck": {
      const o = flatExpr(e.operand, src), c = flatExpr(e.collection, src);
      return o === null || c === null ? null : `${o} ${e.negated ? "not " : ""}in ${c}`;
    }
    case "IfExpr": {
      const c = flatExpr(e.condition, src), t = flatExpr(e.then, src), f = flatExpr(e.else, src);
      return c === null || t === null || f === null ? null : `if ${c} then ${t} else ${f}`;
    }
    case "Paren": {
      const inner = flatExpr(e.inner, src);
      return inner === null ? null : `(${inner})`;
    }
    case "Missing":
      return null;
  }
}

export function flatType(t: A.TypeExpr, src: string): string | null {
  switch (t.kind) {
    case "TypeRef": {
      const args = all(t.args, (a) => flatType(a, src));
      const refs = all(t.refinements, (r) => {
        const b = flatExpr(r.bound, src);
        return b === null ? null : `${r.op} ${b}`;
      });
      if (!args || !refs) return null;
      return identText(t.name, src) + (args.length ? `<${args.join(", ")}>` : "") + (refs.length ? `(${refs.join(", ")})` : "");
    }
    case "NullableType": {
      const inner = flatType(t.inner, src);
      return inner === null ? null : `${inner}?`;
    }
    case "UnionType": {
      const options = all(t.options, (o) => flatType(o, src));
      return options ? options.join(" | ") : null;
    }
    case "ListTypeSugar": {
      const el = flatType(t.element, src);
      return el === null ? null : `[${el}]`;
    }
    case "NullType":
      return "null";
    case "MissingType":
      return null;
  }
}

/** A member inside an inline map; blocks and clauses with bodies always take their own lines. */
export function flatMember(m: A.Member, src: string): string | null {
  switch (m.kind) {
    case "Assignment": {
      const v = flatExpr(m.value, src);
      return v === null ? null : `${keyText(m.key, src)} = ${v}`;
    }
    case "FieldDecl": {
      const t = flatType(m.type, src);
      const d = m.default ? flatExpr(m.default, src) : "";
      return t === null || d === null ? null : `${keyText(m.key, src)}: ${t}${m.default ? ` = ${d}` : ""}`;
    }
    case "Constraint": {
      const c = flatExpr(m.condition, src);
      return c === null ? null : `${m.severity} ${c}${m.message ? ` ${m.message.raw}` : ""}`;
    }
    case "TaskClause":
      return `task ${identText(m.name, src)}`;
    case "ModelClause":
    case "DataClause": {
      if (m.members !== null) return null;
      const [word, name, type] = m.kind === "ModelClause" ? ["model", m.arch, m.modelType] : ["data", m.builder, m.dataType];
      return `${word} ${identText(name, src)}${type ? `(${identText(type, src)})` : ""}`;
    }
    default:
      return null;
  }
}
