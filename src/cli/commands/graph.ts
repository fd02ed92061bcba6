import type { Command } from "commander";
import { choiceOption } from "../optionValues.js";
import type { Host } from "../host.js";
import type { Action } from "../main.js";
import { visible } from "../../diagnostics/visible.js";
import type { GraphInputOptions } from "./compileGraph.js";

export interface GraphOptions extends GraphInputOptions {
  readonly format: "dot" | "mermaid" | "json";
}

/** `lavisc graph FILE`: the execution graph as Graphviz DOT, Mermaid or JSON (with the runtime's RunSpec under `run`). */
export async function graphCommand(host: Host, file: string, o: GraphOptions): Promise<number> {
  const { compileGraph } = await import("./compileGraph.js");
  const { graph, status } = compileGraph(host, file, "draw as a graph", o);
  if (!graph) return status;
  if (o.format === "json") host.stdout((await import("../../compiler/graph.js")).graphToJson(graph));
  // Paths and names in the text forms come from the config: their control characters are shown, never obeyed.
  else if (o.format === "mermaid") host.stdout(visible((await import("../../compiler/render/mermaid.js")).renderMermaid(graph)));
  else host.stdout(visible((await import("../../compiler/render/dot.js")).renderDot(graph)));
  return status;
}

export function registerGraphCommand(program: Command, setAction: (a: Action) => void): void {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("graph")
    .description("show the execution graph of an experiment (data, model, optimisation, evaluation, outputs)")
    .argument("<file>")
    .addOption(choiceOption("--format <format>", "output format", ["dot", "mermaid", "json"], "dot"))
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .option("--storage-root <dir>", "LAVIS's cache_root: where relative annotation and image `storage` paths live")
    .option("--data-root <dir>", "root of lavisc's built-in datasets (default $LAVISC_DATA when counting records)")
    .action((file: string, o: GraphOptions) => setAction(async (h) => graphCommand(h, file, o)));
}
