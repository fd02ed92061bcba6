// `lavisc diff FILE#t01 FILE#t03`: two trials of one sweep differ by their swept values and by what follows from them:
// values derived from the swept ones (and each trial's folder), and the plan (steps, learning rates, size, compute).
import type { Resolved } from "../semantic/resolve.js";
import { pythonFloat } from "../semantic/valueText.js";
import { lowerToGraph } from "../compiler/lower.js";
import { buildPlan, type Plan } from "../compiler/plan.js";
import { count } from "../compiler/planText.js";
import { trainFlopsPerStep } from "../compiler/trainCompute.js";
import type { Difference } from "../interop/diffExperiments.js";
import { sweepSpecOf, allAxes } from "./spec.js";

export interface TrialDiffOptions {
  readonly dataRoot?: string;
  /** The command's environment (its host's): the data roots the plans count local annotation files under. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The LAVIS paths the sweep of `resolved`'s file varies (`run.init_lr`). */
export function sweptPaths(resolved: Resolved): Set<string> {
  const sweep = resolved.input.sweep;
  return new Set(sweep ? allAxes(sweepSpecOf(sweep, [])).map((a) => a.path.join(".")) : []);
}

/** Plan facts that differ between two trials, as `what: a → b` lines (`env`: the command's, the host's). */
export function planDifferences(a: Resolved, b: Resolved, opts: TrialDiffOptions = {}): string[] {
  const plan = (r: Resolved) => {
    const { graph } = lowerToGraph(r, { ...(opts.dataRoot ? { dataRoot: opts.dataRoot } : {}), ...(opts.env ? { env: opts.env } : {}) });
    return { plan: buildPlan(graph, opts.env ? { env: opts.env } : {}), batch: graph.run.batchSizeTrain };
  };
  const pa = plan(a), pb = plan(b);
  const facts = (p: Plan, batch: number): [string, string][] => {
    const params = p.model.params;
    const flops = params && p.steps?.total != null ? trainFlopsPerStep(params, batch) * p.steps.total : null;
    const out: [string, string][] = [
      ["steps per epoch", p.steps?.perEpochText ?? "-"],
      ["epochs", String(p.steps?.epochs ?? "-")],
      ["total steps", p.steps?.totalText ?? "-"],
      ["parameters", params ? count(params.total) : "unknown"],
      ["memory per training step", p.model.memory ? `${(p.model.memory.totalBytes / 2 ** 30).toFixed(2)} GiB` : "unknown"],
      ["training compute", flops === null ? "unknown" : `${(flops / 1e12).toFixed(3)} TFLOP`],
      ["warm-up", p.lr?.warmup ? `ends at lr ${p.lr.warmup.lr === null ? "?" : pythonFloat(p.lr.warmup.lr)}` : "none"],
    ];
    for (const e of p.lr?.epochs ?? []) out.push([`lr in epoch ${e.epoch}`, `${e.start === null ? "?" : pythonFloat(e.start)} → ${e.end === null ? "?" : pythonFloat(e.end)}`]);
    return out;
  };
  const fa = new Map(facts(pa.plan, pa.batch)), fb = new Map(facts(pb.plan, pb.batch));
  const lines: string[] = [];
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    const x = fa.get(k) ?? "-", y = fb.get(k) ?? "-";
    if (x !== y) lines.push(`${k}: ${x}  |  ${y}`);
  }
  return lines;
}

/** The text of a trial diff: swept keys, then the values that follow from them, then the plan. */
export function trialDiffText(a: string, b: string, diffs: readonly Difference[], line: (d: Difference) => string, ra: Resolved, rb: Resolved, opts: TrialDiffOptions = {}): string {
  const swept = sweptPaths(ra);
  const own = diffs.filter((d) => swept.has(d.path)), follow = diffs.filter((d) => !swept.has(d.path));
  const out = [`--- ${a}`, `+++ ${b}`, "swept:", ...(own.length ? own.map((d) => `  ${line(d).trimStart()}`) : ["  (the same values)"])];
  if (follow.length) out.push("follows from them:", ...follow.map((d) => `  ${line(d).trimStart()}`));
  const plan = planDifferences(ra, rb, opts);
  if (plan.length) out.push(`plan (${a.replace(/^.*#/, "")}  |  ${b.replace(/^.*#/, "")}):`, ...plan.map((l) => `  ${l}`));
  out.push(`${own.length} swept key${own.length === 1 ? "" : "s"} differ${own.length === 1 ? "s" : ""}; ${follow.length} other value${follow.length === 1 ? "" : "s"} and ${plan.length} plan fact${plan.length === 1 ? "" : "s"} follow from ${own.length === 1 ? "it" : "them"}`);
  return out.join("\n") + "\n";
}
