// Which file a checkpoint path names, decided before anything is read: a missing file is reported as missing
// whatever its extension (a `.pth` that does not exist was reported as "a PyTorch pickle"); `loadCheckpoint` and
// `lavisc plan` (which reads only the JSON half of a resume checkpoint) both go through it.
import { existsSync, statSync } from "node:fs";

export type CheckpointLocation =
  /** A lavisc checkpoint: its JSON half (which names the weights file). */
  | { readonly kind: "lavisc"; readonly jsonPath: string }
  /** A bare safetensors weights file (a converted LAVIS state dict, or lavisc's weights without their JSON). */
  | { readonly kind: "weights"; readonly path: string }
  | { readonly kind: "missing" | "pytorch"; readonly error: string };

/** Accepts `x.json`, `x.safetensors` or the bare `x`; a `.safetensors` path that exists is read as bare weights. */
export function locateCheckpoint(path: string): CheckpointLocation {
  const base = path.replace(/\.(json|safetensors)$/, "");
  const jsonPath = `${base}.json`;
  const stPath = `${base}.safetensors`;
  if (!existsSync(path) && !existsSync(jsonPath) && !existsSync(stPath)) {
    const bare = !/\.(json|safetensors|pth|pt|bin)$/.test(path);
    return { kind: "missing", error: `checkpoint ${path} not found${bare ? ` (nor ${jsonPath}, nor ${stPath})` : ""}` };
  }
  if (/\.(pth|pt|bin)$/.test(path)) {
    return { kind: "pytorch", error: `${path} is a PyTorch pickle, which lavisc cannot read; convert it to safetensors with the one-line Python command in docs/checkpoints.md (python3 -c "..." ${path.replace(/^.*[\\/]/, "")} model.safetensors) and set the path to model.safetensors` };
  }
  if (existsSync(jsonPath) && !(path.endsWith(".safetensors") && existsSync(path))) return { kind: "lavisc", jsonPath };
  if (!isFile(stPath)) return { kind: "missing", error: `checkpoint weights ${stPath} not found` };
  return { kind: "weights", path: stPath };
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}
