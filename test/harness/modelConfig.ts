// A model config as the compiler resolves it: the given keys over the arch's model type and every default the stdlib
// fills in (stdlib/encoders.lv, stdlib/lavisc_*.lv). Runtime tests build models from these, so they read the same
// defaults `lavisc run` does, never a copy.
import { loadStdlib } from "../../src/project/stdlib.js";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { resolveExperiment } from "../../src/semantic/resolve.js";
import { toPlain } from "../../src/semantic/configTree.js";
import { check } from "../../src/checker/index.js";
import { retrievalScoreFill } from "../../src/semantic/facts.js";

export function modelConfigOf(model: { arch: string; model_type: string } & Record<string, unknown>, run: Record<string, unknown> = {}): Record<string, unknown> {
  const y = readYaml(JSON.stringify({ model, run }), "<test>.yaml");
  if (!y.root) throw new Error(y.diagnostics.map((d) => d.message).join("; "));
  const r = resolveExperiment({ file: "<test>.yaml", format: "yaml", root: y.root, constraints: [] }, loadStdlib().registry);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => d.message).join("; "));
  return (toPlain(r.root) as { model: Record<string, unknown> }).model;
}

/** The checker's diagnostics of an experiment with this model section (and run section), as `code path: message`. */
export function modelDiagnostics(model: { arch: string; model_type: string } & Record<string, unknown>, run: Record<string, unknown> = {}): string[] {
  const y = readYaml(JSON.stringify({ model, run }), "<test>.yaml");
  if (!y.root) throw new Error(y.diagnostics.map((d) => d.message).join("; "));
  const r = resolveExperiment({ file: "<test>.yaml", format: "yaml", root: y.root, constraints: [] }, loadStdlib().registry);
  return [...r.diagnostics, ...check(r)].filter((d) => d.path?.startsWith("model.")).map((d) => `${d.code} ${d.path}: ${d.message}`);
}

/** The arch's stdlib `retrieval_score_fill` (RunSpec.model.retrievalScoreFill), for a ModelSpec built by hand. */
export function retrievalScoreFillOf(arch: string): { retrievalScoreFill: number } {
  const fill = retrievalScoreFill(loadStdlib().registry, arch);
  if (fill === null) throw new Error(`stdlib/evaluation.lv declares no retrieval_score_fill for ${arch}`);
  return { retrievalScoreFill: fill };
}
