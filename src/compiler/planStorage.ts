// `lavisc plan`'s storage section: which annotation files exist (used as they are), which would be downloaded and from
// where, which a run would refuse to write; where the run writes (and whether that is outside the working directory);
// the weights' source; and how much disk the checkpoints and logs take, against the space that is free there.
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { RunSpec } from "../runtime/runSpec.js";
import { annotationAction, outsideRootMessage, weightsCachePath, weightsUrlProblem } from "../runtime/data/cache.js";
import { shadowedLocalUrl, shadowedUrlMessage } from "../runtime/data/shadowedUrl.js";
import { freeBytes, byteSize } from "../storage/index.js";
import { storagePath, storageRootOf } from "./annotationStats.js";
import { builtinDataState, dataParamsText } from "../data/index.js";
import { generatorOf } from "../data/generators.js";
import { splitStatsCacheDir } from "./annotationStatsCache.js";
import { queueElements, type ParamEstimate } from "./paramCount.js";

export interface AnnotationFilePlan {
  readonly dataset: string;
  readonly split: string;
  readonly path: string;
  /** exists: used as it is; download: fetched from `url`; prepare: made by `lavisc data prepare`; missing; outside-root: refused. */
  readonly action: "exists" | "download" | "prepare" | "missing" | "outside-root";
  readonly url?: string;
  readonly note?: string;
}

/** A built-in dataset the run reads, as the run will find it (data/datasetForRun.ts, the run's own decision). */
export interface BuiltinDataPlan {
  readonly name: string;
  readonly folder: string;
  /** use: prepared, read as it is; prepare: made on the first run; other-version: the run stops (`note` says why). */
  readonly action: "use" | "prepare" | "other-version";
  readonly generatorVersion: number;
  /** The parameters it was (or will be) made with: seed, counts, image size. */
  readonly params: Record<string, unknown>;
  readonly note?: string;
}

export interface StoragePlan {
  readonly builtinData: readonly BuiltinDataPlan[];
  readonly annotations: readonly AnnotationFilePlan[];
  /** Where the split sizes counted in the local annotation files are kept (annotationStatsCache.ts); null when none exists. */
  readonly splitSizeCache: string | null;
  readonly output: { readonly dir: string; readonly outsideWorkingDirectory: boolean; readonly freeBytes: number | null };
  readonly weights: { readonly location: string; readonly action: "local" | "download" | "refused" | "pytorch" | "from-project"; readonly path?: string; readonly sha256: string | null; readonly note?: string } | null;
  /** null when the model's size is not modelled. */
  readonly checkpointBytes: number | null;
  /** True when the vocabulary is built from the training texts (no vocab_file): then vocab_size, and this size, are upper bounds. */
  readonly checkpointBytesAtMost: boolean;
  /** Null, as logBytes, when the run never ends (LV5014: its length is beyond counting). */
  readonly checkpointFiles: number | null;
  readonly logBytes: number | null;
}

export interface StoragePlanOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The run's length is beyond counting (LV5014): its checkpoints and log have no count. */
  readonly endless?: boolean;
  /** The first epoch the run trains (a resumed run's; default 0): its checkpoints are counted from there. */
  readonly fromEpoch?: number;
}

export function planStorage(run: RunSpec, params: ParamEstimate | null, opts: StoragePlanOptions = {}): StoragePlan {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const dir = resolve(cwd, run.outputDir);
  const rel = relative(cwd, dir);
  const annotations = annotationPlans(run, env);
  return {
    builtinData: builtinDataPlans(run, env),
    annotations,
    // Where the counts really go: the process's own cache folder, whatever `env` the plan was asked for.
    splitSizeCache: annotations.some((a) => a.action === "exists") ? splitStatsCacheDir() : null,
    output: { dir, outsideWorkingDirectory: rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel), freeBytes: freeBytes(existingAncestor(dir)) },
    weights: weightsPlan(run, cwd, env),
    checkpointBytes: params ? checkpointBytes(run, params) : null,
    checkpointBytesAtMost: typeof run.model.config["vocab_file"] !== "string",
    checkpointFiles: opts.endless ? null : checkpointFileCount(run, opts.fromEpoch ?? 0),
    logBytes: opts.endless ? null : logBytes(run),
  };
}

function annotationPlans(run: RunSpec, env: NodeJS.ProcessEnv): AnnotationFilePlan[] {
  const used = new Set(run.evaluate ? run.testSplits : [...run.trainSplits, ...run.validSplits, ...run.testSplits]);
  const out: AnnotationFilePlan[] = [];
  for (const ds of run.datasets) {
    const root = storageRootOf(ds, env);
    for (const s of ds.splits) {
      if (!used.has(s.split)) continue;
      for (const src of s.annotations) {
        const a = annotationAction(root, src, storagePath(ds, src.storage, env));
        const at = { dataset: ds.name, split: s.split, path: a.path };
        if (a.kind === "missing" && ds.prepare) out.push({ ...at, action: "prepare", note: `made by \`lavisc data prepare ${ds.prepare}\` on the first run` });
        else if (a.kind === "outside-root") out.push({ ...at, action: a.kind, url: a.url, note: outsideRootMessage(a) });
        else if (a.kind === "exists" && shadowedLocalUrl(src.url, a.path)) out.push({ ...at, action: a.kind, note: `${shadowedUrlMessage(src.url!, a.path)}; move ${a.path} away to use the url's file` });
        else out.push({ ...at, action: a.kind, ...(a.kind === "download" ? { url: a.url } : {}) });
      }
    }
  }
  return out;
}

