import type { Command } from "commander";
import { choiceOption } from "../optionValues.js";
import type { Host } from "../host.js";
import type { Action } from "../main.js";
import { ExitCode } from "../exitCodes.js";
import type { GraphInputOptions } from "./compileGraph.js";

export interface PlanCommandOptions extends GraphInputOptions {
  readonly format: "text" | "json" | "html";
}

/** `lavisc plan FILE`: what a run would do (backend, steps, lr, model size, weights, outputs, evaluation), without running. */
export async function planCommand(host: Host, file: string, o: PlanCommandOptions): Promise<number> {
  const { compileGraph } = await import("./compileGraph.js");
  const { probeDevices, startAdapterSearch } = await import("../../runtime/backend/deviceProbe.js");
  startAdapterSearch(); // in parallel with the check (a device of auto or webgpu needs it)
  const compiled = compileGraph(host, file, "plan", o);
  let graph = compiled.graph;
  const status = compiled.status;
  if (!graph) return status;
  const { buildPlan } = await import("../../compiler/plan.js");
  const from = graph.run.model.weightsFrom;
  if (from) {
    const { weightsSource, withWeights } = await import("./weightsFrom.js");
    const source = await weightsSource(host, from);
    if (typeof source === "string") {
      host.stderr(`error: ${source}\n`);
      return ExitCode.Diagnostics;
    }
    if (source.checkpoint) graph = { ...graph, run: withWeights(graph.run, source.checkpoint) };
  }
  const plan = buildPlan(graph, { cwd: host.cwd, env: host.env as NodeJS.ProcessEnv, devices: await probeDevices(graph.run.backend) });
  // Never silent: a fork's `.lavisc/` above the file changes what its names mean.
  const extension = compiled.extension;
  const extensionText = (await import("./checkSummary.js")).extensionLines([{ file, role: "project", diagnostics: [], extension }], host, false).map((l) => `${l}\n`).join("");
  if (o.format === "json") host.stdout(JSON.stringify({ ...plan, stdlibExtension: extension }, null, 2) + "\n");
  else if (o.format === "html") {
    const text = (await import("../../compiler/planText.js")).renderPlanText(plan) + extensionText;
    host.stdout((await import("../../report/planReport.js")).renderPlanHtml(plan, graph.run, text));
  } else host.stdout((await import("../../compiler/planText.js")).renderPlanText(plan) + (extensionText ? `\n${extensionText}` : ""));
  // Replicas beyond this machine's memory (LV6004) are what `lavisc run` refuses to start; a checkpoint it cannot
  // resume from (LV5017) stops it before training.
  const refused = plan.replicas?.warnings.some((w) => w.severity === "error") || !!plan.resume?.error;
  return refused ? Math.max(status, ExitCode.Diagnostics) : status;
}

export function registerPlanCommand(program: Command, setAction: (a: Action) => void): void {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("plan")
    .description("show what a run would do, without running it")
    .argument("<file>")
    .addOption(choiceOption("--format <format>", "output format", ["text", "json", "html"], "text"))
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .option("--storage-root <dir>", "LAVIS's cache_root: where relative annotation and image `storage` paths live")
    .option("--data-root <dir>", "root of lavisc's built-in datasets (default $LAVISC_DATA when counting records)")
    .action((file: string, o: PlanCommandOptions) => setAction(async (h) => planCommand(h, file, o)));
}
