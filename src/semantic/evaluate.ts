import type * as A from "../syntax/ast.js";
import { scalar, type CNode, type Origin } from "./configTree.js";
import { pythonStr, TOO_LONG } from "./valueText.js";

// Evaluates stdlib and experiment expressions over the resolved tree, with three-valued logic: a comparison that
// reads an unset key is `unknown`, so a constraint on an absent value neither passes nor fails.

export type Val =
  | { readonly k: "value"; readonly node: CNode }
  | { readonly k: "unset"; readonly path: string; /** The reference that read it. */ readonly ref?: A.Ref; /** Other unset references of the same template. */ readonly more?: readonly Unset[] }
  | {
      readonly k: "error";
      readonly message: string;
      readonly expr: A.Expr;
      /** A string past MAX_STRING_LENGTH (LV1025). */
      readonly tooLong?: true;
      /** It read a value that could not be computed and whose error is already reported: nothing more to say. */
      readonly reported?: true;
      /** An operator met null (`null + 1`): a type error, or, for a stdlib default formula, no default. */
      readonly nullOperand?: true;
    };

type Unset = Val & { k: "unset" };

/**
 * What `EvalEnv.lookup` gives for a value that could not be computed and whose error is already reported (a key of a
 * reference cycle, or one that reads such a key): whatever reads it fails without a second error.
 */
export const UNRESOLVABLE = Symbol("unresolvable");

export interface EvalEnv {
  /** The section the expression is written in (`["run"]`). */
  readonly scope: readonly string[];
  /**
   * Resolved value at an absolute path (a list with its items resolved), or undefined when absent, or UNRESOLVABLE.
   * May resolve other expressions on demand.
   */
  lookup(path: readonly string[]): CNode | undefined | typeof UNRESOLVABLE;
  /** Is `name` a declared key of the section at `scope` (so an absent one is "unset", not a bare name)? */
  isKey(scope: readonly string[], name: string): boolean;
  /** Section aliases usable as the head of an absolute path: `recipe` and `run` mean run, and so on. */
  readonly sections: Readonly<Record<string, string>>;
  /** Values read, with their origins (for explain). */
  readonly deps: { path: string; origin: Origin }[];
  /** An environment variable (`${oc.env:NAME}`); absent: none is set. */
  readonly environment?: (name: string) => string | undefined;
  /**
   * The text of a list item written as a YAML interpolation (`${run.seed}`): OmegaConf's str() of a list writes that
   * text, not the value. Absent: every item is written as its value.
   */
  readonly writtenText?: (item: CNode) => string | undefined;
}

const DERIVED: Origin = { kind: "derived", span: null };

/**
 * Characters one computed string may hold. A LAVIS string (a path, a prompt) is far shorter, but strings built from
 * strings double at each step (`s2: ${s1}${s1}`): 30 such lines would need gigabytes, so a longer one is refused.
 */
export const MAX_STRING_LENGTH = 1_000_000;

function unresolvable(expr: A.Expr): Val {
  return { k: "error", message: "it reads a value that could not be computed", expr, reported: true };
}

function tooLong(expr: A.Expr): Val {
  return { k: "error", message: `the string is longer than ${MAX_STRING_LENGTH} characters`, expr, tooLong: true };
}

function lit(value: string | number | boolean | null, origin: Origin = DERIVED): Val {
  const type = value === null ? "null" : typeof value === "boolean" ? "bool" : typeof value === "string" ? "string" : Number.isInteger(value) ? "int" : "float";
  return { k: "value", node: scalar(value, type, origin) };
}

function scalarOf(v: Val): string | number | boolean | null | undefined {
  return v.k === "value" && v.node.kind === "scalar" ? v.node.value : undefined;
}

const namesOfRef = new WeakMap<A.Ref, readonly string[]>();

/** A reference's names (`run.init_lr` → ["run", "init_lr"]), made once per reference: every check evaluates the stdlib's. */
export function refNames(e: A.Ref): readonly string[] {
  let names = namesOfRef.get(e);
  if (!names) namesOfRef.set(e, (names = e.path.map((p) => p.name)));
  return names;
}

/** Resolves a reference to an absolute path, or null when it names nothing (then it is a bare name). */
export function refTarget(path: readonly string[], env: Pick<EvalEnv, "scope" | "isKey" | "sections" | "lookup">): string[] | null {
  const head = path[0];
  if (head === undefined) return null;
  for (let depth = env.scope.length; depth >= 1; depth--) {
    const at = env.scope.slice(0, depth); // the scope, then the head, then the rest: the target is built in place
    at.push(head);
    if (env.lookup(at) !== undefined) return pushRest(at, path);
    at.pop();
    if (env.isKey(at, head)) return pushRest(at, path, 0);
  }
  const section = env.sections[head];
  if (section) return pushRest([section], path);
  return null;
}

function pushRest(target: string[], path: readonly string[], from = 1): string[] {
  for (let i = from; i < path.length; i++) target.push(path[i]!);
  return target;
}

