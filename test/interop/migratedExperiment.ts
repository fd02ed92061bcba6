import { codeFallbackPins } from "../../src/interop/codeFallbackPins.js";
import { setPath, type CMap } from "../../src/semantic/configTree.js";
import type { Resolved } from "../../src/semantic/resolve.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";

/**
 * The experiment a migrated `.lv` must resolve to: the YAML's, except where the YAML leaves a key out and LAVIS's code
 * falls back to another value than lavisc's documented default (the YAML's LV4019 warnings): there the `.lv` holds
 * LAVIS's value, which migrate writes (except for a key LAVIS reads with two fallbacks, codeFallbackPins.ts). Throws
 * when migrate writes a key the warnings do not name.
 */
export function migratedExperiment(yaml: Resolved, yamlDiagnostics: readonly Diagnostic[]): CMap {
  const pins = codeFallbackPins(yaml);
  const warned = new Set(yamlDiagnostics.filter((d) => d.code === "LV4019").map((d) => d.path ?? ""));
  const unwarned = pins.map((p) => p.path.join(".")).filter((p) => !warned.has(p));
  if (unwarned.length) throw new Error(`migrate writes LAVIS's fallback for [${unwarned.join(", ")}], which no LV4019 warning of the YAML names`);
  return pins.reduce((root, pin) => setPath(root, pin.path, pin.value, pin.value.origin), yaml.root);
}