function builtinDataPlans(run: RunSpec, env: NodeJS.ProcessEnv): BuiltinDataPlan[] {
  const roots = new Map(run.datasets.flatMap((ds) => (ds.prepare ? [[ds.prepare, storageRootOf(ds, env)] as const] : [])));
  return [...roots].map(([name, root]) => {
    const s = builtinDataState(name, root);
    if (s.kind === "absent") return { name, folder: s.folder, action: "prepare", generatorVersion: generatorOf(name).version, params: s.params };
    const at = { name, folder: s.folder, generatorVersion: s.manifest.generatorVersion, params: s.manifest.params };
    return s.kind === "prepared" ? { ...at, action: "use" } : { ...at, action: "other-version", note: s.message };
  });
}

function weightsPlan(run: RunSpec, cwd: string, env: NodeJS.ProcessEnv): StoragePlan["weights"] {
  const location = run.model.loadWeights;
  if (!location && run.model.weightsFrom) {
    return { location: `best checkpoint of ${run.model.weightsFrom}`, action: "from-project", sha256: null, note: "no run of that project has written checkpoint_best.json yet: `lavisc run` runs it first (model.finetuned_from)" };
  }
  if (!location) return null;
  const sha256 = run.model.loadWeightsSha256 ?? null;
  if (!/^(https?|file):/i.test(location)) return { location, action: "local", path: resolve(cwd, location), sha256 };
  if (/\.(pth|pt|bin)$/i.test(new URL(location).pathname)) return { location, action: "pytorch", sha256, note: "a PyTorch pickle: lavisc cannot read it; see docs/checkpoints.md for the conversion" };
  const refused = weightsUrlProblem(location, false);
  if (refused) return { location, action: "refused", sha256, note: refused };
  const path = weightsCachePath(location, env);
  return path ? { location, action: "download", path, sha256 } : { location, action: "refused", sha256, note: "lavisc downloads .safetensors weights only" };
}

/** Weights, momentum encoders and queues plus AdamW's two moments of the trainable ones, float32; the JSON's vocabulary. */
function checkpointBytes(run: RunSpec, p: ParamEstimate): number {
  const queue = queueElements(run.model.arch, run.model.config, p.sizes);
  return 4 * (p.total + 2 * p.trainable + queue) + 10 * p.sizes.vocab + JSON.stringify(run.config).length;
}

/**
 * Whether a training run writes checkpoint_best: the runner keeps the best agg_metrics of one validation split, its
 * `best_split` (val for LAVIS's RunnerBase and RunnerIter), so validating other splits keeps none (LAVIS#791). A runner
 * whose rule is unknown is taken to keep one when it validates.
 */
export function keepsBestCheckpoint(run: RunSpec): boolean {
  return !run.evaluate && run.validSplits.length > 0 && (run.bestSplit == null || run.validSplits.includes(run.bestSplit));
}

/**
 * The checkpoint an epoch's end writes besides checkpoint_best (null: none), by LAVIS's runners: runner_iter every
 * inner epoch when it has no validation splits (it validates every inner epoch otherwise, and saves none); the epoch
 * runner an epoch without validation, one at save_freq, and the last with save_last.
 */
export function epochCheckpoint(run: RunSpec, e: number): string | null {
  if (run.evaluate) return null;
  if (run.runner === "runner_iter") return run.validSplits.length ? null : `checkpoint_${(e + 1) * (run.itersPerInnerEpoch ?? 0)}`;
  const validated = run.validSplits.length > 0 && e % Math.max(1, run.valFreq) === 0;
  if (!validated || (run.saveFreq > 0 && e % run.saveFreq === 0)) return `checkpoint_${e}`;
  return run.saveLast && e === run.maxEpoch - 1 ? `checkpoint_${e}` : null;
}

/**
 * How many checkpoint files a run keeps (each name once; checkpoint_best is replaced in place), counted rather than
 * listed: `max_epoch` may be 10^12 (a run meant to be stopped by hand), and `plan` must still answer at once. `from`:
 * the first epoch the run trains (a resumed run's; 0 otherwise).
 */
