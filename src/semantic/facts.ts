// What the stdlib declares about LAVIS's tasks and architectures, read for the compiler and the runtime: the facts
// live in stdlib/*.lv (`metrics`, `agg_metric`, `result_files`, `format`, `generates` on a task; `losses`,
// `retrieval_eval_txt_len`, `generate_fixed { ... }` and `vit_drop_path_forced { ... }` on an arch; `code_defaults { ... }` where LAVIS's code falls
// back to something else than the documented default), never in TypeScript. See stdlib/tasks.lv, stdlib/losses.lv, stdlib/evaluation.lv and
// stdlib/encoders.lv for what each entry means.
import type * as A from "../syntax/ast.js";
import { keyText } from "../syntax/ast.js";
import type { Span } from "../diagnostics/index.js";
import { getPath, type CMap, type CNode } from "./configTree.js";
import { equalValues, evaluate, type EvalEnv } from "./evaluate.js";
import { CODE_DEFAULTS, type EntryInfo, type Registry, type SchemaInfo } from "./registry.js";
import type { Resolved } from "./resolve.js";
import { SCHEMAS, SECTIONS } from "./schemaNames.js";

export interface TaskFacts {
  /** Keys of the metrics dict the task reports per split. */
  readonly metrics: readonly string[];
  /** How agg_metrics (best-checkpoint selection) is computed; null: the task does not evaluate. */
  readonly aggMetric: string | null;
  /** Result file names under result/, `{split}` and `{epoch}` filled at run time. */
  readonly resultFiles: readonly string[];
  /** How the task's datasets are read when their builder declares no `format`; null: each dataset's own. */
  readonly format: string | null;
}

const NO_FACTS: TaskFacts = { metrics: [], aggMetric: null, resultFiles: [], format: null };

/** The stdlib's facts about a task (an unknown task has none). */
export function taskFacts(reg: Registry, task: string): TaskFacts {
  const entry = reg.tasks.get(task);
  if (!entry) return NO_FACTS;
  return {
    metrics: reg.metaNames(entry, "metrics") ?? [],
    aggMetric: reg.metaString(entry, "agg_metric"),
    resultFiles: reg.metaNames(entry, "result_files") ?? [],
    format: reg.metaString(entry, "format"),
  };
}

/**
 * How a builder's training dataset reads each record's answers (`train_answers { field = ..., weight = ... }`,
 * stdlib/contracts.lv): the record key, and either `share` (a list whose distinct answers weigh count / len, as
 * COCOVQADataset) or a number (the one answer `ann[field]` with that weight, as GQADataset's and VGVQADataset's 1). Null when the
 * builder declares none (a user's or fork's builder: lavisc's lenient reading, src/runtime/data/annotations.ts).
 */
export function trainAnswers(reg: Registry, builder: string): { readonly field: string; readonly weight: "share" | number } | null {
  const block = reg.builders.get(builder)?.blocks.get("train_answers");
  if (block?.kind !== "Block") return null;
  const value = (key: string) => blockValue(block, key);
  const field = value("field"), weight = value("weight");
  if (field?.kind !== "StringLit") return null;
  if (weight?.kind === "IntLit" || weight?.kind === "FloatLit") return { field: field.value, weight: weight.value };
  if (weight?.kind === "Ref" && weight.path.length === 1 && weight.path[0]!.name === "share") return { field: field.value, weight: "share" };
  return null;
}

/**
 * A VQA task's `vqa_scoring` with `accuracy = matches` (stdlib/tasks.lv: AOKVQATask, GQATask): the matches that earn full
 * credit, whether the prediction and the ground-truth answers are normalised (a key left out: not), and the metric
 * names besides agg_metrics. Null for `vqav2` (VQATask's official accuracy) and for a task that declares none.
 */
