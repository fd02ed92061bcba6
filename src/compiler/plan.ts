// `lavisc plan`: what a run would do, computed from the graph without running anything — backend, steps, the lr
// at the epoch boundaries, model size and memory, weights, outputs and evaluation.
import type { Graph } from "./graph.js";
import { splitStats, readLocalFile, type FileReader } from "./annotationStats.js";
import { lrPreview, type LrPreview } from "./schedule.js";
import { TFJS_SCHEDULERS, type MetricsNotComputed, type RunSpec } from "../runtime/runSpec.js";
import { diag } from "../diagnostics/diagnostic.js";
import { estimateParams, estimateTrainMemory, type MemoryEstimate, type ParamEstimate } from "./paramCount.js";
import { planDevice, type DevicePlan } from "./planDevice.js";
import { packageInstalled } from "../runtime/backend/packages.js";
import type { DeviceProbe } from "../runtime/backend/deviceChoice.js";
import { planStorage, type StoragePlan } from "./planStorage.js";
import { planOutputs, type OutputsPlan } from "./planOutputs.js";
import { planResume, type ResumePlan } from "./planResume.js";
import { evalSharing } from "../runtime/replicas/evalSharing.js";
import { planDropout, type DropoutPlan } from "./planDropout.js";
import { gib, planReplicas, thisMachine, type Machine, type ReplicasPlan } from "./planReplicas.js";
import { lengthBeyondCounting, loaderPass, MAX_STEPS, stepsPerEpoch, trainRecords } from "./trainingLength.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { decodingPlan, vocabularyPlan } from "./planSetup.js";

export interface StepsPlan {
  /** Training records per dataset (null: not local). */
  readonly trainRecords: Readonly<Record<string, number | null>>;
  readonly perEpoch: number | null;
  readonly total: number | null;
  /** Formula when the sizes are not known, e.g. `floor(N_train / 32)`. */
  readonly perEpochText: string;
  readonly totalText: string;
  readonly epochs: number;
  /** LV5014 when the steps are beyond counting (then total is null, and lr and the checkpoints' count unknown). */
  readonly lengthError: PlanWarning | null;
}

export interface Plan {
  readonly name: string;
  readonly task: string;
  readonly mode: "train" | "evaluate";
  readonly backend: DevicePlan;
  readonly steps: StepsPlan | null;
  /** The training loop and lr scheduler as written (one the tfjs engine lacks is an LV5013 error, never replaced). */
  readonly runner: string;
  readonly scheduler: string;
  /** Null when evaluating, or when the tfjs engine does not implement the scheduler. */
  readonly lr: LrPreview | null;
  readonly model: {
    readonly arch: string; readonly modelType: string; readonly params: ParamEstimate | null; readonly memory: MemoryEstimate | null;
    /** LV6005 when one replica's training step needs more than the machine's memory (LV6004 says it for several). */
    readonly memoryWarning: PlanWarning | null;
    readonly weights: string | null;
    /** Where the tokenizer's vocabulary comes from, in words (planSetup.ts). */
    readonly vocabulary: string;
    /** The training forward pass's dropout and drop-path rates (null when evaluating, or for an arch without them). */
    readonly dropout: DropoutPlan | null;
  };
  /** How many threads decode the images, in words, and that `run.num_workers` is LAVIS's (planSetup.ts). */
  readonly decoding: string;
  readonly outputs: OutputsPlan;
  /** run.resume_ckpt_path: where the run continues (steps, lr and checkpoints count from there), or LV5017. */
  readonly resume: ResumePlan | null;
  readonly evaluation: readonly PlannedEvaluation[];
  /**
   * What an evaluation-only run does not evaluate, one line each: that it evaluates nothing when its test splits are
   * empty, and its valid_splits, which only LAVIS's train.py evaluates then (LV4098, LV4099); empty for a training run.
   */
  readonly notEvaluated: readonly string[];
  readonly storage: StoragePlan;
  /** Data-parallel replicas (run.world_size > 1: training, or sharing an evaluation-only run's test splits); null: one. */
  readonly replicas: ReplicasPlan | null;
}

/** One evaluated split. */
export interface PlannedEvaluation {
  readonly split: string;
  readonly role: string;
  readonly when: string;
  readonly datasets: readonly string[];
  /** The metrics this engine reports (the task's stdlib `metrics` less `lavisOnlyMetrics`). */
  readonly metrics: readonly string[];
  /** The task's metrics only LAVIS's engine computes (`lavisc run --engine lavis`), and why; null: none. */
  readonly lavisOnlyMetrics: MetricsNotComputed | null;
  readonly aggMetric: string | null;
}

export interface PlanOptions {
  /** Installed backends and WebGPU adapters (the CLI probes them); default: installed packages only, adapters not probed. */
  readonly devices?: DeviceProbe;
  readonly read?: FileReader;
  /** Where relative paths (output_dir, local weights) start; default the process's working directory. */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Cores and memory the replicas are checked against; default this machine. */
  readonly machine?: Machine;
}

