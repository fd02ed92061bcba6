import type { Expr, RegistryKind, TypeExpr } from "../syntax/ast.js";
import type { EntryInfo } from "../semantic/registry.js";
import { exprText } from "../semantic/exprText.js";
import type { Type } from "../checker/types.js";
import { lvString } from "../interop/lvText.js";
import type { TypeEvidence } from "./typeEvidence.js";

// What a fork's entry keeps from the LAVIS declaration it redefines: the type of a same-named key when it accepts
// every value seen (so `image_size: int(> 0)` keeps its refinement), and LAVIS's checks over keys the fork still has.

/** Does LAVIS's type of a same-named key accept every value seen (so its refinements carry over)? */
export function accepts(t: Type, code: TypeEvidence, files: TypeEvidence | undefined): boolean {
  const kinds = [...code.seenKinds(), ...(files?.seenKinds() ?? [])];
  return kinds.every((k) => acceptsKind(t, k));
}

function acceptsKind(t: Type, k: string): boolean {
  switch (t.k) {
    case "any": case "unknown": return true;
    case "nullable": return k === "null" || acceptsKind(t.inner, k);
    case "union": return t.options.some((o) => acceptsKind(o, k));
    case "int": return k === "int";
    case "float": return k === "int" || k === "float";
    case "bool": return k === "bool";
    case "string": case "path": case "url": case "enum": case "registry": return k === "string";
    case "list": return k === "list";
    case "map": case "schema": return k === "map";
    case "null": return k === "null";
  }
}

export function typeText(t: TypeExpr): string {
  switch (t.kind) {
    case "TypeRef": {
      const args = t.args.length ? `<${t.args.map(typeText).join(", ")}>` : "";
      const refs = t.refinements.length ? `(${t.refinements.map((r) => `${r.op} ${exprText(r.bound)}`).join(", ")})` : "";
      return `${t.name.name}${args}${refs}`;
    }
    case "NullableType": return `${typeText(t.inner)}?`;
    case "UnionType": return t.options.map(typeText).join(" | ");
    case "ListTypeSugar": return `list<${typeText(t.element)}>`;
    case "NullType": return "null";
    case "MissingType": return "any";
  }
}

/** LAVIS's checks on a redefined entry, kept when every key they read is still one the repository's entry has. */
export function keptConstraints(lavis: EntryInfo, available: ReadonlySet<string>, kind: RegistryKind): string[] {
  const out: string[] = [];
  for (const { constraint, owner } of lavis.schema.constraints) {
    if (owner !== lavis.name && kind !== "processor") continue;
    const refs = refNames(constraint.condition);
    if (!refs.every((r) => available.has(r))) continue;
    out.push(`${constraint.severity} ${exprText(constraint.condition)}${constraint.message ? ` ${lvString(constraint.message.value)}` : ""}`);
  }
  return out;
}

function refNames(e: Expr): string[] {
  switch (e.kind) {
    case "Ref": return [e.path[0]!.name];
    case "Binary": return [...refNames(e.left), ...refNames(e.right)];
    case "Unary": return refNames(e.operand);
    case "IsCheck": return refNames(e.operand);
    case "InCheck": return [...refNames(e.operand), ...refNames(e.collection)];
    case "IfExpr": return [...refNames(e.condition), ...refNames(e.then), ...refNames(e.else)];
    case "Paren": return refNames(e.inner);
    case "ListLit": return e.items.flatMap(refNames);
    case "Template": return e.parts.flatMap((p) => (typeof p === "string" || p.kind !== "Ref" ? [] : refNames(p)));
    default: return [];
  }
}