export function vqaMatchScoring(reg: Registry, task: string): { fullCreditMatches: number; normalisePrediction: boolean; normaliseGroundTruth: boolean; metricKeys: string[] } | null {
  const entry = reg.tasks.get(task);
  const block = entry?.blocks.get("vqa_scoring");
  if (!entry || block?.kind !== "Block") return null;
  const value = (key: string) => blockValue(block, key);
  const accuracy = value("accuracy"), full = value("full_credit_matches");
  const flag = (key: string) => {
    const v = value(key);
    return v?.kind === "BoolLit" && v.value;
  };
  if (accuracy?.kind !== "Ref" || accuracy.path.map((p) => p.name).join(".") !== "matches" || full?.kind !== "IntLit") return null;
  return {
    fullCreditMatches: full.value,
    normalisePrediction: flag("normalise_prediction"),
    normaliseGroundTruth: flag("normalise_ground_truth"),
    metricKeys: (reg.metaNames(entry, "metrics") ?? []).filter((m) => m !== "agg_metrics"),
  };
}

/** Losses the arch's training forward pass returns; an arch that declares none returns LAVIS's plain `loss`. */
export function archLosses(reg: Registry, arch: string): readonly string[] {
  const entry = reg.archs.get(arch);
  return (entry && reg.metaNames(entry, "losses")) ?? ["loss"];
}

/**
 * The text length the arch's retrieval evaluation pads and truncates to, whatever its max_txt_len (LAVIS's
 * compute_sim_matrix: stdlib/evaluation.lv); null when the arch declares none (it evaluates at its max_txt_len).
 */
export function retrievalEvalTxtLen(reg: Registry, arch: string): number | null {
  const entry = reg.archs.get(arch);
  return entry ? reg.metaInt(entry, "retrieval_eval_txt_len") : null;
}

/**
 * The score the arch's retrieval evaluation gives the pairs its ITM re-ranking does not score (LAVIS's
 * compute_sim_matrix fills both score matrices with -100.0: stdlib/evaluation.lv); null when the arch declares none.
 */
export function retrievalScoreFill(reg: Registry, arch: string): number | null {
  const entry = reg.archs.get(arch);
  return entry ? reg.metaNumber(entry, "retrieval_score_fill") : null;
}

/** A generation setting the arch's generating method does not take, and the value it generates with instead. */
export interface FixedGenerationValue {
  /** The recipe key (`length_penalty`). */
  readonly key: string;
  readonly value: number | string | boolean;
  /** The value as the stdlib writes it (`1.0`). */
  readonly text: string;
  /** The `generate_fixed` entry that says so. */
  readonly declared: Span;
}

/**
 * The arch's `generate_fixed { ... }` (stdlib/evaluation.lv): recipe keys of generation its generate does not take,
 * with the value its generation uses whatever the recipe says; empty when it declares none.
 */
export function generateFixed(reg: Registry, arch: string): FixedGenerationValue[] {
  const block = reg.archs.get(arch)?.blocks.get("generate_fixed");
  if (block?.kind !== "Block") return [];
  return block.members.flatMap((m) => {
    if (m.kind !== "Assignment") return [];
    const v = m.value;
    const value = v.kind === "IntLit" || v.kind === "FloatLit" || v.kind === "StringLit" || v.kind === "BoolLit" ? v.value : null;
    const text = v.kind === "FloatLit" && Number.isInteger(v.value) ? v.value.toFixed(1) : String(value);
    return value === null ? [] : [{ key: keyText(m.key), value, text, declared: m.span }];
  });
}

/** The ViT drop-path rate LAVIS builds a vit_type with whatever `vit_drop_path_rate` says, and where the stdlib says so. */
export interface ForcedDropPath {
  readonly rate: number;
  /** The `vit_drop_path_forced` entry that says so. */
  readonly declared: Span;
}

/**
 * The arch's `vit_drop_path_forced { <vit_type> = rate }` entry for `vitType` (stdlib/encoders.lv: VisionTransformerEncoder
 * builds a large ViT with 0.1 whatever the config says); null where the arch honours `vit_drop_path_rate` for it.
 */
