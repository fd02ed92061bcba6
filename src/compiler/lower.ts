// Lowers a checked experiment to the execution graph: the RunSpec the runtime executes, plus typed nodes and edges
// (data → model → optimisation → evaluation → outputs), each remembering the config paths it came from.
import { basename, extname } from "node:path";
import type { Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { plainConfig } from "../semantic/configTree.js";
import type { DatasetSpec, RunSpec } from "../runtime/runSpec.js";
import { GRAPH_VERSION, STAGE_OF, type Graph, type GraphEdge, type GraphNode, type NodeKind } from "./graph.js";
import type { Registry } from "../semantic/registry.js";
import { RunSpecLowering, isMap, processorSpec, type LowerOptions, type MissingInput, type Plain, type UnsupportedInput } from "./lowerRunSpec.js";
import { archLosses, generateFixed, generatesText, taskFacts } from "../semantic/facts.js";
import { engineMetrics } from "./engineMetrics.js";
import { validateGraph } from "./validateGraph.js";
import { keepsBestCheckpoint } from "./planStorage.js";

export type { LowerOptions } from "./lowerRunSpec.js";

export interface LoweredGraph {
  readonly graph: Graph;
  /** Inputs the run needs that the experiment does not give (reported by the `boundInputs` rule). */
  readonly missing: readonly MissingInput[];
  /** Values the tfjs engine cannot execute (reported by the `engineSupport` rule). */
  readonly unsupported: readonly UnsupportedInput[];
}

/**
 * Lowers and validates: the graph plus every LV5xxx diagnostic, pointing back at the experiment's source. `engine`:
 * "tfjs" (plan, run) makes what only the tfjs engine cannot do an error; "any" (check) a warning.
 */
export function lowerToGraph(resolved: Resolved, opts: LowerOptions = {}, engine: "tfjs" | "any" = "tfjs"): { graph: Graph; diagnostics: Diagnostic[] } {
  const lowered = lowerGraph(resolved, opts);
  return { graph: lowered.graph, diagnostics: validateGraph(lowered, resolved, opts.env ?? process.env, undefined, engine) };
}

/**
 * The graph and its rules' findings for an experiment the checker has seen (`checked`): a finding at a path the checker
 * already reported on is dropped, so every command shows each problem once (check, graph, plan, run, a sweep trial).
 */
export function lowerChecked(
  resolved: Resolved, checked: readonly Diagnostic[], opts: LowerOptions & { readonly engine?: "tfjs" | "any" } = {},
): { graph: Graph; diagnostics: Diagnostic[] } {
  const { engine = "any", ...lowerOptions } = opts;
  const lowered = lowerToGraph(resolved, lowerOptions, engine);
  const flagged = new Set(checked.filter((d) => d.path).map((d) => d.path));
  return { graph: lowered.graph, diagnostics: lowered.diagnostics.filter((d) => !d.path || !flagged.has(d.path)) };
}

/** The RunSpec a graph carries (the runtime's whole input). */
export function runSpecOf(graph: Graph): RunSpec {
  return graph.run;
}

export function lowerGraph(resolved: Resolved, opts: LowerOptions = {}): LoweredGraph {
  const config = plainConfig(resolved.root) as Plain;
  const lowering = new RunSpecLowering(config, resolved.registry, opts, generatesText(resolved));
  const run = lowering.lower();
  const b = new GraphBuilder();
  const runCfg = isMap(config["run"]) ? config["run"] : {};
  const modelCfg = isMap(config["model"]) ? config["model"] : {};

  // Data: sources, processors and loaders for every split the run uses.
  const used = new Map<string, "train" | "valid" | "test">();
  for (const s of run.testSplits) used.set(s, "test");
  // Evaluation-only runs test the test splits only (LAVIS's evaluate.py; the runtime does the same).
  if (!run.evaluate) for (const s of run.validSplits) used.set(s, "valid");
  if (!run.evaluate) for (const s of run.trainSplits) used.set(s, "train");
  const loadersBySplit = new Map<string, string[]>();
  for (const ds of run.datasets) lowerDataset(b, resolved.registry, ds, run, used, loadersBySplit);

  // Model and its weights.
  const model = b.node("model", run.model.arch || "model", `${run.model.arch}(${run.model.modelType})`, {
    arch: run.model.arch, modelType: run.model.modelType, hyperParameters: hyperParameters(modelCfg),
  }, ["model"]);
  const key = run.model.loadWeightsKey;
  if (run.model.loadWeights && key) {
    const weights = b.node("weights", key, `${key} weights`, { source: key, path: run.model.loadWeights }, [`model.${key}`, key === "finetuned" ? "model.load_finetuned" : "model.load_pretrained"]);
    b.edge(weights, model, "state_dict");
  } else if (run.model.weightsFrom) {
    const attrs = { source: "finetuned_from", project: run.model.weightsFrom, path: "checkpoint_best.json of its newest run (found or trained by lavisc run)" };
    b.edge(b.node("weights", "finetuned", "finetuned weights", attrs, ["model.finetuned_from", "model.load_finetuned"]), model, "state_dict");
  }
  if (run.resumeCkptPath && !run.evaluate) b.edge(b.node("weights", "resume", "resume checkpoint", { source: "resume_ckpt_path", path: run.resumeCkptPath }, ["run.resume_ckpt_path"]), model, "training state");

  // Optimisation.
  let trainStep: string | null = null;
  if (!run.evaluate) {
    const sched = run.schedule;
    const lr = b.node("lr_schedule", sched.name, sched.name, { ...sched }, ["run.lr_sched", "run.init_lr", "run.min_lr", "run.warmup_lr", "run.warmup_steps", "run.lr_decay_rate", "run.max_epoch"]);
    const opt = b.node("optimizer", "adamw", "AdamW", {
      ...run.optimizer,
      lrLayerDecay: runCfg["lr_layer_decay"] ?? null,
      parameterGroups: parameterGroups(run.optimizer),
    }, ["run.weight_decay", "run.beta2", "run.lr_layer_decay"]);
    trainStep = b.node("train_step", "train", "train step", {
      runner: run.runner, splits: run.trainSplits, maxEpoch: run.maxEpoch, maxIters: run.maxIters, itersPerInnerEpoch: run.itersPerInnerEpoch,
      accumGradIters: run.accumGradIters, amp: runCfg["amp"] === true, trainDatasetRatios: run.trainDatasetRatios,
      schedulerStep: "before every micro-batch, with (epoch, step in epoch)",
    }, ["run.train_splits", "run.runner", "run.accum_grad_iters", "run.amp", "run.max_epoch"]);
    for (const split of run.trainSplits) for (const l of loadersBySplit.get(split) ?? []) b.edge(l, trainStep, "batches");
    b.edge(model, trainStep, "forward");
    for (const loss of archLosses(resolved.registry, run.model.arch)) {
      const id = b.node("loss", loss, loss, { name: loss, arch: run.model.arch }, ["model.arch"]);
      b.edge(trainStep, id, "outputs");
      b.edge(id, opt, "gradients");
    }
    b.edge(lr, opt, "lr");
    b.edge(opt, model, "updates");
  }

  // Evaluation.
  const facts = taskFacts(resolved.registry, run.task);
  const metrics = engineMetrics(run.task, facts.metrics);
  const evalSplits: [string, "valid" | "test"][] = [...(run.evaluate ? [] : run.validSplits.map((s) => [s, "valid"] as [string, "valid"])), ...run.testSplits.map((s) => [s, "test"] as [string, "test"])];
  let generation: string | null = null;
  if (evalSplits.length && Object.keys(run.taskParams).length) {
    const gen = generatesText(resolved);
    // A value the arch's generate fixes (`generate_fixed`) comes from the arch, not from the recipe.
    const fixed = new Set(gen ? generateFixed(resolved.registry, run.model.arch).map((f) => f.key) : []);
    generation = b.node("generation", run.task || "task", gen ? "generation" : "evaluation settings", { generates: gen, ...run.taskParams },
      [...Object.keys(run.taskParams).filter((k) => !fixed.has(k)).map((k) => `run.${k}`), ...(fixed.size ? ["model.arch"] : [])]);
  }
  const evalSteps: string[] = [];
  const seen = new Set<string>();
  for (const [split, role] of evalSplits) {
    const key = `${role}/${split}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const step = b.node("eval_step", key, `${role === "valid" ? "validate" : "test"} ${split}`, {
      split, role, metrics: metrics.computed, lavisOnlyMetrics: metrics.lavisOnly, aggMetric: facts.aggMetric,
      when: role === "valid" ? (run.runner === "runner_iter" ? "after every inner epoch" : `every ${run.valFreq} epoch(s)`) : testWhen(run),
    }, [role === "valid" ? "run.valid_splits" : "run.test_splits", "run.task"]);
    evalSteps.push(step);
    for (const l of loadersBySplit.get(split) ?? []) b.edge(l, step, "batches");
    b.edge(model, step, "forward");
    if (generation) b.edge(generation, step, "settings");
  }

  // Outputs.
  const jobDir = `${run.outputDir}/<job_id>`;
  const log = b.node("logging", "log", "log.txt", {
    file: `${jobDir}/log.txt`, evaluateFile: `${jobDir}/evaluate.txt`, logFreq: runCfg["log_freq"] ?? null,
    lines: ["the merged config (indent 4)", ...(run.evaluate ? [] : ["train_lr, train_loss per epoch"]), ...(run.validSplits.length && !run.evaluate ? [`val_<metric>, val_${run.evaluationNames.bestKey}`] : [])],
  }, ["run.output_dir", "run.log_freq"]);
  if (trainStep) b.edge(trainStep, log, "train stats");
  for (const s of evalSteps) b.edge(s, log, "metrics");
  if (facts.resultFiles.length && evalSteps.length) {
    const results = b.node("result_files", "result", "result/", { dir: `${jobDir}/result`, files: facts.resultFiles }, ["run.output_dir", "run.task"]);
    for (const s of evalSteps) b.edge(s, results, "predictions");
  }
  if (trainStep) {
    const it = run.runner === "runner_iter";
    const best = keepsBestCheckpoint(run) ? ["checkpoint_best when val agg_metrics improves"] : [];
    const when = it ? (run.validSplits.length ? best : ["checkpoint_<iters> after every inner epoch (no validation splits)"]) : [
      ...best,
      `checkpoint_<epoch> for epochs without validation${run.validSplits.length ? ` (val_freq ${run.valFreq})` : ""}`,
      ...(run.saveFreq > 0 ? [`checkpoint_<epoch> every ${run.saveFreq} epoch(s)`] : []),
      ...(run.saveLast ? ["checkpoint_<last epoch> after the loop (save_last)"] : []),
    ];
    const ckpt = b.node("checkpoint", "checkpoint", "checkpoints", {
      dir: jobDir, what: ["model (trainable parameters and buffers)", "optimizer", "config", "scaler", it ? "iters" : "epoch"], when,
    }, ["run.save_freq", "run.save_last", "run.val_freq", "run.output_dir"]);
    b.edge(trainStep, ckpt, "state");
  }

  const graph: Graph = { version: GRAPH_VERSION, name: experimentName(resolved.input.file), task: run.task, nodes: b.nodes, edges: b.edges, run };
  return { graph, missing: lowering.missing, unsupported: lowering.unsupported };
}

function lowerDataset(b: GraphBuilder, reg: Registry, ds: DatasetSpec, run: RunSpec, used: Map<string, "train" | "valid" | "test">, loadersBySplit: Map<string, string[]>): void {
  const base = `datasets.${ds.name}`;
  const procs = new Map<string, string>();
  const cfg = (run.config["datasets"] as Plain | undefined)?.[ds.name];
  const slots = isMap(cfg) ? Object.keys(cfg).filter((k) => k.endsWith("_processor")).sort() : [];
  const proc = (slot: string, phase: "train" | "eval"): string | null => {
    const spec = slot === "vis_processor" ? ds.visProcessor[phase] : slot === "text_processor" ? ds.textProcessor[phase] : processorSpec((cfg as Plain)[slot] && (cfg as Plain)[slot] !== null ? ((cfg as Plain)[slot] as Plain)[phase] : undefined, reg);
    if (!spec) return null;
    const key = `${ds.name}/${slot}.${phase}`;
    if (!procs.has(key)) procs.set(key, b.node("processor", key, spec.name, { name: spec.name, params: spec.params, slot, phase, dataset: ds.name }, [`${base}.${slot}.${phase}`]));
    return procs.get(key)!;
  };
  // A builder that declares neither annotations nor splits makes its splits in code; it is taken to provide every split used.
  const bi = isMap(cfg) && isMap(cfg["build_info"]) ? cfg["build_info"] : {};
  const known = isMap(bi["annotations"]) || Array.isArray(bi["splits"]);
  const splits = known ? ds.splits : [...used.keys()].map((split) => ({ split, annotations: [] }));
  for (const s of splits) {
    const role = used.get(s.split);
    if (!role) continue;
    const src = b.node("dataset_source", `${ds.name}/${s.split}`, `${ds.name} ${s.split}`, {
      dataset: ds.name, builder: ds.builder, type: ds.type, dataType: ds.dataType, format: ds.format, split: s.split,
      annotations: s.annotations, mediaRoot: ds.imageRoot, ...(ds.storageRoot ? { storageRoot: ds.storageRoot } : {}), splitDeclared: known,
    }, [`${base}.build_info.annotations.${s.split}`, `${base}.build_info.${ds.dataType}.storage`]);
    // LAVIS's builder picks the train processors only for the split literally named "train"; the runner shuffles and drops the last batch for train_splits.
    const isTrain = role === "train";
    const phase = s.split === "train" ? "train" : "eval";
    const batchSize = s.split === "train" ? run.batchSizeTrain : run.batchSizeEval;
    const loader = b.node("loader", `${ds.name}/${s.split}`, `${s.split} loader`, {
      dataset: ds.name, split: s.split, role, batchSize, shuffle: isTrain, dropLast: isTrain, seed: run.seed,
      distributedSampler: isTrain || (run.config["run"] as Plain | undefined)?.["use_dist_eval_sampler"] !== false,
    }, [s.split === "train" ? "run.batch_size_train" : "run.batch_size_eval", "run.seed", `run.${role}_splits`]);
    b.edge(src, loader, "records");
    for (const slot of slots) {
      const p = proc(slot, phase);
      if (p) b.edge(p, loader, slot === "vis_processor" ? "images" : slot === "text_processor" ? "text" : slot.replace(/_processor$/, ""));
    }
    const list = loadersBySplit.get(s.split) ?? [];
    list.push(loader);
    loadersBySplit.set(s.split, list);
  }
}

const NOT_HYPER_PARAMETERS = new Set(["arch", "model_type", "pretrained", "finetuned", "load_pretrained", "load_finetuned", "finetuned_from"]);

/** RunnerBase's two AdamW parameter groups, described from the RunSpec's rule (the runner's stdlib `adamw`). */
function parameterGroups(o: RunSpec["optimizer"]): { name: string; weightDecay: number; rule: string }[] {
  const { belowNdim, nameContains: names } = o.noDecay;
  const orList = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names.join("");
  return [
    { name: "decay", weightDecay: o.weightDecay, rule: `parameters with ndim >= ${belowNdim}${names.length ? ` whose names contain none of ${names.join(", ")}` : ""}` },
    { name: "no_decay", weightDecay: 0, rule: `parameters with ndim < ${belowNdim}${names.length ? `, or names containing ${orList}` : ""}` },
  ];
}

/**
 * The architecture hyper-parameters: scalar model keys other than weights and bookkeeping, in the config's order
 * (the graph's JSON sorts every object's keys: graph.ts).
 */
function hyperParameters(m: Plain): Plain {
  const out: Plain = {};
  for (const k in m) if (!NOT_HYPER_PARAMETERS.has(k)) out[k] = m[k];
  return out;
}

function experimentName(file: string): string {
  return basename(file, extname(file));
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Set<string>();
  private readonly edgeKeys = new Set<string>();

  node(kind: NodeKind, qualifier: string, label: string, attrs: Plain, from: string[]): string {
    const id = `${kind}:${qualifier}`;
    if (this.ids.has(id)) return id;
    this.ids.add(id);
    this.nodes.push({ id, kind, stage: STAGE_OF[kind], label, attrs, from });
    return id;
  }

  edge(from: string, to: string, label: string): void {
    const k = `${from}→${to}`;
    if (this.edgeKeys.has(k)) return;
    this.edgeKeys.add(k);
    this.edges.push({ from, to, label });
  }
}

/** When and with which weights the test splits are evaluated, as LAVIS's runners do it. */
function testWhen(run: RunSpec): string {
  if (run.evaluate) return "once";
  if (!run.validSplits.length) return "after training, with the last weights";
  if (run.testWeights === "last") return `after training, with the last weights (${run.runner} never reloads checkpoint_best)`;
  if (keepsBestCheckpoint(run)) return "after training, with the best checkpoint";
  return `after training: LAVIS reloads checkpoint_best, which only a split named ${run.bestSplit} writes (FileNotFoundError); lavisc tests the last weights`;
}
