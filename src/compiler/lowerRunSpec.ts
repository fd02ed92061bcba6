// Lowers the resolved experiment (LAVIS's {model, preprocess, datasets, run}) to the runtime's RunSpec, recording every
// input that was needed but absent so the graph validation can report it at the right place.
import { isAbsolute, join } from "node:path";
import { TFJS_ARCHS, TFJS_DATA_TYPES, TFJS_RUNNERS, TFJS_SCHEDULERS, type Backend, type DatasetSpec, type ProcessorSpec, type RunSpec, type ScheduleSpec, type SplitSource } from "../runtime/runSpec.js";
import { innerEpochs } from "../runtime/innerEpochs.js";
import type { Registry } from "../semantic/registry.js";
import { declaredByStdlib, generateFixed, pretrainedAlways, retrievalEvalTxtLen, retrievalScoreFill, runnerAdamW, runnerBestSplit, runnerEvaluationNames, runnerTestWeights, taskFacts, trainAnswers, vqaMatchScoring } from "../semantic/facts.js";

export type Plain = Record<string, unknown>;

/** A value the tfjs engine cannot execute (a scheduler, runner, arch or data type it does not implement); LAVIS may. */
export interface UnsupportedInput {
  readonly path: string;
  readonly value: string;
  readonly supported: readonly string[];
  /**
   * loop: a runner or scheduler (LV5013, which `check` warns about too); model: an arch the runtime's model registry
   * lacks; data: a dataset's data_type other than images (LV5016 for both, only where the tfjs engine is chosen).
   */
  readonly kind: "loop" | "model" | "data";
}

/** An input the run needs that the experiment does not give. */
export interface MissingInput {
  readonly path: string;
  /** What it is needed for, as a clause: "train (runner_base reads it)". */
  readonly purpose: string;
}

export interface LowerOptions {
  /**
   * LAVIS's `cache_root`: where relative `storage` paths of annotations and images live. Absent: relative paths stay
   * relative in the graph (portable), and the runtime's download cache is used for annotations.
   */
  readonly storageRoot?: string;
  /** Root of lavisc's built-in datasets (builders with `prepare`), `$LAVISC_DATA`; absent: relative paths stay relative. */
  readonly dataRoot?: string;
  /**
   * The command's environment (its host's): with relative paths left relative, the graph's rules count local
   * annotation files under its $LAVISC_DATA and $LAVISC_CACHE. Absent: the process's.
   */
  readonly env?: NodeJS.ProcessEnv;
}

