// LAVIS's momentum encoders: EMA copies of parts of the model (`<part>_m`), updated before each step.
import * as tf from "@tensorflow/tfjs";
import { assignComputed, hasDirectStorage, readView } from "../backend/inPlace.js";
import { fusedEma, fusedUpdatesAvailable } from "../backend/webgpuKernels.js";
import { simdEma } from "../backend/simdUpdates.js";
import { ownedVariable, type ParamStore } from "./paramStore.js";

/** `visual_encoder.x` → `visual_encoder_m.x` for the part `visual_encoder.` (or `vision_proj` → `vision_proj_m`). */
export function momentumName(name: string, part: string): string {
  return part.slice(0, -1) + "_m" + name.slice(part.length - 1);
}

/** Momentum copies of `main`'s parameters under the given parts, as pairs [copy, online]; BLIP's copy_params. */
export function copyMomentumParams(main: ParamStore, momentum: ParamStore, parts: readonly string[]): [tf.Variable, tf.Variable][] {
  const pairs: [tf.Variable, tf.Variable][] = [];
  for (const [name, v] of main.vars) {
    const part = parts.find((p) => name.startsWith(p));
    if (!part) continue;
    const copy = ownedVariable(v.clone(), false);
    momentum.vars.set(momentumName(name, part), copy);
    pairs.push([copy, v]);
  }
  return pairs;
}

/** copy ← m·copy + (1−m)·online for every pair (LAVIS `_momentum_update`): one loop each where the backend allows. */
export function momentumUpdate(pairs: readonly (readonly [tf.Variable, tf.Variable])[], m: number): void {
  for (const [copy, online] of pairs) {
    if (!hasDirectStorage()) {
      if (fusedUpdatesAvailable(copy, online)) fusedEma(copy, online, m);
      else tf.tidy(() => copy.assign(copy.mul(m).add(online.mul(1 - m))));
      continue;
    }
    if (simdEma(copy, online, m)) continue;
    const source = readView(online);
    const before = readView(copy);
    // New storage, not an in-place write: the copies are weights of the momentum encoders (see backend/inPlace.ts).
    assignComputed(copy, (out) => {
      for (let i = 0; i < out.length; i++) out[i] = before[i]! * m + source[i]! * (1 - m);
    });
  }
}
