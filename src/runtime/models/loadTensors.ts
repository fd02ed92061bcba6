import * as tf from "@tensorflow/tfjs";
import type { StTensor } from "../checkpoint/safetensors.js";
import type { StateDictIssues } from "./model.js";

export type LoadIssues = StateDictIssues & { loaded: boolean };

/**
 * The shared half of every model's `loadStateDict`: compares `state` with the model's own tensors by name and shape,
 * and assigns them unless a shape differs or, when `strict`, anything differs. `alsoAccepted` names tensors a state
 * dict may carry that the model does not keep (a tied weight under its second name, a non-persistent buffer).
 * Returns null when everything matched and was loaded, else the issues (`loaded` says whether tensors were assigned).
 */
export function loadTensors(
  own: ReadonlyMap<string, tf.Variable>, state: ReadonlyMap<string, StTensor>, strict: boolean, alsoAccepted: (name: string) => boolean = () => false,
): LoadIssues | null {
  const issues: LoadIssues = { missing: [], unexpected: [], mismatched: [], loaded: false };
  for (const [k, v] of own) {
    const t = state.get(k);
    if (!t) issues.missing.push(k);
    else if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) issues.mismatched.push({ name: k, expected: v.shape, got: [...t.shape] });
  }
  for (const k of state.keys()) if (!own.has(k) && !alsoAccepted(k)) issues.unexpected.push(k);
  const clean = !issues.missing.length && !issues.unexpected.length && !issues.mismatched.length;
  if (issues.mismatched.length || (strict && !clean)) return issues;
  for (const [k, v] of own) {
    const t = state.get(k);
    if (t) tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data), v.shape)));
  }
  issues.loaded = true;
  return clean ? null : issues;
}
