// `model.finetuned_from`: the weights are the best checkpoint of another project's newest run. `lavisc plan` says which
// one (or that there is none yet); `lavisc run` loads it, or runs that project first when it has none.
import { resolve } from "node:path";
import type { Host } from "../host.js";
import type { RunSpec } from "../../runtime/runSpec.js";
import { checkFile } from "../../index.js";
import { newestBestCheckpoint } from "../../runtime/checkpoint/newestBest.js";

export interface WeightsSource {
  /** The project file, absolute. */
  readonly project: string;
  /** Its output_dir, absolute. */
  readonly outputDir: string;
  readonly checkpoint: string | null;
}

/** Where the project's runs go and its newest best checkpoint; an error message when the project does not check. */
export async function weightsSource(host: Host, project: string): Promise<WeightsSource | string> {
  const path = resolve(host.cwd, project);
  const checked = checkFile(path, host);
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.resolved || errors.length) return `model.finetuned_from names ${project}, which has ${errors.length || "syntax"} error(s): run \`lavisc check ${project}\``;
  const { lowerToGraph, runSpecOf } = await import("../../compiler/lower.js");
  const outputDir = resolve(host.cwd, runSpecOf(lowerToGraph(checked.resolved, { env: host.env }).graph).outputDir);
  return { project: path, outputDir, checkpoint: newestBestCheckpoint(outputDir) };
}

/** The run spec with the found checkpoint as its weights, also in the config that log.txt and checkpoints record. */
export function withWeights(spec: RunSpec, checkpoint: string): RunSpec {
  const model = { ...(spec.config["model"] as Record<string, unknown> | undefined), finetuned: checkpoint };
  return { ...spec, model: { ...spec.model, loadWeights: checkpoint }, config: { ...spec.config, model } };
}
