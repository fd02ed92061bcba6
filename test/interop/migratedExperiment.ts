import { codeFallbackPins } from "../../src/interop/codeFallbackPins.js";
import { setPath, type CMap } from "../../src/semantic/configTree.js";
import type { Resolved } from "../../src/semantic/resolve.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";

/**
 * The experiment a migrated `.lv` must resolve to: the YAML's, except where the YAML leaves a key out and LAVIS's code
 * falls back to another value than lavisc's documented default (the YAML's LV4019 warnings): there the `.lv` holds
 * LAVIS's value, which migrate writes. Throws when the keys migrate writes are not exactly those the warnings name.
 */
export function migratedExperiment(yaml: Resolved, yamlDiagnostics: readonly Diagnostic[]): CMap {
  const pins = codeFallbackPins(yaml);
  const written = pins.map((p) => p.path.join(".")).sort();
  const warned = yamlDiagnostics.filter((d) => d.code === "LV4019").map((d) => d.path ?? "").sort();
  if (written.join(" ") !== warned.join(" ")) throw new Error(`migrate writes LAVIS's fallback for [${written.join(", ")}], the YAML's LV4019 warnings name [${warned.join(", ")}]`);
  return pins.reduce((root, pin) => setPath(root, pin.path, pin.value, pin.value.origin), yaml.root);
}
