// A short digest of a model's whole state (every tensor's name, shape and bytes, in name order), for tests that pin
// an initial state and show that a change leaves it bit-identical.
import { createHash } from "node:crypto";
import type { Model } from "../../src/runtime/models/index.js";

export async function stateChecksum(model: Model): Promise<string> {
  const state = await model.stateDict();
  const hash = createHash("sha256");
  for (const name of [...state.keys()].sort()) {
    const t = state.get(name)!;
    hash.update(`${name}:${t.shape.join("x")};`);
    hash.update(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest("hex").slice(0, 16);
}
