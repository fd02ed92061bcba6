// `lavisc plan`'s "writes": every file a run writes in its folder, by the names the runtime writes them under
// (runtime/train/runFiles.ts), the checkpoints by the runner's cadence (planStorage.ts) and the result files by the
// task's stdlib `result_files`, with `{split}` and `{epoch}` as the run fills them in.
import type { Graph } from "./graph.js";
import { checkpointFileCount, keepsBestCheckpoint } from "./planStorage.js";
import type { LoaderPass } from "./trainingLength.js";
import { EVALUATE_FILE, evaluationName, INTERRUPTED_CHECKPOINT, loaderEpochAfterResume, LOG_FILE, namesLoaderEpoch, ranksFile, REPORT_FILE, RESULT_FOLDER, writesRanks, type EvaluationPlace } from "../runtime/train/runFiles.js";
import { loaderEpoch, loaderStartIters, validationStep } from "../runtime/innerEpochs.js";
import type { RunSpec } from "../runtime/runSpec.js";

export interface OutputsPlan {
  /** `<output_dir>/<job_id>`. */
  readonly jobDir: string;
  /** Each file, with `<...>` for what plan does not know; `(only when ...)` or `(N more, ...)` after a name says so. */
  readonly files: readonly string[];
  /** What the result names' values count, or why plan cannot fill one in (never a silent placeholder). */
  readonly notes: readonly string[];
}

export interface OutputsOptions {
  /** Where a resumed run continues (runtime/checkpoint/resumeStart.ts); null: it does not resume. */
  readonly resume?: { readonly epoch: number; readonly skipSteps: number } | null;
  /** One pass of runner_iter's train loader (trainingLength.ts loaderPass); null: not runner_iter, or not training. */
  readonly loaderPass?: LoaderPass | null;
  /** The run's length is beyond counting (LV5014): its iterations are not named. */
  readonly endless?: boolean;
}

/** Validations listed one by one up to this many; more show the first and last ones and one line for the rest. */
const LISTED_VALIDATIONS = 6;
const FIRST_SHOWN = 3;
const LAST_SHOWN = 2;

/** The run folder (`<output_dir>/<job_id>`), the files in it and what their names count. */
export function planOutputs(graph: Graph, opts: OutputsOptions = {}): OutputsPlan {
  const run = graph.run;
  const fromEpoch = opts.resume?.epoch ?? 0;
  const jobDir = `${run.outputDir}/<job_id>`;
  const files = [`${jobDir}/${LOG_FILE}`, `${jobDir}/${REPORT_FILE}`];
  const evalSteps = graph.nodes.filter((n) => n.kind === "eval_step");
  if (evalSteps.some((s) => (s.attrs["metrics"] as string[]).length)) files.push(`${jobDir}/${EVALUATE_FILE}`);
  if (!run.evaluate) {
    const ckpt = (name: string) => `${jobDir}/${name}.json + ${name}.<sha256 prefix>.safetensors`;
    const best = keepsBestCheckpoint(run);
    if (checkpointFileCount(run, fromEpoch) > (best ? 1 : 0)) files.push(ckpt(run.runner === "runner_iter" ? "checkpoint_<iters>" : "checkpoint_<epoch>"));
    if (best) files.push(ckpt("checkpoint_best"));
    files.push(`${ckpt(INTERRUPTED_CHECKPOINT)} (only when stopped by SIGINT or SIGTERM, to resume from)`);
  }
  const places = new Places(run, opts);
  const resultFiles = (graph.nodes.find((n) => n.kind === "result_files")?.attrs["files"] as string[] | undefined) ?? [];
  for (const step of evalSteps) {
    const split = String(step.attrs["split"]);
    const labels = step.attrs["role"] === "valid" ? places.validationLabels() : [{ label: places.testLabel() }];
    for (const f of resultFiles) {
      const path = `${jobDir}/${RESULT_FOLDER}/${f.replaceAll("{split}", split)}`;
      if (!f.includes("{epoch}")) files.push(path);
      else for (const { label, more } of labels) files.push(path.replaceAll("{epoch}", label) + (more ? ` (${more})` : ""));
    }
    const format = run.datasets.find((d) => d.splits.some((s) => s.split === split))?.format;
    if (writesRanks(run.task, format)) files.push(`${jobDir}/${RESULT_FOLDER}/${ranksFile(split)}`);
  }
  const named = resultFiles.some((f) => f.includes("{epoch}")) && evalSteps.some((s) => s.attrs["role"] === "valid" || places.testLabel() !== "best");
  return { jobDir, files: [...new Set(files)], notes: named ? places.notes() : [] };
}

/** A result name's `{epoch}`, and for a line that stands for several validations what they are. */
interface Label {
  readonly label: string;
  readonly more?: string;
}

/**
 * Where each evaluation happens, as the run's EpochLoop.placeAfter says (runtime/train/epochLoop.ts): the (inner)
 * epoch, the iterations at its end and the train loader's epoch (runtime/innerEpochs.ts loaderEpoch, counted from a
 * resume when the runner's loader restarts then), with `<epoch>`, `<iters>`, `<loader_epoch>` where plan cannot know.
 */
class Places {
  private readonly epochs: number;
  private readonly inner: number | null;
  private readonly startIters: number;
  private readonly resume: OutputsOptions["resume"];
  private readonly pass: LoaderPass | null;
  private readonly endless: boolean;

