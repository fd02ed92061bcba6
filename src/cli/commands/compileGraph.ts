// Shared by `lavisc graph` and `lavisc plan`: check the file (the graph's rules included), print diagnostics.
import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, diagnosticsToJson } from "../../diagnostics/index.js";
import type { Graph } from "../../compiler/graph.js";
import type { LoadedExperiment } from "../../project/loadExperiment.js";

export interface GraphInputOptions {
  readonly set: string[];
  readonly options?: string[];
  readonly storageRoot?: string;
  readonly dataRoot?: string;
  /** `--format json`: when there is no graph to show, the diagnostics also go to stdout as `check --format json` prints them. */
  readonly format?: string;
}

/**
 * The graph, or null when the experiment has errors before the graph, and the exit status (`what`: the command's verb,
 * for the error that a file holds no experiment to plan or draw). The diagnostics are
 * printed to stderr either way; with `--format json` and no graph they are also printed to stdout as JSON, so that a
 * program reading the command's JSON gets the reason instead of nothing.
 */
export function compileGraph(host: Host, file: string, what: string, o: GraphInputOptions): { graph: Graph | null; status: ExitCode; extension: LoadedExperiment["extension"] } {
  const r = checkFile(resolve(host.cwd, file), host, {
    sets: o.set,
    options: o.options ?? [],
    experimentFor: what,
    needsRun: true,
    graph: {
      engine: "tfjs",
      ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}),
      ...(o.dataRoot ? { dataRoot: resolve(host.cwd, o.dataRoot) } : {}),
    },
  });
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  if (r.diagnostics.length) host.stderr(renderDiagnostics(sortDiagnostics(r.diagnostics), sources, { color: host.color, cwd: host.cwd }));
  const status = exitCodeFor(r.diagnostics);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  // Errors of the graph's own rules (LV5xxx) still show the graph; earlier errors leave nothing to show.
  if (!r.graph || errors.some((d) => !d.code.startsWith("LV5"))) {
    if (o.format === "json") host.stdout(diagnosticsToJson(sortDiagnostics(r.diagnostics), sources, host.cwd) + "\n");
    return { graph: null, status: status || ExitCode.Diagnostics, extension: r.loaded.extension };
  }
  return { graph: r.graph, status, extension: r.loaded.extension };
}