export const isMap = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const strOf = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export class RunSpecLowering {
  readonly missing: MissingInput[] = [];
  readonly unsupported: UnsupportedInput[] = [];
  private readonly run: Plain;

  /** `generates`: the task's evaluation generates text (its stdlib `generates`, evaluated on the experiment). */
  constructor(private readonly config: Plain, private readonly reg: Registry, private readonly opts: LowerOptions, private readonly generates = false) {
    this.run = isMap(config["run"]) ? config["run"] : {};
  }

  get training(): boolean {
    return this.run["evaluate"] !== true;
  }

  private need(key: string, purpose: string, ok: (v: unknown) => boolean): unknown {
    const v = this.run[key];
    if (!ok(v)) this.missing.push({ path: `run.${key}`, purpose });
    return v;
  }

  /** The runner's stdlib `evaluation_names` (a fork's runner: RunnerBase's, `runnerEvaluationNames`). */
  private evaluationNames(runner: string): RunSpec["evaluationNames"] {
    const names = runnerEvaluationNames(this.reg, runner);
    if (!names) throw new Error("the stdlib declares no evaluation_names for runner_base (stdlib/training.lv)");
    return names;
  }

  lower(): RunSpec {
    const run = this.run;
    const task = strOf(run["task"]) ?? "";
    // The names as written, never replaced by another: one the tfjs engine lacks is reported (LV5013).
    const runner = this.supported("runner", strOf(run["runner"]) ?? "runner_base", TFJS_RUNNERS, "loop");
    const adamw = runnerAdamW(this.reg, runner);
    if (!adamw) throw new Error("the stdlib declares no adamw { beta1, eps, no_decay_below_ndim, no_decay_names } for runner_base (stdlib/training.lv)");
    const train = this.training;
    const maxIters = runner === "runner_iter" ? num(this.need("max_iters", "runner_iter's training length", (v) => !train || num(v) !== null)) : null;
    const itersPerInnerEpoch = runner === "runner_iter" ? num(this.need("iters_per_inner_epoch", "runner_iter's inner epochs", (v) => !train || num(v) !== null)) : null;
    // runner_iter derives its inner epochs and the scheduler's max_epoch, one fewer when max_iters is not a multiple
    // (../runtime/innerEpochs.ts); a missing max_iters is reported once, for itself.
    const inner = runner === "runner_iter" && maxIters !== null && itersPerInnerEpoch ? innerEpochs(maxIters, itersPerInnerEpoch) : null;
    const maxEpoch = runner === "runner_iter"
      ? (inner?.run ?? 1)
      : (num(this.need("max_epoch", "the training loop and the lr schedule", (v) => !train || num(v) !== null)) ?? 1);
    const batchSizeTrain = num(this.need("batch_size_train", "the training loader", (v) => !train || num(v) !== null)) ?? 1;
    const batchSizeEval = num(this.need("batch_size_eval", "the evaluation loaders", (v) => num(v) !== null)) ?? 1;
    const outputDir = strOf(this.need("output_dir", "the job folder (log.txt, checkpoints, results)", (v) => typeof v === "string")) ?? "output";
    const seed = num(this.need("seed", "seeding the run", (v) => num(v) !== null)) ?? 0;
    const ratios = isMap(run["train_dataset_ratios"]) ? Object.fromEntries(Object.entries(run["train_dataset_ratios"]).filter((e): e is [string, number] => typeof e[1] === "number")) : null;
    // The runtime gets the resolved value of every key the task reads (stdlib `reads`), defaults included; where the
    // task generates, the values the arch's generate uses whatever the recipe says (`generate_fixed`) replace them.
    const taskParams: Plain = {};
    for (const k of [...this.taskReads(task)].sort()) if (run[k] !== undefined) taskParams[k] = run[k];
    if (this.generates) for (const f of generateFixed(this.reg, strOf(isMap(this.config["model"]) ? this.config["model"]["arch"] : null) ?? "")) taskParams[f.key] = f.value;
    const scoring = vqaMatchScoring(this.reg, task);

    return {
      version: 1,
      task,
      runner,
      backend: backendOf(run["device"]),
      seed,
      model: this.model(),
      datasets: this.datasets(task),
      // LAVIS's AdamW: the runner's (stdlib `adamw`: beta1, torch's eps, the parameters without weight decay) with
      // the recipe's beta2 and weight decay.
      optimizer: {
        name: "adamw", weightDecay: this.number("weight_decay", "AdamW's weight decay"), betas: [adamw.beta1, this.number("beta2", "AdamW's second-moment coefficient")], eps: adamw.eps,
        noDecay: adamw.noDecay,
      },
      schedule: this.schedule(inner ? inner.scheduled : maxEpoch),
      batchSizeTrain,
      batchSizeEval,
      accumGradIters: this.number("accum_grad_iters", "gradient accumulation"),
      maxEpoch,
      maxIters,
      itersPerInnerEpoch,
      trainDatasetRatios: ratios,
      trainSplits: strList(run["train_splits"]),
      validSplits: strList(run["valid_splits"]),
      testSplits: strList(run["test_splits"]),
      evaluate: !train,
      // Null only when evaluating (a stdlib check), where no validation runs.
      valFreq: num(run["val_freq"]) ?? 1,
      bestSplit: runnerBestSplit(this.reg, strOf(run["runner"]) ?? "runner_base"),
      testWeights: runnerTestWeights(this.reg, strOf(run["runner"]) ?? "runner_base"),
      evaluationNames: this.evaluationNames(strOf(run["runner"]) ?? "runner_base"),
      saveFreq: this.number("save_freq", "the checkpoint schedule"),
      saveLast: this.need("save_last", "the checkpoint after the last epoch", (v) => !train || typeof v === "boolean") !== false,
      logFreq: this.number("log_freq", "the training log"),
      // torch.distributed's world: data-parallel replicas on the tfjs engine (run.distributed = false: one).
      worldSize: run["distributed"] === false ? 1 : Math.max(1, Math.trunc(num(run["world_size"]) ?? 1)),
      useDistEvalSampler: run["use_dist_eval_sampler"] !== false,
      outputDir,
      resumeCkptPath: strOf(run["resume_ckpt_path"]),
      ...(scoring ? { vqaScoring: { accuracy: "matches" as const, ...scoring } } : {}),
      taskParams,
      config: lavisConfig(this.config),
    };
  }

  /** A number training reads (the stdlib declares its default, so it is absent only when the stdlib lost it). */
  private number(key: string, purpose: string): number {
    return num(this.need(key, purpose, (v) => !this.training || num(v) !== null)) ?? 0;
  }

  /** `key` is a path below `run` (a runner, a scheduler), or a whole path (`model.arch`). */
  private supported(key: string, value: string, supported: readonly string[], kind: UnsupportedInput["kind"]): string {
    if (!supported.includes(value)) this.unsupported.push({ path: kind === "loop" ? `run.${key}` : key, value, supported, kind });
    return value;
  }



  private taskReads(task: string): readonly string[] {
    const entry = this.reg.tasks.get(task);
    return entry ? this.reg.metaNames(entry, "reads") ?? [] : [];
  }

  private schedule(maxEpoch: number): ScheduleSpec {
    const run = this.run;
    const train = this.training;
    const name = strOf(this.need("lr_sched", "the lr schedule", (v) => !train || typeof v === "string")) ?? "linear_warmup_cosine_lr";
    const initLr = num(this.need("init_lr", "the optimizer and the lr schedule", (v) => !train || num(v) !== null)) ?? 0;
    const minLr = num(this.need("min_lr", "the lr schedule (LAVIS reads it for every scheduler)", (v) => !train || num(v) !== null)) ?? 0;
    const warmup = num(run["warmup_lr"]) ?? -1;
    const decayRate = num(run["lr_decay_rate"]);
    return {
      name: train ? this.supported("lr_sched", name, TFJS_SCHEDULERS, "loop") : name,
      initLr,
      minLr,
      // LAVIS: a negative warmup_lr (the default -1) starts the warm-up at init_lr.
      warmupLr: warmup >= 0 ? warmup : initLr,
      warmupSteps: this.number("warmup_steps", "the lr warm-up"),
      decayRate,
      maxEpoch,
    };
  }

  model(): RunSpec["model"] {
    const m = isMap(this.config["model"]) ? this.config["model"] : {};
    const w = weightsOf(m, pretrainedAlways(this.reg, strOf(m["arch"]), strOf(this.run["task"])));
    const sha256 = w.key ? strOf(m[`${w.key}_sha256`]) : null;
    // `finetuned` set explicitly (e.g. --set model.finetuned=...) wins over finetuned_from.
    const from = w.key === "finetuned" && !w.path ? strOf(m["finetuned_from"]) : null;
    const evalTxtLen = retrievalEvalTxtLen(this.reg, strOf(m["arch"]) ?? "");
    const scoreFill = retrievalScoreFill(this.reg, strOf(m["arch"]) ?? "");
    // An arch the runtime's model registry lacks (an unknown name is the checker's LV2xxx, reported at the same path).
    if (strOf(m["arch"])) this.supported("model.arch", strOf(m["arch"])!, TFJS_ARCHS, "model");
    return {
      arch: strOf(m["arch"]) ?? "", modelType: strOf(m["model_type"]) ?? "", config: m, loadWeights: from ? null : w.path,
      ...(w.path && w.key ? { loadWeightsKey: w.key } : {}),
      ...(sha256 ? { loadWeightsSha256: sha256 } : {}), ...(from ? { weightsFrom: from } : {}),
      ...(evalTxtLen !== null ? { retrievalEvalTxtLen: evalTxtLen } : {}),
      ...(scoreFill !== null ? { retrievalScoreFill: scoreFill } : {}),
      ...(this.reg.archs.has(strOf(m["arch"]) ?? "") && !declaredByStdlib(this.reg.archs.get(strOf(m["arch"]) ?? "")) ? { weightsByOwnCode: true as const } : {}),
    };
  }

  private datasets(task: string): DatasetSpec[] {
    const all = isMap(this.config["datasets"]) ? this.config["datasets"] : {};
    return Object.entries(all).flatMap(([name, cfg]) => (isMap(cfg) ? [this.dataset(name, cfg, task)] : []));
  }

  private dataset(name: string, cfg: Plain, task: string): DatasetSpec {
    const bi = isMap(cfg["build_info"]) ? cfg["build_info"] : {};
    const dataType = dataTypeOf(cfg["data_type"], bi);
    this.supported(`datasets.${name}.data_type`, dataType, TFJS_DATA_TYPES, "data");
    const media = isMap(bi[dataType]) ? bi[dataType] : isMap(bi["images"]) ? bi["images"] : {};
    const mediaStorage = strOf(media["storage"]) ?? "";
    const ann = isMap(bi["annotations"]) ? bi["annotations"] : {};
    // Datasets without annotation files (image folders) name their splits in build_info.splits.
    const splits: SplitSource[] = isMap(bi["annotations"])
      ? Object.entries(ann).map(([split, s]) => ({ split, annotations: annotationFiles(s) }))
      : strList(bi["splits"]).map((split) => ({ split, annotations: [] }));
    const entry = this.reg.builders.get(name);
    const prepare = entry ? this.reg.metaString(entry, "prepare") : null;
    const declared = entry ? this.reg.metaString(entry, "format") : null;
    const root = prepare ? this.opts.dataRoot : this.opts.storageRoot;
    const answers = trainAnswers(this.reg, name);
    return {
      name,
      builder: name,
      type: strOf(cfg["type"]) ?? "default",
      dataType,
      format: (declared ?? taskFacts(this.reg, task).format ?? this.servedFormat(entry) ?? "caption") as DatasetSpec["format"],
      ...(answers ? { trainAnswers: answers } : {}),
      imageRoot: root && mediaStorage && !isAbsolute(mediaStorage) ? join(root, mediaStorage) : mediaStorage,
      ...(root ? { storageRoot: root } : {}),
      ...(prepare ? { prepare } : {}),
      splits,
      visProcessor: this.processors(cfg["vis_processor"]),
      textProcessor: this.processors(cfg["text_processor"]),
    };
  }

  /** The annotation format of the first task the builder serves (its stdlib `tasks`), for a task without its own. */
  private servedFormat(entry: ReturnType<Registry["builders"]["get"]>): string | null {
    for (const t of (entry && this.reg.metaNames(entry, "tasks")) ?? []) {
      const f = taskFacts(this.reg, t).format;
      if (f) return f;
    }
    return null;
  }

  private processors(slot: unknown): { train?: ProcessorSpec; eval?: ProcessorSpec } {
    if (!isMap(slot)) return {};
    const out: { train?: ProcessorSpec; eval?: ProcessorSpec } = {};
    for (const k of ["train", "eval"] as const) {
      const p = processorSpec(slot[k], this.reg);
      if (p) out[k] = p;
    }
    return out;
  }
}

