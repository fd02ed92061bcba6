import * as tf from "@tensorflow/tfjs";
import type { StTensor } from "../checkpoint/safetensors.js";
import { adaptLavisState, neverKept } from "../checkpoint/lavisState.js";
import type { StateDictIssues } from "./model.js";

export type LoadIssues = StateDictIssues & { loaded: boolean };

/**
 * The shared half of every model's `loadStateDict`: compares `state` with the model's own tensors by name and shape,
 * and assigns them unless a shape differs or, when `strict`, anything differs. `alsoAccepted` names tensors a state
 * dict may carry that the model does not keep (a tied weight under its second name, a non-persistent buffer); LAVIS's
 * position_ids buffers and tied decoder weights are always accepted.
 * Non-strict (initial weights, LAVIS's `load_state_dict(strict=False)`): tensors of top-level modules the model does
 * not have are skipped, a `pos_embed` of another patch grid is resized as LAVIS's interpolate_pos_embed, and a
 * checkpoint that holds none of the model's tensors is refused (`loaded` false).
 * Returns null when everything matched and was loaded, else the issues (`loaded` says whether tensors were assigned).
 */
export function loadTensors(
  own: ReadonlyMap<string, tf.Variable>, state: ReadonlyMap<string, StTensor>, strict: boolean, alsoAccepted: (name: string) => boolean = () => false,
): LoadIssues | null {
  const issues: LoadIssues = { missing: [], unexpected: [], mismatched: [], loaded: false, notes: [] };
  if (!strict) {
    const adapted = adaptLavisState(own, state);
    state = adapted.state;
    if (adapted.skipped.size) {
      const n = [...adapted.skipped.values()].reduce((a, b) => a + b, 0);
      issues.notes!.push(`skipped ${n} tensor${n === 1 ? "" : "s"} of modules this model does not have (as LAVIS's strict=False load): ${[...adapted.skipped].map(([m, k]) => `${m} (${k})`).join(", ")}`);
    }
    if (adapted.neverKept.length) issues.notes!.push(`ignored ${adapted.neverKept.length} tensor${adapted.neverKept.length === 1 ? "" : "s"} lavisc does not keep (BERT position_ids buffers, tied decoder weights): ${adapted.neverKept.slice(0, 3).join(", ")}${adapted.neverKept.length > 3 ? ", …" : ""}`);
    for (const line of adapted.interpolated) issues.notes!.push(`reshaped ${line}`);
  }
  let found = 0;
  for (const [k, v] of own) {
    const t = state.get(k);
    if (!t) issues.missing.push(k);
    else {
      found++;
      if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) issues.mismatched.push({ name: k, expected: v.shape, got: [...t.shape] });
    }
  }
  for (const k of state.keys()) if (!own.has(k) && !alsoAccepted(k) && !neverKept(k, own)) issues.unexpected.push(k);
  const clean = !issues.missing.length && !issues.unexpected.length && !issues.mismatched.length;
  if (issues.mismatched.length || (strict && !clean) || (own.size > 0 && found === 0)) return issues;
  for (const [k, v] of own) {
    const t = state.get(k);
    if (t) tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data), v.shape)));
  }
  issues.loaded = true;
  return clean && !issues.notes!.length ? null : issues;
}
