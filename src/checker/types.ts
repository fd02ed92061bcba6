import type * as A from "../syntax/ast.js";
import type { Registry, SchemaInfo } from "../semantic/registry.js";
import type { CNode } from "../semantic/configTree.js";

// Types of configuration values, built from the stdlib's type expressions. An int is a float; `null` is only
// accepted by `T?`, `null` or `any`.

export interface Bound {
  readonly op: A.CompareOperator;
  readonly value: number;
}

export type Type =
  | { readonly k: "int" | "float"; readonly bounds: readonly Bound[] }
  | { readonly k: "bool" | "string" | "path" | "url" | "any" | "null" }
  | { readonly k: "list"; readonly elem: Type }
  /** `map<V>`, or `map<K, V>` whose keys are K's names (an enum: the only keys LAVIS reads). */
  | { readonly k: "map"; readonly value: Type; readonly key?: Type }
  | { readonly k: "enum"; readonly name: string; readonly values: readonly string[] }
  | { readonly k: "registry"; readonly name: string; readonly kind: "arch" | "builder" | "processor" | "task" | "scheduler" | "runner" }
  | { readonly k: "schema"; readonly name: string; readonly schema: SchemaInfo }
  | { readonly k: "union"; readonly options: readonly Type[] }
  | { readonly k: "nullable"; readonly inner: Type }
  | { readonly k: "unknown"; readonly name: string };

const REGISTRY_TYPES: Record<string, "arch" | "builder" | "processor" | "task" | "scheduler" | "runner"> = {
  Arch: "arch", Builder: "builder", Processor: "processor", Task: "task", Scheduler: "scheduler", Runner: "runner",
};

function numberOf(e: A.Expr): number | null {
  if (e.kind === "IntLit" || e.kind === "FloatLit") return e.value;
  if (e.kind === "Unary" && e.op === "-") {
    const v = numberOf(e.operand);
    return v === null ? null : -v;
  }
  if (e.kind === "Paren") return numberOf(e.inner);
  return null;
}

const cache = new WeakMap<A.TypeExpr, Type>();

export function typeOf(t: A.TypeExpr, reg: Registry): Type {
  const hit = cache.get(t);
  if (hit) return hit;
  const ty = build(t, reg);
  cache.set(t, ty);
  return ty;
}

function build(t: A.TypeExpr, reg: Registry): Type {
  switch (t.kind) {
    case "MissingType":
      return { k: "any" };
    case "NullType":
      return { k: "null" };
    case "NullableType":
      return { k: "nullable", inner: typeOf(t.inner, reg) };
    case "UnionType":
      return { k: "union", options: t.options.map((o) => typeOf(o, reg)) };
    case "ListTypeSugar":
      return { k: "list", elem: typeOf(t.element, reg) };
    case "TypeRef": {
      const name = t.name.name;
      const bounds = t.refinements.flatMap((r) => {
        const v = numberOf(r.bound);
        return v === null ? [] : [{ op: r.op, value: v }];
      });
      switch (name) {
        case "int":
        case "float":
          return { k: name, bounds };
        case "bool":
        case "string":
        case "path":
        case "url":
        case "any":
          return { k: name };
        case "list":
          return { k: "list", elem: t.args[0] ? typeOf(t.args[0], reg) : { k: "any" } };
        case "map":
          return { k: "map", value: t.args.at(-1) ? typeOf(t.args.at(-1)!, reg) : { k: "any" }, ...(t.args.length === 2 ? { key: typeOf(t.args[0]!, reg) } : {}) };
      }
      const kind = REGISTRY_TYPES[name];
      if (kind) return { k: "registry", name, kind };
      const en = reg.enums.get(name);
      if (en) return { k: "enum", name, values: en.values };
      const sc = reg.schemas.get(name);
      if (sc) return { k: "schema", name, schema: sc };
      return { k: "unknown", name };
    }
  }
}

export function typeToString(t: Type): string {
  switch (t.k) {
    case "int":
    case "float": {
      const b = t.bounds.map((x) => `${x.op} ${x.value}`).join(", ");
      return b ? `${t.k}(${b})` : t.k;
    }
    case "list":
      return `list<${typeToString(t.elem)}>`;
    case "map":
      return `map<${t.key ? `${typeToString(t.key)}, ` : ""}${typeToString(t.value)}>`;
    case "enum":
    case "registry":
    case "schema":
    case "unknown":
      return t.name;
    case "union":
      return t.options.map(typeToString).join(" | ");
    case "nullable":
      return `${typeToString(t.inner)}?`;
    default:
      return t.k;
  }
}

/** Words for an error message: "a float", "one of constant_lr, ...", "a list of strings". */
export function describeType(t: Type): string {
  switch (t.k) {
    case "int": return "an integer";
    case "float": return "a number";
    case "bool": return "a boolean (true or false)";
    case "string": return "a string";
    case "path": return "a file path";
    case "url": return "a URL or file path";
    case "any": return "any value";
    case "null": return "null";
    case "list": return `a list of ${plural(t.elem)}`;
    case "map": return "a map";
    case "enum": return t.values.length <= 6 ? `one of ${t.values.map((v) => `\`${v}\``).join(", ")}` : `a \`${t.name}\` name`;
    case "registry": return `a ${t.kind} name`;
    case "schema": return `a \`${t.name}\` map`;
    case "union": return t.options.map(describeType).join(" or ");
    case "nullable": return `${describeType(t.inner)} or null`;
    case "unknown": return `a \`${t.name}\``;
  }
}