/**
 * The weights LAVIS loads: `load_checkpoint_from_config`'s finetuned weights when `load_finetuned` (default true), else
 * pretrained ones when `load_pretrained`; or, for an arch whose from_config loads `pretrained` itself whenever it is set
 * (`loadsPretrainedItself`, facts.ts), those, whatever the flags say (`finetuned_from`, lavisc's own, still counts).
 */
export function weightsOf(m: Plain, pretrainedAlways = false): { key: "finetuned" | "pretrained" | null; path: string | null } {
  if (pretrainedAlways && !strOf(m["finetuned_from"])) return strOf(m["pretrained"]) ? { key: "pretrained", path: strOf(m["pretrained"]) } : { key: null, path: null };
  if (m["load_finetuned"] !== false) return { key: "finetuned", path: strOf(m["finetuned"]) };
  if (m["load_pretrained"] !== false && strOf(m["pretrained"])) return { key: "pretrained", path: strOf(m["pretrained"]) };
  return { key: null, path: null };
}

/** A processor slot: a map with `name` and its parameters, or a bare name whose parameters take the stdlib defaults. */
export function processorSpec(v: unknown, reg: Registry): ProcessorSpec | null {
  if (typeof v === "string") return { name: v, params: literalDefaults(v, reg) };
  if (!isMap(v) || typeof v["name"] !== "string") return null;
  const params: Plain = { ...literalDefaults(v["name"], reg) };
  for (const [k, x] of Object.entries(v)) if (k !== "name") params[k] = x;
  return { name: v["name"], params };
}