export function buildPlan(graph: Graph, opts: PlanOptions = {}): Plan {
  const run = graph.run;
  const read = opts.read ?? readLocalFile;
  const mode = run.evaluate ? "evaluate" : "train";

  let steps: StepsPlan | null = null;
  if (!run.evaluate) {
    const records = trainRecords(run, (ds, split) => splitStats(ds, split, opts.env ?? process.env, read)?.records ?? null);
    const b = run.batchSizeTrain;
    const world = run.worldSize ?? 1;
    if (run.runner === "runner_iter") {
      // Whole inner epochs: a max_iters that is not a multiple of n trains up to the next one (LV4066).
      const n = run.itersPerInnerEpoch;
      const total = n === null ? run.maxIters : n * run.maxEpoch;
      const totalText = total === run.maxIters ? `${total} (max_iters; ${run.maxEpoch} inner epochs)` : `${total} (${run.maxEpoch} whole inner epochs of ${n}; max_iters is ${run.maxIters})`;
      steps = { trainRecords: records, perEpoch: n, total, perEpochText: String(n), totalText, epochs: run.maxEpoch, lengthError: null };
    } else {
      // With replicas each takes ceil(N / world) records (DistributedSampler pads), in batches of batch_size_train.
      const n = stepsPerEpoch(run, records);
      const sym = world > 1 ? `floor(ceil(N_train / ${world}) / ${b})` : `floor(N_train / ${b})`;
      steps = { trainRecords: records, perEpoch: n, total: n === null ? null : n * run.maxEpoch, perEpochText: n === null ? sym : String(n), totalText: n === null ? `${run.maxEpoch} * ${sym}` : String(n * run.maxEpoch), epochs: run.maxEpoch, lengthError: null };
    }
    const beyond = lengthBeyondCounting(run, run.runner === "runner_iter" ? null : steps.perEpoch);
    if (beyond) {
      const lengthError = planWarning(diag("LV5014", null, { key: beyond.key, value: beyond.value, steps: beyond.steps, max: MAX_STEPS }));
      steps = { ...steps, total: null, totalText: `${beyond.steps}: beyond ${MAX_STEPS} (LV5014)`, lengthError };
    }
  }
  const resume = planResume(run, opts.cwd ?? process.cwd());
  const fromEpoch = resume && !resume.error ? resume.startEpoch : 0;
  if (steps && resume && !resume.error && !steps.lengthError) steps = resumedSteps(steps, resume, run);

  const params = estimateParams(run.model.arch, run.model.config);
  const memory = params && !run.evaluate ? estimateTrainMemory(params, run.batchSizeTrain, run.model.arch, run.model.config) : null;
  const machine = opts.machine ?? thisMachine();
  const backend = planDevice(run.backend, opts.devices ?? { has: packageInstalled, adapters: null });
  const world = run.worldSize ?? 1;
  const evalSteps = graph.nodes.filter((n) => n.kind === "eval_step");

  return {
    name: graph.name,
    task: run.task,
    mode,
    backend,
    steps,
    runner: run.runner,
    scheduler: run.schedule.name,
    lr: run.evaluate || steps?.lengthError || !(TFJS_SCHEDULERS as readonly string[]).includes(run.schedule.name) ? null : lrPreview(run.schedule, steps?.perEpoch ?? null, run.maxEpoch, fromEpoch),
    model: { arch: run.model.arch, modelType: run.model.modelType, params, memory, memoryWarning: world === 1 ? memoryOverMachine(memory, machine, backend.backend) : null, weights: weightsText(run.model), vocabulary: vocabularyPlan(run), dropout: run.evaluate ? null : planDropout(run.model.config) },
    decoding: decodingPlan(run),
    outputs: planOutputs(graph, {
      resume: resume && !resume.error ? { epoch: resume.startEpoch, skipSteps: resume.skipSteps } : null,
      loaderPass: steps && run.runner === "runner_iter" ? loaderPass(run, steps.trainRecords) : null,
      endless: !!steps?.lengthError,
    }),
    resume,
    evaluation: evalSteps.map((s) => ({
      split: String(s.attrs["split"]), role: String(s.attrs["role"]), when: String(s.attrs["when"]),
      datasets: run.datasets.filter((d) => d.splits.some((x) => x.split === s.attrs["split"])).map((d) => d.name),
      metrics: (s.attrs["metrics"] as string[]) ?? [], lavisOnlyMetrics: (s.attrs["lavisOnlyMetrics"] as MetricsNotComputed | null) ?? null,
      aggMetric: (s.attrs["aggMetric"] as string | null) ?? null,
    })),
    notEvaluated: notEvaluated(run, evalSteps.length),
    storage: planStorage(run, params, { endless: !!steps?.lengthError, fromEpoch, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env } : {}) }),
    replicas: world > 1 ? planReplicas(world, run.batchSizeTrain, run.seed, run.validSplits.length || run.testSplits.length ? evalSharing(run, world) : null, memory, machine, run.evaluate) : null,
  };
}