export function evaluate(e: A.Expr, env: EvalEnv): Val {
  switch (e.kind) {
    case "StringLit": return lit(e.value, { kind: "derived", span: e.span });
    case "Template": return template(e, env);
    case "IntLit": case "FloatLit": {
      const v: Val = lit(e.value, { kind: "derived", span: e.span });
      // keep 1.0 a float
      return e.kind === "FloatLit" && v.k === "value" && v.node.kind === "scalar" ? { k: "value", node: { ...v.node, type: "float" } } : v;
    }
    case "BoolLit": return lit(e.value);
    case "NullLit": return lit(null);
    case "Paren": return evaluate(e.inner, env);
    case "Missing": return { k: "error", message: "incomplete expression", expr: e };
    case "ListLit": {
      const items: CNode[] = [];
      for (const i of e.items) {
        const v = evaluate(i, env);
        if (v.k !== "value") return v;
        items.push(v.node);
      }
      return { k: "value", node: { kind: "list", items, origin: DERIVED, span: e.span, keySpan: null } };
    }
    case "MapLit": case "ObjectLit":
      return { k: "error", message: "maps cannot be computed", expr: e };
    case "Ref": {
      const names = refNames(e);
      const target = refTarget(names, env);
      if (!target) {
        if (names.length === 1 && !e.interpolated) return lit(names[0]!, { kind: "derived", span: e.span });
        return { k: "error", message: `cannot resolve \`${names.join(".")}\``, expr: e };
      }
      const node = env.lookup(target);
      const path = target.join(".");
      if (node === UNRESOLVABLE) return unresolvable(e);
      if (node === undefined) return { k: "unset", path, ref: e };
      env.deps.push({ path, origin: node.origin });
      return { k: "value", node };
    }
    case "Unary": {
      const v = evaluate(e.operand, env);
      if (e.op === "not") {
        if (v.k !== "value") return v;
        return lit(!truthy(v));
      }
      const x = scalarOf(v);
      if (v.k !== "value") return v;
      if (typeof x !== "number") return { k: "error", message: "`-` needs a number", expr: e };
      return lit(-x);
    }
    case "IsCheck": {
      if (e.operand.kind !== "Ref") return { k: "error", message: "`is set` applies to a key", expr: e };
      const names = refNames(e.operand);
      const target = refTarget(names, env);
      const node = target ? env.lookup(target) : undefined;
      if (node === UNRESOLVABLE) return unresolvable(e);
      const isNull = node?.kind === "scalar" && node.type === "null";
      const result = e.what === "set" ? node !== undefined && !isNull : isNull;
      return lit(e.negated ? !result : result);
    }
    case "InCheck": {
      const v = evaluate(e.operand, env);
      const c = evaluate(e.collection, env);
      if (v.k !== "value") return v;
      if (c.k !== "value") return c;
      if (c.node.kind !== "list") return { k: "error", message: "`in` needs a list", expr: e };
      const item = v.node;
      const found = c.node.items.some((i) => equalValues(i, item));
      return lit(e.negated ? !found : found);
    }
    case "IfExpr": {
      const c = evaluate(e.condition, env);
      if (c.k !== "value") return c;
      return evaluate(truthy(c) ? e.then : e.else, env);
    }
    case "Binary":
      return binary(e, env);
  }
}

/** A string with references in it: each reference's value as Python's str() writes it, as OmegaConf interpolates. */
function template(e: A.Template, env: EvalEnv): Val {
  let text = "";
  // Every reference that reads nothing is reported, not only the first (OmegaConf stops at the first).
  const unset: Unset[] = [];
  for (const part of e.parts) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    if (part.kind === "Env") {
      const value = environmentValue(part, env);
      if (typeof value !== "string" && value !== null) return value;
      // `${oc.env:X,null}` alone is None, as OmegaConf gives it; inside text, Python's "None".
      if (value === null && e.parts.length === 1) return lit(null, { kind: "derived", span: e.span });
      text += value ?? "None";
      continue;
    }
    const v = evaluate(part, env);
    if (v.k === "unset") unset.push(v);
    if (v.k === "error") return v;
    if (v.k !== "value") continue;
    const written = pythonStr(v.node, MAX_STRING_LENGTH - text.length, env.writtenText);
    if (written === TOO_LONG) return tooLong(e);
    if (written === null) return { k: "error", message: `a map inside a string${v.node.kind === "list" ? " (here, in a list)" : ""} is written as Python's repr of it by OmegaConf, with LAVIS's keys, which lavisc does not reproduce; write the text out`, expr: part };
    text += written;
    if (text.length > MAX_STRING_LENGTH) return tooLong(e);
  }
  if (unset.length) return { ...unset[0]!, more: unset.slice(1) };
  return lit(text, { kind: "derived", span: e.span });
}