function literalDefaults(name: string, reg: Registry): Plain {
  const out: Plain = {};
  for (const [k, f] of reg.processors.get(name)?.schema.fields ?? []) {
    const d = f.default;
    if (!d) continue;
    if (d.kind === "StringLit" || d.kind === "IntLit" || d.kind === "FloatLit" || d.kind === "BoolLit") out[k] = d.value;
    else if (d.kind === "NullLit") out[k] = null;
  }
  return out;
}

/** LAVIS zips `url` and `storage` lists positionally; a single entry may be written without a list. */
function annotationFiles(s: unknown): SplitSource["annotations"] {
  if (!isMap(s)) return [];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  const urls = list(s["url"]), storages = list(s["storage"]), md5s = list(s["md5"]), shas = list(s["sha256"]);
  return storages.map((storage, i) => ({
    storage: String(storage),
    ...(typeof urls[i] === "string" ? { url: urls[i] as string } : {}),
    ...(typeof md5s[i] === "string" ? { md5: md5s[i] as string } : {}),
    ...(typeof shas[i] === "string" ? { sha256: shas[i] as string } : {}),
  }));
}

/** `data_type` as written (a list joins with "+"); absent: the media key of build_info, else "unknown". */
function dataTypeOf(v: unknown, bi: Plain): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.length) return v.map(String).join("+");
  return ["images", "videos", "features", "audio"].find((k) => isMap(bi[k])) ?? "unknown";
}

/** The stdlib's `Device` names are the runtime's; the checker reports any other (LV2036) and the runtime refuses it. */
function backendOf(device: unknown): Backend {
  return (typeof device === "string" ? device : "cuda") as Backend;
}

/** LAVIS's merged config sections in LAVIS's order (Config drops every other top-level section). */
export function lavisConfig(config: Plain): Plain {
  const out: Plain = {};
  for (const k of ["model", "preprocess", "datasets", "run"]) if (config[k] !== undefined) out[k] = config[k];
  return out;
}