  constructor(private readonly run: RunSpec, opts: OutputsOptions) {
    this.resume = opts.resume ?? null;
    this.endless = opts.endless ?? false;
    this.pass = opts.endless ? { kind: "unknown", why: "the run's length is beyond counting (LV5014)" } : opts.loaderPass ?? null;
    this.epochs = Math.max(0, Math.ceil(run.maxEpoch));
    this.inner = run.itersPerInnerEpoch && !opts.endless ? run.itersPerInnerEpoch : null;
    this.startIters = loaderStartIters(run.evaluationNames.loaderRestartsOnResume, this.resume ?? { epoch: 0, skipSteps: 0 }, this.inner ?? 0);
  }

  /** After (inner) epoch `epoch` (the last one when past the end: a resume that trains nothing). */
  placeAfter(epoch: number): EvaluationPlace {
    if (this.inner === null) return { epoch, iters: "<iters>", loaderEpoch: this.pass?.kind === "no epoch" ? 0 : "<loader_epoch>" };
    const iters = (Math.min(epoch, this.epochs - 1) + 1) * this.inner;
    const pass = this.pass;
    const loader = pass?.kind === "batches" ? loaderEpoch(iters - this.startIters, pass.batches) : pass?.kind === "no epoch" ? 0 : "<loader_epoch>";
    return { epoch, iters, loaderEpoch: loader };
  }

  /**
   * A validation's names, one per validated (inner) epoch (innerEpochs.ts validatesAfter: RunnerIter after each inner
   * epoch, other runners every val_freq epochs), the first and last ones when there are many; `<...>` where plan cannot
   * know (a run beyond counting, LV5014).
   */
  validationLabels(): Label[] {
    const template = this.run.evaluationNames.validation;
    const placeholders = { epoch: "<epoch>", iters: "<iters>", loaderEpoch: "<loader_epoch>" };
    const isIter = this.run.runner === "runner_iter";
    if ((isIter && this.inner === null) || this.endless) return [{ label: evaluationName(template, placeholders) }];
    const step = validationStep(this.run);
    const from = this.resume?.epoch ?? 0;
    const first = Math.ceil(from / step) * step;
    const count = first < this.epochs ? Math.floor((this.epochs - 1 - first) / step) + 1 : 0;
    const epochAt = (i: number) => first + i * step;
    const named = (i: number): Label => ({ label: evaluationName(template, this.placeAfter(epochAt(i))) });
    if (count <= LISTED_VALIDATIONS) return Array.from({ length: count }, (_, i) => named(i));
    const [a, b] = [FIRST_SHOWN, count - LAST_SHOWN - 1];
    const more = `${b - a + 1} more, ${isIter ? "one per inner epoch" : step > 1 ? `one every ${step} epochs` : "one per epoch"}: ${this.varying(template, epochAt(a), epochAt(b), step)}`;
    return [...Array.from({ length: FIRST_SHOWN }, (_, i) => named(i)), { label: evaluationName(template, placeholders), more }, ...Array.from({ length: LAST_SHOWN }, (_, i) => named(b + 1 + i))];
  }

  /** What the placeholders of `template` run through between the validations after (inner) epochs `a` and `b`. */
  private varying(template: string, a: number, b: number, step: number): string {
    const [pa, pb] = [this.placeAfter(a), this.placeAfter(b)];
    const parts: string[] = [];
    if (template.includes("{epoch}")) parts.push(`<epoch> from ${a} to ${b}${step > 1 ? ` in steps of ${step}` : ""}`);
    if (template.includes("{iters}")) parts.push(`<iters> from ${pa.iters} to ${pb.iters}${this.inner ? ` in steps of ${this.inner * step}` : ""}`);
    if (template.includes("{loader_epoch}") && typeof pa.loaderEpoch === "number") parts.push(`<loader_epoch> from ${pa.loaderEpoch} to ${pb.loaderEpoch}`);
    return parts.join(", ");
  }

  /**
   * The test phase's name: "best" (the best checkpoint, and every evaluation-only run) or, without a best checkpoint
   * or with a runner that tests the last weights (runner_iter), the runner's name of the end.
   */
  testLabel(): string {
    const testsBest = keepsBestCheckpoint(this.run) && this.run.testWeights !== "last";
    if (this.run.evaluate || testsBest) return "best";
    return evaluationName(this.run.evaluationNames.testLast, this.placeAfter(Math.max(0, this.epochs - 1)));
  }

  /** What the loader epoch in the names counts, why plan leaves it `<loader_epoch>`, and that a resume restarts it. */
  notes(): string[] {
    const names = this.run.evaluationNames;
    const pass = this.pass;
    if (this.run.evaluate || !pass || !namesLoaderEpoch(names)) return [];
    const what = "the train loader's epoch in the result names (RunnerIter's train_loader.epoch)";
    const out: string[] = [];
    if (pass.kind === "unknown") out.push(`${what} is <loader_epoch> here, filled in by the run: ${pass.why}`);
    else if (pass.kind === "no epoch") out.push(`${what} is 0: several training datasets sampled by train_dataset_ratios make a MultiIterLoader, which has no epoch`);
    else out.push(`${what}: the passes of ${pass.batches} batches over the training data finished by then (IterLoader counts one when the batch after a pass's last is drawn)`);
    const resumed = this.resume && loaderEpochAfterResume(names, this.startIters);
    if (resumed && pass.kind !== "no epoch") out.push(resumed);
    return out;
  }
}
