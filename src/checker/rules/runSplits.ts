import { datasetSplits } from "../../semantic/resolve.js";
import type { RuleContext } from "../context.js";
import { listOfNames } from "./names.js";

export type SplitRole = "train" | "valid" | "test";

export interface SplitUse {
  readonly role: SplitRole;
  /** The recipe key that lists it (`train_splits`, ...). */
  readonly key: string;
  readonly split: string;
  /** Position in that list (for spans). */
  readonly index: number;
  /** Datasets of the experiment whose annotations have this split. */
  readonly datasets: readonly string[];
}

/** The splits the experiment's datasets provide; null when there are none or a dataset's splits cannot be known. */
export function providedSplits(ctx: RuleContext): Set<string> | null {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map" || datasets.entries.size === 0) return null;
  const out = new Set<string>();
  for (const cfg of datasets.entries.values()) {
    const splits = datasetSplits(cfg);
    if (!splits) return null;
    splits.forEach((s) => out.add(s));
  }
  return out;
}

const KEYS: Record<SplitRole, string> = { train: "train_splits", valid: "valid_splits", test: "test_splits" };

/**
 * The splits a run touches, by role, with the datasets that provide each (RunnerBase: train_splits when training,
 * valid_splits after each epoch, test_splits at the end; evaluate-only runs read test_splits, and valid_splits when
 * written, as LAVIS's train.py with `evaluate: True` does). Lists a LAVIS YAML file does not write are empty, as in
 * LAVIS. Splits no dataset provides are left out (LV4005's concern).
 */
export function splitUses(ctx: RuleContext): SplitUse[] {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return [];
  const evaluate = ctx.at(["run", "evaluate"]);
  const evaluateOnly = evaluate?.kind === "scalar" && evaluate.value === true;
  const roles: SplitRole[] = evaluateOnly ? ["valid", "test"] : ["train", "valid", "test"];
  const out: SplitUse[] = [];
  for (const role of roles) {
    const key = KEYS[role];
    const node = ctx.at(["run", key]);
    const written = !!node && ctx.isUserValue(node);
    // LAVIS's own defaults for the three lists are empty (run_cfg.get(key, [])); lavisc's fill-ins (D1) apply to .lv
    // experiments, which lavisc runs and exports with them, but a LAVIS YAML file run by LAVIS touches only what it writes.
    if (!written && (ctx.resolved.input.format === "yaml" || (evaluateOnly && role === "valid"))) continue;
    for (const { name, index } of listOfNames(ctx, ["run", key]) ?? []) {
      const providers = [...datasets.entries].filter(([, cfg]) => datasetSplits(cfg)?.includes(name)).map(([n]) => n);
      if (providers.length) out.push({ role, key, split: name, index, datasets: providers });
    }
  }
  return out;
}

/** True when the run evaluates anything: some valid or test split it touches has data. */
export const evaluatesSomething = (ctx: RuleContext) => splitUses(ctx).some((u) => u.role !== "train");