/** `${oc.env:NAME}`: the variable's text, else its default (text or null), else OmegaConf's error. */
function environmentValue(part: A.EnvPart, env: EvalEnv): string | null | Val {
  const set = env.environment?.(part.name);
  const value = set ?? part.fallback;
  if (value === undefined) {
    const message = `the environment variable \`${part.name}\` is not set, and OmegaConf stops ("Environment variable '${part.name}' not found"); set it, or give a default: \`\${oc.env:${part.name},default}\`.`;
    return { k: "error", message, expr: { kind: "StringLit", value: "", raw: `\${oc.env:${part.name}}`, span: part.span } };
  }
  env.deps.push({ path: `$${part.name}`, origin: { kind: "override", span: part.span, from: set !== undefined ? "from the environment" : "not set: the default written in the interpolation" } });
  return value;
}

function truthy(v: Val): boolean {
  const x = scalarOf(v);
  return x !== undefined && x !== null && x !== false && x !== 0 && x !== "";
}

function binary(e: A.Binary, env: EvalEnv): Val {
  if (e.op === "and" || e.op === "or") {
    const l = evaluate(e.left, env);
    if (l.k === "error") return l;
    if (l.k === "value" && truthy(l) === (e.op === "or")) return lit(e.op === "or");
    const r = evaluate(e.right, env);
    if (r.k === "error") return r;
    if (r.k === "value" && truthy(r) === (e.op === "or")) return lit(e.op === "or");
    if (l.k === "unset") return l;
    if (r.k === "unset") return r;
    return lit(e.op === "and");
  }
  const l = evaluate(e.left, env);
  if (l.k !== "value") return l;
  const r = evaluate(e.right, env);
  if (r.k !== "value") return r;
  const a = scalarOf(l), b = scalarOf(r);
  switch (e.op) {
    case "==": return lit(equalValues(l.node, r.node));
    case "!=": return lit(!equalValues(l.node, r.node));
  }
  if (typeof a === "number" && typeof b === "number") {
    switch (e.op) {
      case "<": return lit(a < b);
      case "<=": return lit(a <= b);
      case ">": return lit(a > b);
      case ">=": return lit(a >= b);
      case "+": return num(a + b, l, r);
      case "-": return num(a - b, l, r);
      case "*": return num(a * b, l, r);
      case "/": return b === 0 ? { k: "error", message: "division by zero", expr: e } : quotient(a / b, l, r);
      // Python's modulo (the sign of the divisor), as LAVIS's code would compute it.
      case "%": return b === 0 ? { k: "error", message: "modulo by zero", expr: e } : num(((a % b) + b) % b, l, r);
    }
  }
  if (typeof a === "string" && typeof b === "string" && e.op === "+") return a.length + b.length > MAX_STRING_LENGTH ? tooLong(e) : lit(a + b);
  if (a === null || b === null) return { k: "error", message: nullOperandMessage(e.op), expr: e, nullOperand: true };
  return { k: "error", message: `\`${e.op}\` cannot combine these values`, expr: e };
}

function num(x: number, l: Val, r: Val): Val {
  return isInt(l) && isInt(r) ? lit(x) : floatVal(x);
}

function isInt(v: Val): boolean {
  return v.k === "value" && v.node.kind === "scalar" && v.node.type === "int";
}

function floatVal(x: number): Val {
  return { k: "value", node: scalar(x, "float", DERIVED) };
}

/**
 * `/`: a float when either operand is a float, as Python's true division (`3.0 / 3.0` is 1.0). Two ints give an int
 * when the quotient is whole (`(w - w % 64) / 64`, the stdlib's Python `//`: the language has no `//`, which starts a
 * comment), else a float, which an int-typed key reports as a wrong type.
 */
function quotient(x: number, l: Val, r: Val): Val {
  const whole = Number.isInteger(x) && isInt(l) && isInt(r);
  return whole ? lit(x + 0) : floatVal(x); // + 0: an int quotient is never -0
}

const NULL_VERBS: Partial<Record<A.BinaryOperator, string>> = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided", "%": "used with `%`" };

/** Python's TypeError for an operator on None, in words. */
function nullOperandMessage(op: A.BinaryOperator): string {
  const verb = NULL_VERBS[op];
  return verb ? `null cannot be ${verb} (\`${op}\` needs numbers${op === "+" ? " or strings" : ""})` : `null cannot be compared with \`${op}\``;
}

export function equalValues(a: CNode, b: CNode): boolean {
  if (a.kind === "scalar" && b.kind === "scalar") {
    if (typeof a.value === "number" && typeof b.value === "number") return a.value === b.value;
    return a.value === b.value;
  }
  if (a.kind === "list" && b.kind === "list") return a.items.length === b.items.length && a.items.every((x, i) => equalValues(x, b.items[i]!));
  if (a.kind === "map" && b.kind === "map") {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, v] of a.entries) {
      const w = b.entries.get(k);
      if (!w || !equalValues(v, w)) return false;
    }
    return true;
  }
  return false;
}