/**
 * An evaluation-only run evaluates its test splits only, as LAVIS's evaluate.py (which `lavisc run --engine lavis`
 * launches for it; lower.ts): what that leaves out is said, never silent.
 */
function notEvaluated(run: RunSpec, evaluated: number): string[] {
  if (!run.evaluate) return [];
  const out: string[] = [];
  if (!evaluated) out.push(`none: an evaluation-only run evaluates its test_splits, and test_splits is ${JSON.stringify(run.testSplits)}: nothing is evaluated, and no result written`);
  if (run.validSplits.length) out.push(`not evaluated: valid_splits ${JSON.stringify(run.validSplits)} (an evaluation-only run evaluates test_splits only, as LAVIS's evaluate.py does; LAVIS's train.py would evaluate them first)`);
  return out;
}

/** The steps a resumed run still trains: the epochs from its start, less the steps of it a stop had done. */
function resumedSteps(steps: StepsPlan, resume: ResumePlan, run: RunSpec): StepsPlan {
  const unit = run.runner === "runner_iter" ? "inner epoch" : "epoch";
  const left = Math.max(0, Math.ceil(run.maxEpoch) - resume.startEpoch);
  const at = `resumes at ${unit} ${resume.startEpoch}${resume.skipSteps ? `, step ${resume.skipSteps}` : ""}: ${left} of ${steps.epochs} ${unit}s left`;
  const n = steps.perEpoch;
  if (n === null) return { ...steps, total: null, totalText: `${left} * ${steps.perEpochText}${resume.skipSteps ? ` - ${resume.skipSteps}` : ""} (${at})` };
  const total = left === 0 ? 0 : Math.max(0, n * left - resume.skipSteps);
  return { ...steps, total, totalText: `${total} (${at})` };
}

export interface PlanWarning {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/** The most tfjs-backend-wasm's heap can grow to: 32-bit WebAssembly memory (its getHeapMax(), 4 GiB less 64 KiB). */
const WASM_HEAP_BYTES = 4294901760;

/**
 * LV6005: the step's estimate is more than this machine's memory (the run would fail allocating, or swap), or on the
 * wasm backend more than its heap can address, whatever the machine has.
 */
function memoryOverMachine(memory: MemoryEstimate | null, machine: Machine, backend: DevicePlan["backend"]): PlanWarning | null {
  const wasm = backend === "wasm" && WASM_HEAP_BYTES < machine.memoryBytes;
  const limit = wasm ? WASM_HEAP_BYTES : machine.memoryBytes;
  if (!memory || memory.totalBytes <= limit) return null;
  return planWarning(diag("LV6005", null, {
    need: gib(memory.totalBytes),
    queues: memory.queuesBytes ? `, the momentum queues ${gib(memory.queuesBytes)}` : "",
    limit: wasm ? `the wasm backend's heap can hold at most ${gib(WASM_HEAP_BYTES)} (32-bit WebAssembly memory), whatever the machine's ${gib(machine.memoryBytes)}` : `this machine has ${gib(machine.memoryBytes)} of memory`,
  }));
}

const planWarning = (d: Diagnostic): PlanWarning => ({ code: d.code, message: d.message, hint: d.hint ?? "" });

/**
 * LV6005 for `lavisc run` to print before it starts (never silent: plan's warning, not only in plan): one replica's
 * training step over the machine's memory or the wasm heap, for the backend `devices` would pick.
 */
export function stepMemoryWarning(run: RunSpec, machine: Machine = thisMachine(), devices: DeviceProbe = { has: packageInstalled, adapters: null }): PlanWarning | null {
  if (run.evaluate || (run.worldSize ?? 1) > 1) return null;
  const params = estimateParams(run.model.arch, run.model.config);
  const memory = params ? estimateTrainMemory(params, run.batchSizeTrain, run.model.arch, run.model.config) : null;
  return memoryOverMachine(memory, machine, planDevice(run.backend, devices).backend);
}

/** What the model starts from, in words; null: nothing (random initialisation). */
function weightsText(m: RunSpec["model"]): string | null {
  const chosen = m.loadWeights ?? (m.weightsFrom ? `best checkpoint of ${m.weightsFrom} (trained first by \`lavisc run\`: no run of it has one yet)` : null);
  if (!m.weightsByOwnCode) return chosen;
  return `unknown: \`${m.arch}\` is the repository's own architecture, whose from_config decides what it loads${chosen ? ` (LAVIS's load_checkpoint_from_config would load ${chosen})` : ""}`;
}
