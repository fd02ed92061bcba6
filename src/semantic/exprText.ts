import type * as A from "../syntax/ast.js";

/** Source-like text of an expression, for explain output and messages (`= init_lr`, `min_len <= max_len`). */
export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case "StringLit": case "Template": return e.raw;
    case "IntLit": case "FloatLit": return e.raw;
    case "BoolLit": return String(e.value);
    case "NullLit": return "null";
    case "ListLit": return `[${e.items.map(exprText).join(", ")}]`;
    case "MapLit": return "{ … }";
    case "ObjectLit": return `${e.tag.map((t) => t.name).join(".")} { … }`;
    case "Ref": {
      const p = e.path.map((s) => s.name).join(".");
      return e.interpolated ? `\${${p}}` : p;
    }
    case "Unary": return e.op === "-" ? `-${exprText(e.operand)}` : `not ${exprText(e.operand)}`;
    case "Binary": return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    case "IsCheck": return `${exprText(e.operand)} is ${e.negated ? "not " : ""}${e.what}`;
    case "InCheck": return `${exprText(e.operand)} ${e.negated ? "not " : ""}in ${exprText(e.collection)}`;
    case "IfExpr": return `if ${exprText(e.condition)} then ${exprText(e.then)} else ${exprText(e.else)}`;
    case "Paren": return `(${exprText(e.inner)})`;
    case "Missing": return "?";
  }
}