export function forcedVitDropPath(reg: Registry, arch: string, vitType: string): ForcedDropPath | null {
  const block = reg.archs.get(arch)?.blocks.get("vit_drop_path_forced");
  if (block?.kind !== "Block") return null;
  const m = block.members.find((x): x is A.Assignment => x.kind === "Assignment" && keyText(x.key) === vitType);
  const v = m?.value;
  return m && (v?.kind === "FloatLit" || v?.kind === "IntLit") ? { rate: v.value, declared: m.span } : null;
}

/**
 * The recipe values the experiment's arch generates without: `run.<key>` → the value its generate uses instead, for
 * the keys of its `generate_fixed` that the chosen task passes (`reads`), where the task generates.
 */
export function ignoredGenerationValues(resolved: Resolved): Map<string, FixedGenerationValue> {
  const arch = getPath(resolved.root, ["model", "arch"]);
  const task = resolved.task;
  if (arch?.kind !== "scalar" || typeof arch.value !== "string" || !task || !generatesText(resolved)) return new Map();
  const passed = new Set(resolved.registry.metaNames(task, "reads") ?? []);
  return new Map(generateFixed(resolved.registry, arch.value).filter((f) => passed.has(f.key)).map((f) => [`run.${f.key}`, f]));
}

/** Does the chosen task's evaluation generate text (its `generates`, a formula over the recipe where it depends on it)? */
export function generatesText(resolved: Resolved): boolean {
  const v = metaValue(resolved, resolved.task, "generates", ["run"]);
  return v === true;
}

/** An entry's metadata value evaluated in the resolved experiment (scope: the section it is written for). */
export function metaValue(resolved: Resolved, entry: EntryInfo | null, key: string, scope: readonly string[]): unknown {
  const a: A.Assignment | undefined = entry?.meta.get(key);
  if (!a) return undefined;
  const v = evaluate(a.value, evalEnv(resolved, scope));
  return v.k === "value" && v.node.kind === "scalar" ? v.node.value : undefined;
}

/** How stdlib formulas see a resolved experiment: paths relative to `scope`, section aliases, `lavisc.` facts. */
export function evalEnv(resolved: Resolved, scope: readonly string[]): EvalEnv {
  return {
    scope,
    sections: SECTIONS,
    deps: [],
    lookup: (p) => (p[0] === "lavisc" ? resolved.fact(p) : getPath(resolved.root, p)),
    isKey: (s, name) => resolved.fieldAt([...s, name]) !== null,
  };
}

/** A value the experiment takes from a documented default where LAVIS's current code falls back to another. */
export interface CodeDefaultDifference {
  /** `["run", "max_len"]`. */
  readonly path: readonly string[];
  /** The resolved value (lavisc's documented default). */
  readonly documented: CNode;
  /** What LAVIS's code falls back to. */
  readonly code: CNode;
  /** The `code_defaults` entry that says so. */
  readonly declared: Span;
  /** What declares it, in words: `runner runner_base`, `task captioning`. */
  readonly owner: string;
  /** Which one the experiment has: a `.lv` the documented default, a LAVIS YAML LAVIS's code fallback. */
  readonly taken: "documented" | "code";
}

/** One `key = value` of a `code_defaults` block, with the section it belongs to. */
export interface CodeDefaultEntry {
  /** `["run", "test_splits"]`. */
  readonly path: readonly string[];
  readonly member: A.Assignment;
  /** What declares it, in words: `runner runner_base`, `task captioning`, `ModelCommon`. */
  readonly owner: string;
}

