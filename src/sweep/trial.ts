// One trial: a combination of the sweep's values, laid over the experiment's file layer (below `--set`), resolved and
// filtered like any experiment.
import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { scalar, setPath, getPath, type CMap, type CNode, type Origin } from "../semantic/configTree.js";
import { lowerExpr } from "../semantic/fromLv.js";
import { resolveExperiment, SECTIONS, computedFact, type ExperimentInput, type Override, type Resolved } from "../semantic/resolve.js";
import { evaluate, type EvalEnv } from "../semantic/evaluate.js";
import type { Registry } from "../semantic/registry.js";
import type { SweepAxisSpec, SweepSpec, SweepValue } from "./spec.js";

export interface TrialPick {
  readonly axis: SweepAxisSpec;
  readonly value: SweepValue;
}

export interface Trial {
  /** 1-based position in the product order (first axis outermost), whatever the filter keeps. */
  readonly index: number;
  /** `t01`, `t02`, ...: zero-padded to the width of the product size. */
  readonly id: string;
  readonly picks: readonly TrialPick[];
}

export function trialId(index: number, total: number): string {
  return `t${String(index).padStart(Math.max(2, String(total).length), "0")}`;
}

/** Every combination, in product order: the first group varies slowest, as nested loops (and Hydra's multirun). */
export function* combinations(spec: SweepSpec, total: number): Generator<Trial> {
  const groups = spec.groups;
  if (!groups.length) return;
  const at = groups.map(() => 0);
  for (let index = 1; ; index++) {
    const picks = groups.flatMap((g, gi) => g.axes.map((axis) => ({ axis, value: axis.values[at[gi]!]! })));
    yield { index, id: trialId(index, total), picks };
    let g = groups.length - 1;
    while (g >= 0 && ++at[g]! === groups[g]!.axes[0]!.values.length) at[g--] = 0;
    if (g < 0) return;
  }
}

/** `recipe.init_lr = 1e-05, recipe.seed = 2` */
export function picksText(picks: readonly TrialPick[]): string {
  return picks.map((p) => `${p.axis.key} = ${p.value.text}`).join(", ");
}

/** The trial's file layer: the experiment's, with each swept value set as if written in the file. */
export function trialInput(input: ExperimentInput, trial: Trial, diagnostics: Diagnostic[]): ExperimentInput {
  let root: CMap = input.root;
  for (const { axis, value } of trial.picks) {
    const origin: Origin = { kind: "file", span: value.span, from: `sweep trial ${trial.id}` };
    const node: CNode = value.kind === "number"
      ? scalar(value.value, value.type, origin, value.span, axis.keySpan)
      : lowerExpr(value.expr, axis.path.slice(0, -1), origin, { kind: "file", diagnostics, where: "`sweep`" }, axis.keySpan);
    root = setPath(root, axis.path, node, origin);
  }
  return { ...input, root };
}

/** Replaces a value of a resolved tree (the sweep's own choices: a trial's output folder, a resume checkpoint). */
export function setChosenValue(resolved: Resolved, path: readonly string[], value: string, from: string): void {
  const parent = getPath(resolved.root, path.slice(0, -1));
  if (parent?.kind !== "map") return;
  parent.entries.set(path.at(-1)!, scalar(value, "string", { kind: "derived", span: null, from }));
}

export function resolveTrial(input: ExperimentInput, registry: Registry, overrides: readonly Override[], trial: Trial, diagnostics: Diagnostic[]): Resolved {
  return resolveExperiment(trialInput(input, trial, diagnostics), registry, overrides);
}

export type FilterResult = { readonly keep: boolean } | { readonly undecided: string };

/** The filter over a resolved trial, evaluated as an experiment's own `check` (keys by full path, three-valued). */
export function passesFilter(resolved: Resolved, filter: A.Expr): FilterResult {
  const env: EvalEnv = {
    scope: [],
    sections: SECTIONS,
    deps: [],
    lookup: (p) => (p[0] === "lavisc" ? computedFact(resolved.root, p) : getPath(resolved.root, p)),
    isKey: (s, name) => resolved.fieldAt([...s, name]) !== null,
  };
  const v = evaluate(filter, env);
  if (v.k === "unset") return { undecided: `\`${v.path}\` has no value` };
  if (v.k === "error") return { undecided: v.message };
  if (v.node.kind !== "scalar" || typeof v.node.value !== "boolean") return { undecided: "the condition is not true or false" };
  return { keep: v.node.value };
}

/**
 * Bare names in the filter that are keys of a section (`init_lr` meant as `recipe.init_lr`): the filter reads keys by
 * full path, and a bare name is a name (`lr_sched == linear_warmup_cosine_lr`), so these are reported before any trial.
 */
export function bareKeyNames(filter: A.Expr, resolved: Resolved): { ref: A.Ref; section: string }[] {
  const out: { ref: A.Ref; section: string }[] = [];
  const walk = (e: A.Expr): void => {
    switch (e.kind) {
      case "Ref": {
        const name = e.path[0]!.name;
        if (e.path.length !== 1 || e.interpolated || SECTIONS[name]) return;
        const section = ["run", "model"].find((s) => resolved.fieldAt([s, name]) !== null);
        if (section) out.push({ ref: e, section: section === "run" ? "recipe" : section });
        return;
      }
      case "Unary": return walk(e.operand);
      case "Binary": walk(e.left); return walk(e.right);
      case "IsCheck": return walk(e.operand);
      case "InCheck": walk(e.operand); return walk(e.collection);
      case "IfExpr": walk(e.condition); walk(e.then); return walk(e.else);
      case "Paren": return walk(e.inner);
      case "ListLit": return e.items.forEach(walk);
      default:
    }
  };
  walk(filter);
  return out;
}