export function checkpointFileCount(run: RunSpec, from = 0): number {
  if (run.evaluate) return 0;
  const best = keepsBestCheckpoint(run) ? 1 : 0;
  const epochs = Math.max(0, Math.ceil(run.maxEpoch));
  const start = Math.min(Math.max(0, Math.floor(from)), epochs);
  if (epochs === 0) return best;
  // A resume after the last epoch trains nothing (it only tests): it writes no checkpoint.
  if (start === epochs) return 0;
  if (run.runner === "runner_iter") return best + (run.validSplits.length ? 0 : (run.itersPerInnerEpoch ?? 0) === 0 ? 1 : epochs - start);
  if (!run.validSplits.length) return best + epochs - start;
  const multiples = (k: number) => Math.ceil(epochs / k) - Math.ceil(start / k); // of k in [start, epochs)
  const valFreq = Math.max(1, run.valFreq);
  const unvalidated = epochs - start - multiples(valFreq);
  const savedAtValidation = run.saveFreq > 0 ? multiples(lcm(valFreq, run.saveFreq)) : 0;
  const last = epochs - 1;
  const lastByRule = last % valFreq !== 0 || (run.saveFreq > 0 && last % run.saveFreq === 0);
  return best + unvalidated + savedAtValidation + (run.saveLast && !lastByRule ? 1 : 0);
}

function lcm(a: number, b: number): number {
  let x = a, y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** log.txt: the config (indent 4), a train line per epoch and a line per validation split. */
function logBytes(run: RunSpec): number {
  return JSON.stringify(run.config, null, 4).length + (run.evaluate ? 0 : run.maxEpoch * (160 + 300 * run.validSplits.length));
}

function existingAncestor(path: string): string {
  let p = path;
  for (;;) {
    if (freeBytes(p) !== null) return p;
    const up = resolve(p, "..");
    if (up === p) return p;
    p = up;
  }
}

const ACTION_TEXT: Record<AnnotationFilePlan["action"], string> = {
  exists: "exists, used as it is (md5 not checked, as LAVIS)",
  download: "would be downloaded",
  prepare: "would be generated",
  missing: "missing, and no url to download it from",
  "outside-root": "refused",
};

const BUILTIN_ACTION_TEXT: Record<BuiltinDataPlan["action"], string> = {
  use: "prepared, used as it is",
  prepare: "would be prepared by the first run",
  "other-version": "prepared by another version of its generator; the run stops",
};

/** The text lines of the storage section. */
export function renderStorage(s: StoragePlan): string[] {
  const out: string[] = ["", "storage"];
  if (s.builtinData.length) out.push("  built-in data:");
  for (const d of s.builtinData) {
    out.push(`    ${d.name}: ${d.folder}: ${BUILTIN_ACTION_TEXT[d.action]} (version ${d.generatorVersion}, ${dataParamsText(d.params)})`);
    if (d.note) out.push(`      ${d.note}`);
  }
  if (s.annotations.length) out.push("  annotation files:");
  for (const a of s.annotations) {
    out.push(`    ${a.dataset}/${a.split}: ${a.path}: ${ACTION_TEXT[a.action]}${a.action === "download" ? ` from ${a.url}` : ""}`);
    if (a.note && a.action !== "download") out.push(`      ${a.note}`);
  }
  if (s.splitSizeCache) out.push(`  split sizes: counted in the local annotation files once and kept in ${s.splitSizeCache} (counted again when a file changes)`);
  const w = s.weights;
  if (w) {
    const how = w.action === "download" ? `downloaded once into ${w.path}` : w.action === "local" ? `read from ${w.path}` : w.note!;
    out.push(`  weights ${w.location}: ${how}${w.action === "download" || w.action === "local" ? (w.sha256 ? `; checked against sha256 ${w.sha256.slice(0, 12)}… before use` : "; sha256 not pinned (set finetuned_sha256 / pretrained_sha256 to verify)") : ""}`);
  }
  out.push(`  output_dir ${s.output.dir}${s.output.outsideWorkingDirectory ? ": outside the working directory; written because the experiment's output_dir asks for it" : ""}`);
  if (s.checkpointFiles === null) out.push("  checkpoints and log.txt: without bound (the run never ends: LV5014)");
  if (s.checkpointFiles) {
    const each = s.checkpointBytes;
    out.push(`  checkpoints: ${s.checkpointFiles} file(s)${each === null ? " (size unknown: lavisc does not model this architecture)" : `, ${s.checkpointBytesAtMost ? "at most" : "about"} ${byteSize(each)} each, ${byteSize(each * s.checkpointFiles)} in all (float32 weights and AdamW moments${s.checkpointBytesAtMost ? "; the vocabulary built from the training texts may be smaller than vocab_size" : ""})`}`);
  }
  if (s.logBytes !== null) out.push(`  log.txt: about ${byteSize(s.logBytes)}`);
  if (s.output.freeBytes !== null && s.logBytes !== null) {
    const need = (s.checkpointBytes ?? 0) * (s.checkpointFiles ?? 0) + s.logBytes;
    out.push(`  free on that disk: ${byteSize(s.output.freeBytes)}${need > s.output.freeBytes ? ` — less than the ${byteSize(need)} the run writes; free space or choose another output_dir` : ""}`);
  }
  return out;
}