/** The `code_defaults` entries that apply to a resolved experiment: the Recipe's, the chosen task's, scheduler's, runner's and arch's. */
export function codeDefaultEntries(reg: Registry, root: CMap, task: EntryInfo | null): CodeDefaultEntry[] {
  const name = (p: readonly string[]): string => {
    const n = getPath(root, p);
    return n?.kind === "scalar" ? String(n.value) : "";
  };
  const arch = reg.archs.get(name(["model", "arch"]));
  const scheduler = reg.schedulers.get(name(["run", "lr_sched"]));
  const runner = reg.runners.get(name(["run", "runner"]));
  const sources: [SchemaInfo | undefined, string, string][] = [
    [reg.schemas.get(SCHEMAS.recipe), "run", "Recipe"],
    [task?.schema, "run", `task ${task?.name}`],
    [scheduler?.schema, "run", `scheduler ${scheduler?.name}`],
    [runner?.schema, "run", `runner ${runner?.name}`],
    // BaseModel.load_checkpoint_from_config is LAVIS's: it reads load_finetuned for the archs LAVIS (or lavisc) builds
    // whose from_config calls it (`loads_checkpoint = false` says one does not), not for a fork's or a user's own arch,
    // whose code is its own.
    [declaredByStdlib(arch) && loadsCheckpoint(arch) ? reg.schemas.get(SCHEMAS.modelCommon) : undefined, "model", "BaseModel"],
    [arch?.schema, "model", `arch ${arch?.name}`],
  ];
  const out: CodeDefaultEntry[] = [];
  for (const [schema, section, owner] of sources) {
    const block = schema?.blocks.get(CODE_DEFAULTS);
    if (!block) continue;
    for (const m of block.members) {
      if (m.kind !== "Assignment") continue;
      const path = [section, ...m.key.segments.map((s) => s.name)];
      if (out.some((d) => d.path.join(".") === path.join("."))) continue;
      out.push({ path, member: m, owner });
    }
  }
  return out;
}

/** Is the value one the stdlib filled in (a documented default or formula), not the experiment's or a default config's? */
function isDocumentedDefault(n: CNode | undefined): n is CNode {
  return !!n && (n.origin.kind === "schema-default" || n.origin.kind === "derived");
}

/**
 * Every key whose value comes from a stdlib default (not from the experiment, nor from a LAVIS default config) that
 * differs from what LAVIS's current code falls back to, as the `code_defaults { ... }` blocks of the Recipe and
 * ModelCommon schemas and of the chosen task, scheduler, runner and arch declare it; in a LAVIS YAML, also every key
 * that took LAVIS's code fallback instead (`taken: "code"`, semantic/codeFallbacks.ts).
 */
export function codeDefaultDifferences(resolved: Resolved): CodeDefaultDifference[] {
  const out: CodeDefaultDifference[] = [];
  for (const e of codeDefaultEntries(resolved.registry, resolved.root, resolved.task)) {
    const documented = getPath(resolved.root, e.path);
    // A YAML that leaves the key out took LAVIS's value (semantic/codeFallbacks.ts); the origin keeps the documented one.
    if (documented?.origin.kind === "code-default" && documented.origin.documented) {
      out.push({ path: e.path, documented: documented.origin.documented, code: documented, declared: e.member.span, owner: e.owner, taken: "code" });
      continue;
    }
    if (!isDocumentedDefault(documented)) continue;
    const code = evaluate(e.member.value, evalEnv(resolved, [e.path[0]!]));
    if (code.k !== "value" || equalValues(documented, code.node)) continue;
    out.push({ path: e.path, documented, code: code.node, declared: e.member.span, owner: e.owner, taken: "documented" });
  }
  return out;
}

/** Does an arch's from_config call BaseModel.load_checkpoint_from_config (true unless it says `loads_checkpoint = false`)? */
export function loadsCheckpoint(arch: EntryInfo | undefined): boolean {
  const v = arch?.meta.get("loads_checkpoint")?.value;
  return !(v?.kind === "BoolLit" && v.value === false);
}

