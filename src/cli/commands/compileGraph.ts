// Shared by `lavisc graph` and `lavisc plan`: check the file, lower it, validate the graph, print diagnostics.
import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, type Diagnostic } from "../../diagnostics/index.js";
import { lowerToGraph } from "../../compiler/lower.js";
import type { Graph } from "../../compiler/graph.js";

export interface GraphInputOptions {
  readonly set: string[];
  readonly options?: string[];
  readonly storageRoot?: string;
  readonly dataRoot?: string;
}

/** The graph, or null when the experiment has errors (printed to stderr either way), and the exit status. */
export function compileGraph(host: Host, file: string, o: GraphInputOptions): { graph: Graph | null; status: ExitCode } {
  const r = checkFile(resolve(host.cwd, file), host, { sets: o.set, options: o.options ?? [], experimentFor: "compile" });
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  const print = (ds: readonly Diagnostic[]) => {
    if (ds.length) host.stderr(renderDiagnostics(sortDiagnostics(ds), sources, { color: host.color, cwd: host.cwd }));
  };
  const checkErrors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.resolved || checkErrors.length) {
    print(r.diagnostics);
    return { graph: null, status: exitCodeFor(r.diagnostics) || ExitCode.Diagnostics };
  }
  const { graph, diagnostics } = lowerToGraph(r.resolved, {
    ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}),
    ...(o.dataRoot ? { dataRoot: resolve(host.cwd, o.dataRoot) } : {}),
  });
  // A value the checker already rejected is not reported again by the graph rules.
  const flagged = new Set(r.diagnostics.filter((d) => d.path).map((d) => d.path));
  const fresh = diagnostics.filter((d) => !d.path || !flagged.has(d.path));
  print([...r.diagnostics, ...fresh]);
  return { graph, status: exitCodeFor(fresh) };
}
