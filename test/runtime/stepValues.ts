// The loss components of a prepared step as numbers (tests run on wasm/cpu, where a synchronous read is fine).
import * as tf from "@tensorflow/tfjs";
import type { PreparedStep } from "../../src/runtime/models/model.js";

export function componentValues(step: PreparedStep): Record<string, number> {
  const parts = step.components();
  const out = Object.fromEntries(Object.entries(parts).map(([k, t]) => [k, t.dataSync()[0]!]));
  tf.dispose(Object.values(parts));
  return out;
}
