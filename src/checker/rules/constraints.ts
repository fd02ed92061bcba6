import type * as A from "../../syntax/ast.js";
import { diag, type RelatedInfo, type Span } from "../../diagnostics/index.js";
import { evaluate, refNames, refTarget, type EvalEnv } from "../../semantic/evaluate.js";
import { SCHEMAS } from "../../semantic/resolve.js";
import { evalEnv } from "../../semantic/facts.js";
import { getPath, type CNode } from "../../semantic/configTree.js";
import { exprText } from "../../semantic/exprText.js";
import { valueText } from "../../semantic/valueText.js";
import type { Rule, RuleContext } from "../context.js";
import { processorSlots } from "./processorSlots.js";
import { SHAPE_PATH } from "./sectionShape.js";
import { experimentSpan } from "../../semantic/experimentSpan.js";

/**
 * The stdlib's `check C` (C must hold) and `warn C` (C is suspicious) constraints (and an experiment's own), each evaluated in its section: LV4001 for a failed
 * check, LV4002 for a warning, LV3003 when what fails is a required value (`init_lr is set`).
 */
export const constraintsRule: Rule = (ctx) => {
  const reg = ctx.registry;
  const run = (list: readonly { constraint: A.Constraint }[] | undefined, scope: readonly string[]) => {
    for (const { constraint } of list ?? []) evaluateConstraint(ctx, constraint, scope);
  };
  const name = (p: string[]) => {
    const n = ctx.at(p);
    return n?.kind === "scalar" ? String(n.value) : undefined;
  };
  // The recipe's requirements are a training run's: a default file or an inference config has no run to check.
  if ((ctx.resolved.input.role ?? "project") === "project") {
    run(reg.schemas.get(SCHEMAS.recipe)?.constraints, ["run"]);
    run(reg.tasks.get(name(["run", "task"]) ?? "")?.schema.constraints, ["run"]);
    run(reg.schedulers.get(name(["run", "lr_sched"]) ?? "")?.schema.constraints, ["run"]);
    run(reg.runners.get(name(["run", "runner"]) ?? "")?.schema.constraints, ["run"]);
  }
  if (ctx.at(["model"])) {
    run(reg.schemas.get(SCHEMAS.modelCommon)?.constraints, ["model"]);
    run(reg.archs.get(name(["model", "arch"]) ?? "")?.schema.constraints, ["model"]);
  }
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") {
    for (const ds of datasets.entries.keys()) run(reg.builders.get(ds)?.schema.constraints, ["datasets", ds]);
  }
  for (const { path, proc } of processorSlots(ctx)) {
    const p = proc.kind === "map" ? proc.entries.get("name") : undefined;
    if (p?.kind === "scalar") run(reg.processors.get(String(p.value))?.schema.constraints, path);
  }
  for (const c of ctx.resolved.input.constraints) evaluateConstraint(ctx, c, [], true);
};

const refsOfCondition = new WeakMap<A.Expr, readonly A.Ref[]>();

/** The references a condition reads, found once per condition (the stdlib's are evaluated in every check). */
function refsOf(e: A.Expr): readonly A.Ref[] {
  let refs = refsOfCondition.get(e);
  if (!refs) refsOfCondition.set(e, (refs = collectRefs(e)));
  return refs;
}

function collectRefs(e: A.Expr, out: A.Ref[] = []): A.Ref[] {
  switch (e.kind) {
    case "Ref": out.push(e); break;
    case "Binary": collectRefs(e.left, out); collectRefs(e.right, out); break;
    case "Unary": collectRefs(e.operand, out); break;
    case "IsCheck": collectRefs(e.operand, out); break;
    case "InCheck": collectRefs(e.operand, out); collectRefs(e.collection, out); break;
    case "IfExpr": collectRefs(e.condition, out); collectRefs(e.then, out); collectRefs(e.else, out); break;
    case "Paren": collectRefs(e.inner, out); break;
    case "ListLit": e.items.forEach((i) => collectRefs(i, out)); break;
    case "Template": for (const p of e.parts) if (typeof p !== "string" && p.kind === "Ref") out.push(p); break;
    default: break;
  }
  return out;
}

/** The `X is set` terms of a condition that are false: the required values that are missing. */
function missingRequired(e: A.Expr, env: EvalEnv): string[][] {
  if (e.kind === "IsCheck" && e.what === "set" && !e.negated && e.operand.kind === "Ref") {
    const target = refTarget(refNames(e.operand), env);
    return target && env.lookup(target) === undefined ? [target] : [];
  }
  if (e.kind === "Binary" && e.op === "or") {
    const left = evaluate(e.left, env);
    const right = evaluate(e.right, env);
    const truthy = (v: typeof left) => v.k === "value" && v.node.kind === "scalar" && !!v.node.value;
    if (truthy(left) || truthy(right)) return [];
    return [...missingRequired(e.left, env), ...missingRequired(e.right, env)];
  }
  if (e.kind === "Paren") return missingRequired(e.inner, env);
  return [];
}

