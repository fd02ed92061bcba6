// The text layout of `lavisc plan`.
import { MAX_COUNTED_FILE_BYTES } from "./annotationStats.js";
import { pythonFloat } from "../semantic/valueText.js";
import { visible } from "../diagnostics/visible.js";
import type { Plan } from "./plan.js";
import { renderDevicePlan } from "./planDevice.js";
import { renderStorage } from "./planStorage.js";
import { dropoutText } from "./planDropout.js";

const lrText = (v: number | null): string => (v === null ? "unknown (depends on the steps per epoch)" : pythonFloat(v));

export function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

export function renderPlanText(p: Plan): string {
  const out: string[] = [];
  out.push(`plan for ${p.name}: ${p.mode === "train" ? "train" : "evaluate only"}, task ${p.task}`);
  out.push(...renderDevicePlan(p.backend));
  out.push(`  ${p.decoding}`);

  if (p.steps) {
    out.push("", `steps (${p.runner})`);
    for (const [k, v] of Object.entries(p.steps.trainRecords)) out.push(`  ${k}: ${v === null ? `N_train unknown (no annotation file to count: not local, not a JSON list, or over ${MAX_COUNTED_FILE_BYTES / 2 ** 20} MiB)` : `${v} records`}`);
    out.push(`  per epoch: ${p.steps.perEpochText}`, `  epochs: ${p.steps.epochs}`, `  total: ${p.steps.totalText}`);
    const le = p.steps.lengthError;
    if (le) out.push(`  error ${le.code}: ${le.message}`, `    ${le.hint}`);
  }
  if (p.replicas) {
    const r = p.replicas;
    out.push("", "replicas (run.world_size, data-parallel on the tfjs engine)");
    if (r.evaluateOnly) out.push(`  ${r.worldSize} replicas in ${r.worldSize} threads (${r.cores} cores here) share the test splits; no training`);
    else out.push(`  ${r.worldSize} replicas in ${r.worldSize} threads (${r.cores} cores here), batch ${r.perReplicaBatch} per replica, ${r.globalBatch} per step`, `  rank r seeds its random streams (augmentation, dataset choice, step sampling) with seed + r = ${r.seed}..${r.seed + r.worldSize - 1}, as LAVIS's setup_seeds; parameter initialisation and the sampler's order use seed ${r.seed} on every rank`);
    if (r.evaluation) out.push(`  ${r.evaluation}`);
    for (const w of r.warnings) out.push(`  ${w.severity} ${w.code}: ${w.message}`, `    ${w.hint}`);
  }
  if (p.mode === "train" && !p.lr) out.push("", `learning rate (${p.scheduler})`, p.steps?.lengthError ? "  unknown: the run's length is beyond counting (LV5014)" : "  unknown: the tfjs engine does not implement this scheduler (run with --engine lavis)");
  if (p.lr) {
    out.push("", `learning rate (${p.scheduler}, before each step's forward pass)`);
    p.lr.epochs.forEach((e, i) => {
      out.push(`  epoch ${e.epoch}: start ${lrText(e.start)}, end ${lrText(e.end)}`);
      const next = p.lr!.epochs[i + 1];
      if (next && next.epoch > e.epoch + 1) out.push(`  ... ${next.epoch - e.epoch - 1} epochs not shown ...`);
    });
    const w = p.lr.warmup;
    if (w) {
      if (w.cut === true) out.push(`  warm-up: cut by the end of epoch 0 at lr ${lrText(w.lr)}; epoch 1 jumps to ${lrText(p.lr.epochs[1]?.start ?? null)}`);
      else out.push(`  warm-up: reaches ${lrText(w.lr)} at step ${w.step} of epoch 0${w.cut === null ? " (if epoch 0 is that long)" : ""}`);
    } else out.push(p.resume && !p.resume.error && p.resume.startEpoch > 0 ? "  warm-up: epoch 0's only, done before the checkpoint resumed from" : "  warm-up: none");
  }

  out.push("", "model");
  out.push(`  ${p.model.arch}(${p.model.modelType})`);
  const pr = p.model.params;
  if (pr) {
    out.push(`  parameters: ${count(pr.total)} (${pr.total}), trainable ${count(pr.trainable)}`);
    out.push(`  ${Object.entries(pr.parts).map(([k, v]) => `${k} ${count(v)}`).join(", ")}`);
  } else out.push("  parameters: unknown (lavisc does not model this architecture)");
  const m = p.model.memory;
  if (m) out.push(`  memory per training step (fp32 estimate): ${gib(m.totalBytes)} = weights ${gib(m.weightsBytes)} + gradients ${gib(m.gradientsBytes)} + AdamW ${gib(m.optimizerBytes)} + activations ${gib(m.activationsBytes)}${m.queuesBytes ? ` + queues ${gib(m.queuesBytes)}` : ""}`);
  const mw = p.model.memoryWarning;
  if (mw) out.push(`  warning ${mw.code}: ${mw.message}`, `    ${mw.hint}`);
  else if (p.mode === "train" && !m) out.push("  memory per training step: unknown");
  if (p.model.dropout) out.push(`  ${dropoutText(p.model.dropout)}`);
  const r = p.resume;
  // A resume loads its checkpoint's weights, AdamW moments and random state over whatever the model started from.
  if (r && !r.error) out.push(`  loads weights: ${p.model.weights ? `${p.model.weights}, then ` : ""}the resume checkpoint's`, `  resumes from ${r.path} (${r.done})`);
  else out.push(`  loads weights: ${p.model.weights ?? "none (random initialisation)"}`);
  if (r?.error) out.push(`  resumes from ${r.path}: error ${r.error.code}: ${r.error.message}`, `    ${r.error.hint}`);
  out.push(`  ${p.model.vocabulary}`);

  out.push("", "evaluation");
  if (!p.evaluation.length && !p.notEvaluated.length) out.push("  none");
  for (const n of p.notEvaluated) out.push(`  ${n}`);
  for (const e of p.evaluation) {
    out.push(`  ${e.role} ${e.split} (${e.datasets.join(", ") || "no dataset provides it"}), ${e.when}`);
    out.push(`    metrics: ${e.metrics.join(", ") || "none"}${e.aggMetric ? `; agg_metrics = ${e.aggMetric}` : ""}`);
    const lavisOnly = e.lavisOnlyMetrics;
    if (lavisOnly) out.push(`    LAVIS's engine only: ${lavisOnly.metrics.join(", ")} (the tfjs engine does not compute them: ${lavisOnly.why}; \`lavisc run --engine lavis\` reports them)`);
  }

  out.push(...renderStorage(p.storage));

  out.push("", "writes");
  for (const f of p.outputs.files) out.push(`  ${f}`);
  for (const n of p.outputs.notes) out.push(`  note: ${n}`);
  return visible(out.join("\n")) + "\n"; // paths and names come from the config: shown, never obeyed
}