function plural(t: Type): string {
  switch (t.k) {
    case "int": return "integers";
    case "float": return "numbers";
    case "string": case "path": case "url": case "enum": case "registry": return "names";
    case "bool": return "booleans";
    default: return "values";
  }
}

/** Does this type accept a bare name as a string (so `lr_sched = linear_warmup_cosine_lr` is a name, not a reference)? */
export function acceptsName(t: Type): boolean {
  switch (t.k) {
    case "string": case "path": case "url": case "enum": case "registry": case "any": return true;
    case "union": return t.options.some(acceptsName);
    case "nullable": return acceptsName(t.inner);
    case "list": return acceptsName(t.elem);
    default: return false;
  }
}

export function stripNullable(t: Type): Type {
  return t.k === "nullable" ? stripNullable(t.inner) : t;
}

export type ValueProblem =
  | { readonly kind: "type"; readonly node: CNode; readonly expected: Type; readonly path: readonly string[] }
  | { readonly kind: "range"; readonly node: CNode; readonly bound: Bound; readonly value: number; readonly path: readonly string[]; readonly notFinite?: boolean }
  | { readonly kind: "null"; readonly node: CNode; readonly path: readonly string[] }
  /** A whole-number float (`24.0`, `2e4`) where an int is declared: an int to lavisc, a float to LAVIS's code. */
  | { readonly kind: "wholeFloat"; readonly node: CNode; readonly path: readonly string[] };

function satisfies(v: number, b: Bound): boolean {
  switch (b.op) {
    case "<": return v < b.value;
    case "<=": return v <= b.value;
    case ">": return v > b.value;
    case ">=": return v >= b.value;
    case "==": return v === b.value;
    case "!=": return v !== b.value;
  }
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Checks a resolved value against a type. Registry and enum names are checked by the name rules (with suggestions),
 * so here a name only has to be a string. Schema-typed maps are checked by the caller, key by key.
 */
export function checkValue(t: Type, node: CNode, path: readonly string[], out: ValueProblem[]): void {
  checkAt(t, node, [...path], out);
}

/** checkValue on `path`, one array that the walk into lists and maps extends and restores; a problem keeps a copy. */
function checkAt(t: Type, node: CNode, path: string[], out: ValueProblem[]): void {
  if (node.kind === "expr") return; // unresolved: reported by the reference rule
  if (node.kind === "scalar" && node.type === "null") {
    if (!acceptsNull(t)) out.push({ kind: "null", node, path: [...path] });
    return;
  }
  switch (t.k) {
    case "any":
    case "unknown":
      return;
    case "nullable":
      return checkAt(t.inner, node, path, out);
    case "null":
      out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
    case "union": {
      for (const o of t.options) {
        const probe: ValueProblem[] = [];
        checkAt(o, node, path, probe);
        if (probe.every((p) => p.kind === "wholeFloat")) {
          out.push(...probe);
          return;
        }
      }
      // Report the range problem of the one numeric option that matched by kind, else a type mismatch.
      out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
    }
    case "int":
    case "float": {
      if (node.kind !== "scalar" || (node.type !== "int" && !(t.k === "float" && node.type === "float"))) {
        // OmegaConf reads `2e4` as a float. lavisc takes a whole-number float as the int it names; whether LAVIS's
        // code does (it converts some keys with int()) is the caller's to judge, so it is a problem of its own kind.
        if (!(t.k === "int" && node.kind === "scalar" && node.type === "float" && Number.isInteger(node.value))) {
          out.push({ kind: "type", node, expected: t, path: [...path] });
          return;
        }
        out.push({ kind: "wholeFloat", node, path: [...path] });
      }
      const v = node.value as number;
      // A range is a range of finite numbers: OmegaConf reads `.inf`, `1e400` and `.nan`, no bound admits them.
      if (t.bounds.length && !Number.isFinite(v)) out.push({ kind: "range", node, bound: t.bounds[0]!, value: v, path: [...path], notFinite: true });
      else for (const b of t.bounds) if (!satisfies(v, b)) out.push({ kind: "range", node, bound: b, value: v, path: [...path] });
      return;
    }
    case "bool":
      if (node.kind !== "scalar" || node.type !== "bool") out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
    case "string":
    case "path":
    case "enum":
    case "registry":
      if (node.kind !== "scalar" || node.type !== "string") out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
    case "url":
      if (node.kind !== "scalar" || node.type !== "string") out.push({ kind: "type", node, expected: t, path: [...path] });
      else if (!URL_RE.test(String(node.value)) && String(node.value).includes("://")) out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
    case "list":
      if (node.kind !== "list") {
        out.push({ kind: "type", node, expected: t, path: [...path] });
        return;
      }
      node.items.forEach((item, i) => {
        path.push(String(i));
        checkAt(t.elem, item, path, out);
        path.pop();
      });
      return;
    case "map":
      if (node.kind !== "map") {
        out.push({ kind: "type", node, expected: t, path: [...path] });
        return;
      }
      node.entries.forEach((v, k) => {
        path.push(k);
        checkAt(t.value, v, path, out);
        path.pop();
      });
      return;
    case "schema":
      if (node.kind !== "map") out.push({ kind: "type", node, expected: t, path: [...path] });
      return;
  }
}

export function acceptsNull(t: Type): boolean {
  switch (t.k) {
    case "nullable": case "null": case "any": case "unknown": return true;
    case "union": return t.options.some(acceptsNull);
    default: return false;
  }
}
