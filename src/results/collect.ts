// From a finished run of a project to its ProjectResult: the logged test metrics, the test metric recomputed item by
// item with its interval (and checked against the log), the baselines from the project's own data, and the
// validation that chose the tested weights.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEvaluateTxt, parseLogTxt } from "../report/runLogText.js";
import type { RunSpec } from "../runtime/runSpec.js";
import { chanceClass, mostFrequentAnswer, mostFrequentCaption, mostFrequentClass, retrievalChance, type Baseline } from "./baselines.js";
import { datasetWith, rawSplit } from "./projectSpec.js";
import type { ProjectResult } from "./resultFile.js";
import { captionScore, classificationScore, retrievalScore, vqaScore, type TestScore } from "./testScores.js";

const TEST = "test";

/** The test split's metrics as the run logged them (the last evaluate.txt line of that split). */
export function loggedTest(runDir: string): Record<string, number> {
  const evals = parseEvaluateTxt(readFileSync(join(runDir, "evaluate.txt"), "utf8"));
  const last = [...evals].reverse().find((e) => e.split === TEST || e.split === null);
  if (!last) throw new Error(`${runDir}/evaluate.txt has no evaluation`);
  return { ...last.metrics };
}

export async function testScore(spec: RunSpec, runDir: string): Promise<TestScore> {
  if (spec.task === "multimodal_classification") return classificationScore(runDir, TEST);
  const ds = datasetWith(spec, TEST);
  if (!ds) throw new Error(`no dataset of the project has a ${TEST} split`);
  const data = await rawSplit(ds, TEST, false);
  if (spec.task === "vqa") return vqaScore(runDir, data, spec.seed);
  if (spec.task === "captioning") return captionScore(runDir, data, spec.seed);
  if (spec.task === "retrieval" || spec.task === "feature_extraction") return retrievalScore(runDir, data, spec.seed);
  throw new Error(`no test metric for task ${spec.task}`);
}

export async function baselinesOf(spec: RunSpec): Promise<Baseline[]> {
  const testDs = datasetWith(spec, TEST);
  if (!testDs) return [];
  const test = await rawSplit(testDs, TEST, false);
  const trainOf = async (format: RunSpec["datasets"][number]["format"]) => {
    const ds = datasetWith(spec, "train", format) ?? (testDs.splits.some((s) => s.split === "train") ? testDs : null);
    return ds && ds.format === format ? rawSplit(ds, "train", true) : null;
  };
  switch (spec.task) {
    case "retrieval":
    case "feature_extraction":
      return test.retrieval ? [retrievalChance(test.retrieval, TEST)] : [];
    case "captioning": {
      const train = await trainOf("caption");
      return train ? [mostFrequentCaption(train, test)] : [];
    }
    case "vqa": {
      const train = await trainOf("vqa");
      return train ? [mostFrequentAnswer(train, test)] : [];
    }
    case "multimodal_classification": {
      const train = await trainOf("classification");
      return train ? [mostFrequentClass(train, test), chanceClass(test)] : [chanceClass(test)];
    }
    default:
      return [];
  }
}

/**
 * The best validation of the run (val agg_metrics and its epoch) or, for an evaluation-only run, of the run that wrote
 * its weights (named relative to `root`, the repository, so the README shows no machine's folders).
 */
export function validationOf(runDir: string, weights: string | null, root = ""): ProjectResult["validation"] {
  const log = parseLogTxt(readFileSync(join(runDir, "log.txt"), "utf8"));
  let best: { value: number; epoch: number } | null = null;
  for (const e of log.epochs) {
    const v = e.valid["val"]?.["agg_metrics"];
    if (v !== undefined && (!best || v > best.value)) best = { value: v, epoch: e.epoch };
  }
  if (best) return { split: "val", metric: "agg_metrics", ...best, source: "this run" };
  if (!weights || !existsSync(weights)) return null;
  const meta = JSON.parse(readFileSync(weights, "utf8")) as { best?: { aggMetrics: number; epoch: number } };
  if (!meta.best) return null;
  return { split: "val", metric: "agg_metrics", value: meta.best.aggMetrics, epoch: meta.best.epoch, source: `the run that wrote ${root && weights.startsWith(root + "/") ? weights.slice(root.length + 1) : weights}` };
}

/** The weights an evaluation-only run loaded (model.finetuned in its log's config), or null. */
export function loadedWeights(runDir: string): string | null {
  const config = parseLogTxt(readFileSync(join(runDir, "log.txt"), "utf8")).config;
  const model = (config?.["model"] ?? {}) as Record<string, unknown>;
  const run = (config?.["run"] ?? {}) as Record<string, unknown>;
  if (!run["evaluate"] && run["task"] !== "feature_extraction") return null;
  return typeof model["finetuned"] === "string" && model["finetuned"] ? model["finetuned"] : null;
}

/** Recomputed and logged values agree (to float rounding, and to VQA's two decimals). */
export function agrees(recomputed: number, logged: number | undefined): boolean {
  return logged !== undefined && Math.abs(recomputed - logged) <= 1e-6 * Math.max(1, Math.abs(logged));
}