/** Does an arch that does not call load_checkpoint_from_config load `pretrained` itself whenever it is set? */
export function loadsPretrainedItself(arch: EntryInfo | undefined): boolean {
  const v = arch?.meta.get("loads_pretrained")?.value;
  return v?.kind === "BoolLit" && v.value;
}

/**
 * Does the experiment load `pretrained` whenever it is set, as LAVIS's from_config of its arch does (`loads_pretrained`),
 * rather than by load_finetuned/load_pretrained? Not for a lavisc-only task, whose loading is lavisc's own.
 */
export function pretrainedAlways(reg: Registry, arch: string | null, task: string | null): boolean {
  const entry = reg.archs.get(arch ?? "");
  return declaredByStdlib(entry) && loadsPretrainedItself(entry) && !reg.tasks.get(task ?? "")?.meta.has("lavisc_only");
}

/** Is a registry entry the stdlib's own (LAVIS's, or lavisc's), rather than a fork's extension or a user's module? */
export function declaredByStdlib(entry: EntryInfo | undefined): boolean {
  return !!entry && entry.decl.span.file.startsWith("stdlib/");
}

/**
 * The validation split whose agg_metrics picks a runner's checkpoint_best (`checkpoints { best_split = ... }`: val
 * for LAVIS's runners); null when the runner declares none, as a fork's own runner may pick another split.
 */
export function runnerBestSplit(reg: Registry, runner: string): string | null {
  return nameOf(checkpointsFact(reg, runner, "best_split"));
}

/**
 * The weights a runner's test phase evaluates after training with validation splits (`checkpoints { test_weights }`):
 * `best` (RunnerBase reloads checkpoint_best) or `last` (RunnerIter tests the weights it ends with); null when the
 * runner declares none (a fork's runner: lavisc then tests the best checkpoint, as RunnerBase).
 */
export function runnerTestWeights(reg: Registry, runner: string): "best" | "last" | null {
  const name = nameOf(checkpointsFact(reg, runner, "test_weights"));
  return name === "best" || name === "last" ? name : null;
}

/**
 * The recipe keys that save checkpoint_<epoch> files besides the one after each epoch without validation
 * (`checkpoints { saves_also }`: save_freq and save_last for RunnerBase, none for RunnerIter); null when undeclared.
 */
export function runnerSavesAlso(reg: Registry, runner: string): string[] | null {
  const value = checkpointsFact(reg, runner, "saves_also");
  if (value?.kind !== "ListLit") return null;
  return value.items.map(nameOf).filter((n): n is string => n !== null);
}

/**
 * What a runner calls its evaluations (`evaluation_names { ... }`: the `epoch` it passes to the task's
 * after_evaluation after a validation and in a test of the last weights, log.txt's key and value of the best
 * validation, and whether a resumed run's train loader counts its passes afresh); a runner that declares none has
 * RunnerBase's. Null only when no runner_base declares them.
 */
export function runnerEvaluationNames(reg: Registry, runner: string): { validation: string; testLast: string; bestKey: string; bestValue: string; loaderRestartsOnResume: boolean } | null {
  const block = runnerBlock(reg, runner, "evaluation_names");
  if (!block) return null;
  const [validation, testLast, bestKey, bestValue] = ["validation", "test_last", "best_key", "best_value"].map((k) => nameOf(blockValue(block, k)));
  const restarts = blockValue(block, "loader_restarts_on_resume");
  if (restarts?.kind !== "BoolLit") return null;
  return validation && testLast && bestKey && bestValue ? { validation, testLast, bestKey, bestValue, loaderRestartsOnResume: restarts.value } : null;
}

/** What an evaluation-only run (`evaluate: True`) evaluates, by LAVIS's two scripts (`evaluation_only { ... }`). */
export interface EvaluationOnly {
  /** The recipe lists evaluate.py evaluates: runner_base's, as evaluate.py builds RunnerBase whatever the runner. */
  readonly evaluates: readonly string[];
  /** The recipe lists train.py's run of the runner evaluates (its loop runs once, training nothing). */
  readonly trainPyEvaluates: readonly string[];
  /** Recipe keys that run reads even when evaluating, without which it stops before it evaluates. */
  readonly trainPyReads: readonly string[];
}