function evaluateConstraint(ctx: RuleContext, c: A.Constraint, scope: readonly string[], userWritten = false): void {
  const env = evalEnv(ctx.resolved, scope);
  // A constraint over a value that already has a type or range error would only repeat that error.
  const reads = refsOf(c.condition).map((r) => refTarget(refNames(r), env)?.join("."));
  if (reads.some((p) => p && ctx.invalid.has(p))) return;
  const v = evaluate(c.condition, env);
  if (v.k === "unset") return; // reads an absent value: nothing to say
  if (v.k === "error") {
    // The stdlib's formulas are typed by the same rules; only the user's own constraints can be ill-formed here.
    if (userWritten) ctx.report(diag("LV3006", v.expr.span, { detail: v.message }));
    return;
  }
  // `check C` requires C; `warn C` warns when C holds.
  const holds = v.node.kind === "scalar" && v.node.value === true;
  if (holds === (c.severity === "check")) return;
  const message = c.message?.value ?? `\`${exprText(c.condition)}\` does not hold`;
  const declared: RelatedInfo = { span: c.span, message: c.severity === "check" ? "required by this check" : "warned by this rule" };

  const missing = c.severity === "check" ? missingRequired(c.condition, env) : [];
  // A default file leaves required values to the projects that use it (`num_classes` of a classifier's model defaults).
  if (missing.length && (ctx.resolved.input.role ?? "project").endsWith("-defaults")) return;
  if (missing.length) {
    // A base or module that did not load (already an error) may hold the missing value; a model's or builder's
    // default file is a fragment, checked for what it holds (the project supplies the rest).
    if (ctx.resolved.input.incomplete || isFragment(ctx.resolved.input.role)) return;
    for (const target of missing) {
      const dotted = target.join(".");
      // Under a section of the wrong shape (already LV3001) every key would seem missing, and defaults computed from
      // the datasets (`valid_splits` from the splits they provide) have nothing to compute from.
      if (target.some((_, i) => ctx.invalid.has(target.slice(0, i + 1).join("."))) || hasShapeError(ctx.invalid)) continue;
      // A value the resolver already rejected (a dangling `${...}`) is that error, not a second one.
      if (ctx.resolved.diagnostics.some((d) => d.severity === "error" && d.path === dotted)) continue;
      const section = ctx.at(target.slice(0, -1));
      // The section's key where the file writes it (`run:`, `recipe {`), else the experiment (its name; a YAML file's
      // first key or start): a required value always has a place in the user's file to add it.
      const sectionSpan = (section && ctx.isUserValue(section) ? section.keySpan ?? section.span : null) ?? ctx.spanFor(target.slice(0, -1)) ?? experimentSpan(ctx.resolved.input);
      const field = ctx.resolved.fieldAt(target);
      const related = field ? [{ span: field.span, message: `\`${field.name}\` is declared here` }, declared] : [declared];
      ctx.report(diag("LV3003", sectionSpan, { path: dotted, when: "", fix: `${message}. Add \`${target.at(-1)} = ...\` to ${sectionName(target)}.` }, { path: dotted, related }));
    }
    return;
  }

  // Point at the first value the user wrote; show the others it was compared with.
  const refs = refsOf(c.condition)
    .map((r) => refTarget(refNames(r), env))
    .filter((t): t is string[] => !!t);
  const nodes = refs.map((t) => ({ t, n: getPath(ctx.root, t) })).filter((x): x is { t: string[]; n: CNode } => !!x.n);
  const primary = nodes.find((x) => ctx.isUserValue(x.n)) ?? nodes[0];
  const span: Span | null = primary ? ctx.spanFor(primary.t) ?? primary.n.span : ctx.spanFor(scope);
  const related: RelatedInfo[] = [];
  for (const x of nodes) {
    // A key the condition reads twice is shown once, and the primary value not again.
    if (!x.n.span || (primary && x.t.join(".") === primary.t.join("."))) continue;
    if (related.some((r) => r.span.start === x.n.span!.start && r.span.file === x.n.span!.file)) continue;
    related.push({ span: x.n.span, message: `\`${x.t.at(-1)}\` is ${show(x.n)} here` });
  }
  related.push(declared);
  const path = primary ? primary.t.join(".") : scope.join(".") || null;
  const shown = primary ? ` (\`${primary.t.at(-1)}\` is ${show(primary.n)})` : "";
  ctx.report(diag(c.severity === "check" ? "LV4001" : "LV4002", span, { message: `${sentence(message)}${shown}.` }, { path, related }));
}

const isFragment = (role: string | undefined): boolean => role === "model-defaults" || role === "dataset-defaults" || role === "runtime-defaults";

function show(n: CNode): string {
  return n.kind === "scalar" || n.kind === "list" ? valueText(n) : "a map";
}

/** Messages are one sentence; the stdlib writes them starting with a key in backticks, so no capitalising here. */
function sentence(s: string): string {
  return s.replace(/\.$/, "");
}

function sectionName(target: readonly string[]): string {
  if (target[0] === "run") return "the `recipe` block (`run:` in YAML)";
  if (target[0] === "model") return "the `model` block";
  return `\`${target.slice(0, -1).join(".")}\``;
}

/** A section, dataset entry, annotation list or processor slot that is not a mapping (sectionShape.ts). */
function hasShapeError(invalid: ReadonlySet<string>): boolean {
  for (const p of invalid) if (SHAPE_PATH.test(p)) return true;
  return false;
}
