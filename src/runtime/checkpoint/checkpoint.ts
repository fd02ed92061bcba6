// A checkpoint is a pair: `<name>.<hash>.safetensors` (model tensors under their LAVIS names, plus the AdamW moments
// under the `optimizer.exp_avg.` / `optimizer.exp_avg_sq.` prefixes) and `<name>.json` (the weights file's name and
// sha256, epoch, optimizer step, RNG state, scheduler position, config). The two are one atomic unit: new weights are
// written beside the old ones under a new name, then the JSON is replaced atomically (the commit), then the old weights
// are removed. A crash at any point leaves either the previous checkpoint or the new one, complete.
import { readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { isInside, writeFileAtomic, type FileChunks } from "../../storage/index.js";
import { safetensorsFile, type StTensor } from "./safetensors.js";
import { readSafetensorsFile, sha256File } from "./safetensorsFile.js";
import { checkpointFieldProblem } from "./checkpointFields.js";
import type { RngState } from "../train/rng.js";
import { locateCheckpoint } from "./checkpointLocation.js";

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
  /** Data-parallel runs (run.world_size N > 1): the step RNG state of ranks 1..N-1 (rank r seeds with seed + r). */
  readonly replicaRng?: readonly RngState[];
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

/** How the two files are written (tests inject faults here); the default is the atomic writer. */
export type FileWriter = (path: string, data: Uint8Array | string | FileChunks) => void;

export function saveCheckpoint(
  dir: string,
  name: string,
  model: ReadonlyMap<string, StTensor>,
  expAvg: ReadonlyMap<string, StTensor>,
  expAvgSq: ReadonlyMap<string, StTensor>,
  meta: Omit<CheckpointMeta, "format" | "version" | "weights" | "weightsSha256">,
  write: FileWriter = writeFileAtomic,
): string {
  const all = new Map(model);
  for (const [k, v] of expAvg) all.set(EXP_AVG_PREFIX + k, v);
  for (const [k, v] of expAvgSq) all.set(EXP_AVG_SQ_PREFIX + k, v);
  const file = safetensorsFile(all, { format: "pt" });
  const hash = createHash("sha256");
  for (const piece of file.chunks()) hash.update(piece);
  const digest = hash.digest("hex");
  const weights = weightsFileName(name, digest);
  const jsonPath = join(dir, `${name}.json`);
  const previous = committedWeights(jsonPath);
  write(join(dir, weights), file);
  const full: CheckpointMeta = { format: "lavisc-checkpoint", version: 1, weights, weightsSha256: digest, ...meta };
  try {
    write(jsonPath, JSON.stringify(full, null, 2) + "\n");
  } catch (e) {
    if (weights !== previous) removeQuietly(join(dir, weights)); // the previous checkpoint stays the committed one
    throw e;
  }
  removeStaleWeights(dir, name, weights);
  return jsonPath;
}

/** `<name>.<first 16 hex digits of the sha256>.safetensors`: a new content never overwrites the committed file. */
export function weightsFileName(name: string, digest: string): string {
  return `${name}.${digest.slice(0, 16)}.safetensors`;
}

function committedWeights(jsonPath: string): string | null {
  try {
    const w = (JSON.parse(readFileSync(jsonPath, "utf8")) as { weights?: unknown }).weights;
    return typeof w === "string" ? w : null;
  } catch {
    return null;
  }
}

/** Weights files of this checkpoint name that its JSON no longer names (left by an earlier save or a crash). */
function removeStaleWeights(dir: string, name: string, keep: string): void {
  const ours = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[0-9a-f]{16}\\.safetensors$`);
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return; }
  for (const f of names) if (f !== keep && ours.test(f)) removeQuietly(join(dir, f));
}

function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* already gone; nothing depends on it */ }
}

/** Accepts `x.json`, `x.safetensors` or the bare `x` (checkpointLocation.ts); errors are user-facing messages. */
export function loadCheckpoint(path: string): { ok: true; ckpt: LoadedCheckpoint } | { ok: false; error: string } {
  const at = locateCheckpoint(path);
  if (at.kind === "missing" || at.kind === "pytorch") return { ok: false, error: at.error };
  let meta: CheckpointMeta | null = null;
  let stPath = at.kind === "weights" ? at.path : "";
  const jsonPath = at.kind === "lavisc" ? at.jsonPath : "";
  if (at.kind === "lavisc") {
    const read = loadCheckpointMeta(jsonPath);
    if (typeof read === "string") return { ok: false, error: read };
    meta = read;
    stPath = join(dirname(jsonPath), meta.weights);
  }
  if (!isFile(stPath)) return { ok: false, error: `checkpoint weights ${stPath} not found` };
  if (meta && sha256File(stPath) !== meta.weightsSha256) {
    return { ok: false, error: `checkpoint weights ${stPath} do not match the sha256 recorded in ${jsonPath} (corrupt or replaced file)` };
  }
  const decoded = readSafetensorsFile(stPath);
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

/**
 * The JSON half, checked enough to be followed safely: its `weights` names a file in the checkpoint's own folder, and
 * every field a resume acts on holds what lavisc writes there.
 */
export function loadCheckpointMeta(jsonPath: string): CheckpointMeta | string {
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(jsonPath, "utf8")) as CheckpointMeta;
  } catch (e) {
    return `checkpoint ${jsonPath} is not valid JSON (${(e as Error).message})`;
  }
  if (typeof meta !== "object" || meta === null || meta.format !== "lavisc-checkpoint") return `${jsonPath} is not a lavisc checkpoint`;
  const w: unknown = meta.weights;
  const folder = dirname(jsonPath);
  if (typeof w !== "string" || w !== basename(w) || w === "" || w === "." || w === ".." || /[\\/]/.test(w) || !isInside(folder, join(folder, w))) {
    return `checkpoint ${jsonPath}: its "weights" field ${JSON.stringify(w)} must name a file in the checkpoint's own folder (${folder}); lavisc does not follow it anywhere else`;
  }
  return checkpointFieldProblem(jsonPath, meta as unknown as Record<string, unknown>) ?? meta;
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}
