import type { Diagnostic } from "./diagnostic.js";

// One problem, one error. Where a value cannot be read at all, the rules that judge values see a stand-in (the text
// of an interpolation lavisc cannot resolve, nothing for a reference that does not resolve or is circular or for a
// `???` nothing fills, the list that OmegaConf's merge stops on) and would report it again under another code: a
// wrong type, an unknown name, a missing value. Likewise a `vit_model` LAVIS cannot build a ViT for: no weights were
// trained with it, so LV4073's "weights trained with another vit_model" would send the user looking for some. An error with one of these codes at a path is the only error kept
// at that path (checkFile applies this to everything it reports, and a sweep to each trial).

const ROOT_CAUSES: ReadonlySet<string> = new Set([
  "LV3005", // an interpolation lavisc cannot resolve
  "LV2012", // a reference that does not resolve
  "LV2015", // a circular reference
  "LV4070", // a map merged over a list, or a list over a map (OmegaConf stops)
  "LV3007", // `???` that no layer fills (a section left so: "the experiment has no ..." says it again)
  "LV4097", // a ViT name (vit_model, image_model, video_model) the BLIP-2 arch cannot build (LV4073 would ask for weights trained with it)
]);

// A diagnostic that says what another code at the same path would, and what follows from it, replaces that one.
const SAYS_ALSO: ReadonlyMap<string, readonly string[]> = new Map([
  // An evaluation-only run that evaluates nothing: both name test_splits's value and, left out of a YAML, LAVIS's
  // code fallback [], which LV4019 would name against the documented default.
  ["LV4098", ["LV4019"]],
  ["LV4099", ["LV4019"]],
]);

/**
 * `diagnostics` without the errors that repeat, at the same path, an error with a root-cause code, and without a
 * diagnostic that another at its path says as well (SAYS_ALSO).
 */
export function withoutCascades(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rooted = new Set(diagnostics.filter((d) => d.path && d.severity === "error" && ROOT_CAUSES.has(d.code)).map((d) => d.path));
  const said = new Set(diagnostics.flatMap((d) => (d.path ? (SAYS_ALSO.get(d.code) ?? []).map((c) => `${c}|${d.path}`) : [])));
  if (!rooted.size && !said.size) return [...diagnostics];
  return diagnostics.filter((d) => !(d.path && said.has(`${d.code}|${d.path}`)) && !(d.path && d.severity === "error" && rooted.has(d.path) && !ROOT_CAUSES.has(d.code)));
}
