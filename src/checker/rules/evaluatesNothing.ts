import { diag } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import { evaluationOnly, type EvaluationOnly } from "../../semantic/facts.js";
import { valueText } from "../../semantic/valueText.js";
import type { RuleContext, Rule } from "../context.js";
import { listOfNames, nameAt, quoteList } from "./names.js";
import { providedSplits } from "./runSplits.js";

/**
 * LV4098 (error) and LV4099 (warning): an evaluation-only run (`evaluate: True`) whose lists that LAVIS's evaluate.py
 * evaluates are empty (the stdlib's `evaluation_only` on runner_base: test_splits). evaluate.py (@200ac17) calls
 * RunnerBase.evaluate, which loops over test_splits (`run_cfg.get("test_splits", [])`, runner_base.py @eb3189b) and
 * returns: the run ends without a result and without a word (LAVIS#664, InstructBLIP on OK-VQA). `lavisc run
 * --engine lavis` launches evaluate.py for such a run, and the tfjs engine evaluates the same splits.
 * train.py evaluates more when `evaluate` is true: the runner's train() runs its loop once, evaluating valid_splits
 * there (`train_py_evaluates`), as LAVIS's InstructBLIP and X-InstructBLIP eval configs expect (they list only
 * valid_splits; X-InstructBLIP's README runs them with train.py). So: LV4099, a warning, where train.py would
 * evaluate splits that evaluate.py does not; LV4098, an error, where neither script evaluates anything (no such
 * split, or train.py stops first at a key its loop reads even when evaluating: `train_py_reads`, RunnerBase's
 * max_epoch). Both stand at the key evaluate.py reads, and say what LV4019 would there (src/diagnostics/cascades.ts).
 */
export const evaluatesNothingRule: Rule = (ctx) => {
  const facts = emptyEvaluation(ctx);
  if (!facts) return;
  const key = facts.evaluates[0]!;
  const node = ctx.at(["run", key])!;
  const args = { key, value: valueText(node), whose: origin(ctx, node) };
  const only = trainPySplits(ctx, facts);
  const unread = facts.trainPyReads.filter((k) => !isSet(ctx.at(["run", k])));
  const at = { span: ctx.spanFor(["run", key]), path: `run.${key}` };
  if (only.length && !unread.length) {
    ctx.report(diag("LV4099", at.span, { ...args, valid: listed(only) }, { path: at.path, hint: `${moveHint(ctx, key, only)}evaluate.py, train.py and lavisc all evaluate ${key}.` }));
    return;
  }
  const trainPy = only.length
    ? `train.py, which would evaluate ${listed(only)} first, stops before it: its loop reads ${andList(unread)} even when evaluating, which the run does not set`
    : `train.py, which evaluates ${andList(facts.trainPyEvaluates)}, finds no split in ${facts.trainPyEvaluates.length > 1 ? "them" : "it"} either`;
  const offered = evaluationCandidates(ctx);
  ctx.report(diag("LV4098", at.span, { ...args, trainPy }, {
    path: at.path,
    hint: only.length
      ? `${moveHint(ctx, key, only)}evaluate.py and lavisc evaluate ${key}, and need no ${andList(unread)}.`
      : `Name the splits to evaluate in \`${key}\`${offered.length ? ` (the datasets provide ${quoteList(offered)})` : ""}, or set \`evaluate: False\` to train.`,
  }));
};

/** The stdlib's facts when the run only evaluates and every list evaluate.py evaluates is empty; else null. */
function emptyEvaluation(ctx: RuleContext): EvaluationOnly | null {
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind !== "scalar" || evaluate.value !== true) return null;
  const facts = evaluationOnly(ctx.registry, nameAt(ctx, ["run", "runner"]) ?? "runner_base");
  if (!facts || facts.evaluates.some((k) => ctx.invalid.has(`run.${k}`))) return null;
  // A list with a split is evaluated (a split no dataset provides is LV4005's); a value that is no list, a type error's.
  return facts.evaluates.every((k) => listOfNames(ctx, ["run", k])?.length === 0) ? facts : null;
}

/** `valid_splits` ["test"] (and the next list's). */
const listed = (lists: readonly { key: string; splits: string[] }[]) => lists.map(({ key, splits }) => `\`${key}\` ${JSON.stringify(splits)}`).join(" and ");

/** The start of a hint that moves the splits only train.py evaluates to the key evaluate.py reads (in the file's syntax). */
function moveHint(ctx: RuleContext, key: string, lists: readonly { key: string; splits: string[] }[]): string {
  const value = JSON.stringify(lists.flatMap((x) => x.splits));
  const written = ctx.resolved.input.format === "yaml" ? `${key}: ${value}` : `${key} = ${value}`;
  return `Set \`${written}\`, the splits ${andList(lists.map((x) => x.key))} ${lists.length > 1 ? "list" : "lists"}: `;
}

/** Where an unwritten list's value comes from, in words (a written one needs none). */
function origin(ctx: RuleContext, node: CNode): string {
  if (ctx.isUserValue(node)) return "";
  if (node.origin.kind === "code-default") return " (LAVIS's code fallback, as the YAML leaves it out)";
  return node.origin.kind === "schema-default" ? " (lavisc's documented default)" : "";
}

/** The splits of the lists only train.py evaluates (those evaluate.py does not read), each list that names any. */
function trainPySplits(ctx: RuleContext, facts: EvaluationOnly): { key: string; splits: string[] }[] {
  return facts.trainPyEvaluates
    .filter((k) => !facts.evaluates.includes(k) && !ctx.invalid.has(`run.${k}`))
    .map((k) => ({ key: k, splits: (listOfNames(ctx, ["run", k]) ?? []).map((s) => s.name) }))
    .filter((x) => x.splits.length > 0);
}

/** The splits the datasets provide besides `train`, which the hint offers to evaluate. */
function evaluationCandidates(ctx: RuleContext): string[] {
  return [...(providedSplits(ctx) ?? [])].filter((s) => s !== "train").sort();
}

/** `a`, `a` and `b`, `a`, `b` and `c`. */
const andList = (xs: readonly string[]) => (xs.length > 1 ? `${quoteList(xs.slice(0, -1))} and \`${xs.at(-1)}\`` : quoteList(xs));

const isSet = (n: CNode | undefined) => !!n && !(n.kind === "scalar" && n.value === null);
