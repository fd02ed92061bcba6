// A checkpoint is a pair: `<name>.safetensors` (model tensors under their LAVIS names, plus the AdamW moments under
// the `optimizer.exp_avg.` / `optimizer.exp_avg_sq.` prefixes) and `<name>.json` (epoch, optimizer step, RNG state,
// scheduler position, config). The JSON is written last, so a checkpoint whose JSON exists is complete.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { writeFileAtomic } from "./atomicWrite.js";
import { decodeSafetensors, encodeSafetensors, type StTensor } from "./safetensors.js";
import type { RngState } from "../train/rng.js";

export const EXP_AVG_PREFIX = "optimizer.exp_avg.";
export const EXP_AVG_SQ_PREFIX = "optimizer.exp_avg_sq.";

export interface CheckpointMeta {
  readonly format: "lavisc-checkpoint";
  readonly version: 1;
  readonly weights: string; // file name of the safetensors half
  readonly weightsSha256: string;
  /** Last finished epoch (runner_base) or inner epoch (runner_iter). */
  readonly epoch: number;
  /** runner_iter: iterations done; null for runner_base. */
  readonly iters: number | null;
  readonly optimizer: {
    readonly name: "adamw";
    readonly step: number;
    readonly expAvgPrefix: string;
    readonly expAvgSqPrefix: string;
    readonly hyper: Readonly<Record<string, unknown>>;
  };
  readonly rng: RngState;
  readonly lrScheduler: { readonly epoch: number; readonly step: number };
  readonly best: { readonly aggMetrics: number; readonly epoch: number };
  /** Why it was written: "epoch", "best", "last", "interrupt". */
  readonly reason: string;
  /** The tokenizer vocabulary the weights were trained with (needed to rebuild a from-scratch vocabulary). */
  readonly vocab: readonly string[];
  /** Set when the run stopped inside an epoch: where to continue and the epoch's running loss/lr sums. */
  readonly partial: { readonly epoch: number; readonly step: number; readonly meters: Readonly<Record<string, { sum: number; count: number }>> } | null;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface LoadedCheckpoint {
  readonly meta: CheckpointMeta | null; // null for a bare .safetensors weights file
  readonly model: Map<string, StTensor>;
  readonly expAvg: Map<string, StTensor>;
  readonly expAvgSq: Map<string, StTensor>;
}

export function saveCheckpoint(
  dir: string,
  name: string,
  model: ReadonlyMap<string, StTensor>,
  expAvg: ReadonlyMap<string, StTensor>,
  expAvgSq: ReadonlyMap<string, StTensor>,
  meta: Omit<CheckpointMeta, "format" | "version" | "weights" | "weightsSha256">,
): string {
  const all = new Map(model);
  for (const [k, v] of expAvg) all.set(EXP_AVG_PREFIX + k, v);
  for (const [k, v] of expAvgSq) all.set(EXP_AVG_SQ_PREFIX + k, v);
  const bytes = encodeSafetensors(all, { format: "pt" });
  const weights = `${name}.safetensors`;
  writeFileAtomic(join(dir, weights), bytes);
  const full: CheckpointMeta = { format: "lavisc-checkpoint", version: 1, weights, weightsSha256: sha256(bytes), ...meta };
  const jsonPath = join(dir, `${name}.json`);
  writeFileAtomic(jsonPath, JSON.stringify(full, null, 2) + "\n");
  return jsonPath;
}

/** Accepts `x.json`, `x.safetensors` or the bare `x`; errors are user-facing messages. */
export function loadCheckpoint(path: string): { ok: true; ckpt: LoadedCheckpoint } | { ok: false; error: string } {
  if (/\.(pth|pt|bin)$/.test(path)) {
    return { ok: false, error: `${path} is a PyTorch pickle, which lavisc cannot read; convert it to safetensors with the one-line Python command in docs/checkpoints.md (python3 -c "..." ${path.replace(/^.*[\\/]/, "")} model.safetensors) and set the path to model.safetensors` };
  }
  const base = path.replace(/\.(json|safetensors)$/, "");
  const jsonPath = `${base}.json`;
  let meta: CheckpointMeta | null = null;
  let stPath = `${base}.safetensors`;
  if (existsSync(jsonPath) && !path.endsWith(".safetensors")) {
    try {
      meta = JSON.parse(readFileSync(jsonPath, "utf8")) as CheckpointMeta;
    } catch (e) {
      return { ok: false, error: `checkpoint ${jsonPath} is not valid JSON (${(e as Error).message})` };
    }
    if (meta.format !== "lavisc-checkpoint") return { ok: false, error: `${jsonPath} is not a lavisc checkpoint` };
    stPath = join(base, "..", meta.weights);
  }
  if (!existsSync(stPath)) return { ok: false, error: `checkpoint weights ${stPath} not found` };
  const bytes = readFileSync(stPath);
  if (meta && sha256(bytes) !== meta.weightsSha256) {
    return { ok: false, error: `checkpoint weights ${stPath} do not match the sha256 recorded in ${jsonPath} (corrupt or replaced file)` };
  }
  const decoded = decodeSafetensors(bytes);
  if (!decoded.ok) return { ok: false, error: `checkpoint ${stPath} is corrupt: ${decoded.error}` };
  const model = new Map<string, StTensor>();
  const expAvg = new Map<string, StTensor>();
  const expAvgSq = new Map<string, StTensor>();
  for (const [k, v] of decoded.tensors) {
    if (k.startsWith(EXP_AVG_SQ_PREFIX)) expAvgSq.set(k.slice(EXP_AVG_SQ_PREFIX.length), v);
    else if (k.startsWith(EXP_AVG_PREFIX)) expAvg.set(k.slice(EXP_AVG_PREFIX.length), v);
    else model.set(k, v);
  }
  return { ok: true, ckpt: { meta, model, expAvg, expAvgSq } };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