/** The stdlib's `evaluation_only` facts for `runner` (stdlib/training.lv); null when runner_base declares none. */
export function evaluationOnly(reg: Registry, runner: string): EvaluationOnly | null {
  const base = runnerBlock(reg, "runner_base", "evaluation_only");
  const own = runnerBlock(reg, runner, "evaluation_only");
  const names = (block: A.Block | null, key: string): string[] | null => {
    const value = block ? blockValue(block, key) : undefined;
    return value?.kind === "ListLit" ? value.items.map(nameOf).filter((n): n is string => n !== null) : null;
  };
  const evaluates = names(base, "evaluates");
  if (!evaluates) return null;
  return { evaluates, trainPyEvaluates: names(own, "train_py_evaluates") ?? evaluates, trainPyReads: names(own, "train_py_reads") ?? [] };
}

/**
 * The AdamW a runner builds (`adamw { ... }`: RunnerBase's betas (0.9, beta2), torch's eps, and its parameter group
 * without weight decay: ndim below `no_decay_below_ndim` or a name containing one of `no_decay_names`); null when
 * any of them is undeclared.
 */
export function runnerAdamW(reg: Registry, runner: string): { beta1: number; eps: number; noDecay: { belowNdim: number; nameContains: string[] } } | null {
  const block = runnerBlock(reg, runner, "adamw");
  const value = (key: string) => (block ? blockValue(block, key) : undefined);
  const [beta1, eps, belowNdim] = ["beta1", "eps", "no_decay_below_ndim"].map((k) => numberOf(value(k)));
  const names = value("no_decay_names");
  const nameContains = names?.kind === "ListLit" ? names.items.map(nameOf) : null;
  if (beta1 === null || eps === null || belowNdim === null || !nameContains || nameContains.includes(null)) return null;
  return { beta1, eps, noDecay: { belowNdim, nameContains: nameContains as string[] } };
}

/**
 * A runner's stdlib block `name`, else RunnerBase's: RunnerIter and a fork's runners extend RunnerBase, and a fork's
 * extension that redefines `runner_base` itself keeps no such block (its scan reads Python), so LAVIS's then.
 */
function runnerBlock(reg: Registry, runner: string, name: string): A.Block | null {
  const own = (r: Registry, n: string) => {
    const block = r.runners.get(n)?.blocks.get(name);
    return block?.kind === "Block" ? block : null;
  };
  return own(reg, runner) ?? own(reg, "runner_base") ?? (reg.base ? runnerBlock(reg.base, "runner_base", name) : null);
}

/** A number written as a literal (`0.9`, `1e-8`). */
function numberOf(value: A.Expr | undefined): number | null {
  return value?.kind === "IntLit" || value?.kind === "FloatLit" ? value.value : null;
}

/** The value of `key` in a runner's stdlib `checkpoints { ... }` block. */
function checkpointsFact(reg: Registry, runner: string, key: string): A.Expr | undefined {
  const block = reg.runners.get(runner)?.blocks.get("checkpoints");
  return block?.kind === "Block" ? blockValue(block, key) : undefined;
}

/** The value assigned to `key` in a stdlib block (`train_answers { field = "answer" }`). */
function blockValue(block: A.Block, key: string): A.Expr | undefined {
  return block.members.find((m): m is A.Assignment => m.kind === "Assignment" && keyText(m.key) === key)?.value;
}

/** A name written bare (`val`) or quoted (`"val"`). */
function nameOf(value: A.Expr | undefined): string | null {
  return value?.kind === "Ref" ? value.path.map((p) => p.name).join(".") : value?.kind === "StringLit" ? value.value : null;
}
