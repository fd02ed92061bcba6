import { resolve } from "node:path";
import type { Host } from "../cli/host.js";
import { ExitCode } from "../cli/exitCodes.js";
import { checkFile } from "../index.js";
import { SourceSet, renderDiagnostics, sortDiagnostics } from "../diagnostics/index.js";
import type { CNode } from "../semantic/configTree.js";
import { toPlain } from "../semantic/configTree.js";
import { valueText } from "../semantic/valueText.js";
import { diffExperiments, type Difference } from "./diffExperiments.js";
import { displayPath, originText, originWhere } from "./originText.js";

const isTrial = (f: string) => /#t\d+$/.test(f);

export interface DiffCommandOptions {
  readonly format: "text" | "json";
}

/**
 * `lavisc diff A B`: exit 0 when both resolve to the same experiment, 1 when they differ (as diff(1)), 2 when a file
 * cannot be resolved at all (unreadable, syntax errors). Check errors do not stop the comparison; they are noted.
 */
export async function diffCommand(host: Host, a: string, b: string, o: DiffCommandOptions): Promise<number> {
  const sources = new SourceSet();
  const load = (f: string) => {
    const r = checkFile(resolve(host.cwd, f), host, { experimentFor: "compare" });
    for (const s of r.sources) sources.add(s);
    return r;
  };
  const ra = load(a), rb = load(b);
  for (const [f, r] of [[a, ra], [b, rb]] as const) {
    if (!r.resolved) {
      host.stderr(renderDiagnostics(sortDiagnostics(r.diagnostics.filter((d) => d.severity === "error")), sources, { color: host.color, cwd: host.cwd }));
      host.stderr(`error: ${f} could not be resolved, so nothing was compared.\n`);
      return ExitCode.Usage;
    }
    const errors = r.diagnostics.filter((d) => d.severity === "error").length;
    if (errors) host.stderr(`note: ${f} has ${errors} error${errors === 1 ? "" : "s"} (run \`lavisc check ${f}\`); comparing what it resolves to.\n`);
  }
  const diffs = diffExperiments(ra.resolved!.root, rb.resolved!.root);
  const origin = (n: CNode) => originText(n.origin, sources, host.cwd);
  const line = (d: Difference) => {
    if (d.kind === "removed") return `- ${d.path}: ${valueText(d.a!)} (${origin(d.a!)})`;
    if (d.kind === "added") return `+ ${d.path}: ${valueText(d.b!)} (${origin(d.b!)})`;
    return `  ${d.path}: ${valueText(d.a!)} (${origin(d.a!)}) → ${valueText(d.b!)} (${origin(d.b!)})`;
  };
  if (o.format === "json") {
    const side = (n: CNode | null) => {
      if (!n) return null;
      const w = originWhere(n.origin.span, sources, host.cwd);
      return { value: toPlain(n), text: valueText(n), origin: { kind: n.origin.kind, file: w.file, line: w.line, from: n.origin.from ?? null, text: origin(n) } };
    };
    // Named as the origins' files are: relative under the working folder, else absolute.
    const shown = (f: string) => displayPath(resolve(host.cwd, f), host.cwd) || f;
    host.stdout(JSON.stringify({ a: shown(a), b: shown(b), equal: diffs.length === 0, differences: diffs.map((d) => ({ path: d.path, kind: d.kind, a: side(d.a), b: side(d.b) })) }, null, 2) + "\n");
  } else if (isTrial(a) && isTrial(b) && a.replace(/#t\d+$/, "") === b.replace(/#t\d+$/, "")) {
    // Two trials of one sweep: the swept keys, then what follows from them (values and plan).
    const { trialDiffText } = await import("../sweep/trialDiff.js");
    host.stdout(trialDiffText(a, b, diffs, line, ra.resolved!, rb.resolved!, { env: host.env }));
  } else if (diffs.length === 0) {
    host.stdout(`${a} and ${b} resolve to the same experiment\n`);
  } else {
    const lines = diffs.map(line);
    const count = (k: string) => diffs.filter((d) => d.kind === k).length;
    host.stdout(`--- ${a}\n+++ ${b}\n${lines.join("\n")}\n${diffs.length} difference${diffs.length === 1 ? "" : "s"}: ${count("changed")} changed, ${count("added")} only in ${b}, ${count("removed")} only in ${a}\n`);
  }
  return diffs.length ? ExitCode.Diagnostics : ExitCode.Ok;
}
