import type * as A from "../../syntax/ast.js";
import { keyText } from "../../syntax/ast.js";
import type { EntryInfo, Registry, SchemaInfo } from "../../semantic/registry.js";

// Reads the data contracts the stdlib declares (stdlib/contracts.lv): `samples` of builders, `sample_reads`,
// `generation` and `vqa_inference` of archs, `evaluation`, `valid_split_lookup` and `answer_list` of tasks, `split_sizes`,
// `split_overlap`, `annotation_files` and `records_without` of builders, `unanswered_records` of tasks; and
// `drop_path_ignored` and `vit_model_built` of archs (stdlib/encoders.lv).
// Everything returns null when the entry declares nothing: an entry without a contract is unknown, never an error.

/** A nested block of a registry entry (`samples { ... }`), from any of the files that declare the entry. */
export function blockOf(entry: EntryInfo | undefined, name: string): A.Block | null {
  const b = entry?.blocks.get(name);
  return b?.kind === "Block" ? b : null;
}

/** The value written for `key` in a block, or a nested block under that key. */
export function memberOf(block: A.Block | null, key: string): A.Expr | A.Block | null {
  for (const m of block?.members ?? []) {
    if (m.kind === "Assignment" && keyText(m.key) === key) return m.value;
    if (m.kind === "Block" && keyText(m.key) === key) return m;
  }
  return null;
}

/** The keys written in a block, in order. */
export function keysOf(block: A.Block | null): string[] {
  return (block?.members ?? []).flatMap((m) => (m.kind === "Assignment" || m.kind === "Block" ? [keyText(m.key)] : []));
}

/** Names in a value: a bare name, a string, or a list of them (`[image, text_input]`); dotted names stay dotted. */
export function namesOf(e: A.Expr | A.Block | null): string[] | null {
  if (!e || e.kind === "Block") return null;
  if (e.kind === "Ref") return [e.path.map((p) => p.name).join(".")];
  if (e.kind === "StringLit") return [e.value];
  if (e.kind === "ListLit") return e.items.flatMap((i) => namesOf(i) ?? []);
  return null;
}

export function numberOf(e: A.Expr | A.Block | null): number | null {
  return e && (e.kind === "IntLit" || e.kind === "FloatLit") ? e.value : null;
}

/** Which batch schema a builder declares for a split: the split's own, else `train` for train and `eval` for the rest (BaseDatasetBuilder.build). */
export function batchOf(reg: Registry, builder: string, split: string): SchemaInfo | null {
  const samples = blockOf(reg.builders.get(builder), "samples");
  if (!samples) return null;
  const own = namesOf(memberOf(samples, split));
  const name = own?.[0] ?? namesOf(memberOf(samples, split === "train" ? "train" : "eval"))?.[0];
  return name ? reg.schemas.get(name) ?? null : null;
}

/** True when the builder declares batches at all (so a split without a schema is one its dataset class cannot build). */
export const declaresSamples = (reg: Registry, builder: string) => blockOf(reg.builders.get(builder), "samples") !== null;

/** The keys an arch reads: in training (`train`) or from evaluation batches of a task. */
export function archReads(reg: Registry, arch: string, key: string): string[] | null {
  return namesOf(memberOf(blockOf(reg.archs.get(arch), "sample_reads"), key));
}

export interface TaskEvaluation {
  /** The model method valid_step calls, or `none` when the task never evaluates. */
  readonly calls: string | null;
  /** Keys the task itself reads from each evaluation batch; `recipe.x` stands for the value of run.x. */
  readonly reads: readonly string[];
  readonly groundTruth: A.Block | null;
}

export function taskEvaluation(reg: Registry, task: string): TaskEvaluation | null {
  const entry = reg.tasks.get(task);
  if (!entry) return null;
  // Six rules ask for it per check: read once per task entry.
  let ev = evaluations.get(entry);
  if (ev === undefined) evaluations.set(entry, (ev = readEvaluation(entry)));
  return ev;
}

const evaluations = new WeakMap<EntryInfo, TaskEvaluation | null>();

function readEvaluation(entry: EntryInfo): TaskEvaluation | null {
  const ev = blockOf(entry, "evaluation");
  if (!ev) return null;
  const gt = memberOf(ev, "ground_truth");
  return {
    calls: namesOf(memberOf(ev, "calls"))?.[0] ?? null,
    reads: namesOf(memberOf(ev, "reads")) ?? [],
    groundTruth: gt?.kind === "Block" ? gt : null,
  };
}

/**
 * The validation splits a task's build_datasets looks up in every dataset when run.valid_splits is not set
 * (`valid_split_lookup { absent = [...] }`); null when the task looks up none.
 */
export function validSplitLookup(reg: Registry, task: string): string[] | null {
  const lookup = blockOf(reg.tasks.get(task), "valid_split_lookup");
  return lookup ? namesOf(memberOf(lookup, "absent")) ?? [] : null;
}

/** The inference methods an arch's predict_answers implements (`vqa_inference { methods = [...] }`); null when unknown. */
export function vqaInferenceMethods(reg: Registry, arch: string): string[] | null {
  return namesOf(memberOf(blockOf(reg.archs.get(arch), "vqa_inference"), "methods"));
}

/** How an arch's ranking fails when the task hands it no answer list (`vqa_inference { without_answer_list }`); null when unknown. */
export function rankingWithoutAnswerList(reg: Registry, arch: string): string | null {
  return namesOf(memberOf(blockOf(reg.archs.get(arch), "vqa_inference"), "without_answer_list"))?.[0] ?? null;
}

/** Where a task's build_datasets takes the answer list it passes to predict_answers (`answer_list { from }`); null when unknown. */
export function answerListSource(reg: Registry, task: string): "valid_splits" | "none" | null {
  const from = namesOf(memberOf(blockOf(reg.tasks.get(task), "answer_list"), "from"))?.[0];
  return from === "valid_splits" || from === "none" ? from : null;
}

/** A number declared in a block of a registry entry (`split_sizes { train = 9009 }`), or null. */
export function entryNumber(entry: EntryInfo | undefined, block: string, key: string): number | null {
  return numberOf(memberOf(blockOf(entry, block), key));
}

/** A name declared in a block of a registry entry (`generation { target_length = max_txt_len }`), or null. */
export function entryName(entry: EntryInfo | undefined, block: string, key: string): string | null {
  return namesOf(memberOf(blockOf(entry, block), key))?.[0] ?? null;
}

/** Strings written at a key path inside a builder type's default config (`build_info.annotations.val.storage`). */
export function defaultStrings(reg: Registry, builder: string, type: string, path: readonly string[]): string[] | null {
  const clause = reg.builders.get(builder)?.types.get(type);
  let members: readonly A.Member[] = clause?.members ?? [];
  for (let i = 0; i < path.length; i++) {
    const rest = path.slice(i).join(".");
    const hit = members.find((m): m is A.Block | A.Assignment => (m.kind === "Block" || m.kind === "Assignment") && (rest === keyText(m.key) || rest.startsWith(`${keyText(m.key)}.`)));
    if (!hit) return null;
    const depth = keyText(hit.key).split(".").length;
    if (hit.kind === "Assignment") return i + depth === path.length ? namesOf(hit.value) : null;
    members = hit.members;
    i += depth - 1;
  }
  return null;
}

/** Where a BLIP-2 arch's `drop_path_rate` does nothing (stdlib/encoders.lv `drop_path_ignored`). */
export interface DropPathIgnored {
  /** ViTs built without the rate (`vit_model` values). */
  readonly vitModels: readonly string[];
  /** freeze_vit where the config leaves it out (from_config's default). */
  readonly freezeVitDefault: boolean;
  /** The block that says so. */
  readonly declared: A.Block;
}

export function dropPathIgnored(reg: Registry, arch: string): DropPathIgnored | null {
  const block = blockOf(reg.archs.get(arch), "drop_path_ignored");
  if (!block) return null;
  const frozen = memberOf(block, "freeze_vit_default");
  return {
    vitModels: namesOf(memberOf(block, "vit_model")) ?? [],
    freezeVitDefault: frozen?.kind === "BoolLit" ? frozen.value : false,
    declared: block,
  };
}

/** How a task fails on evaluated records without its ground truth (`unanswered_records { key, failure }`). */
export interface UnansweredRecords {
  readonly key: string;
  readonly failure: string;
}

export function unansweredRecords(reg: Registry, task: string): UnansweredRecords | null {
  const block = blockOf(reg.tasks.get(task), "unanswered_records");
  const key = namesOf(memberOf(block, "key"))?.[0];
  const failure = namesOf(memberOf(block, "failure"))?.[0];
  return key && failure ? { key, failure } : null;
}

/** The annotation files whose records have no `key`, by the builder's `records_without { <key> = [...] }`. */
export function recordsWithout(reg: Registry, builder: string, key: string): string[] {
  return namesOf(memberOf(blockOf(reg.builders.get(builder), "records_without"), key)) ?? [];
}

/** The values of a model key naming a ViT that a BLIP-2 arch builds one from, and how it fails on others (`vit_model_built`). */
export interface VitModelBuilt {
  /** The model key (`vit_model`; X-InstructBLIP's `image_model`, `video_model`). */
  readonly key: string;
  /** The arch reads the key only when the model's `list` key lists `item` (`read_when` and `modality`); null: always. */
  readonly readWhen: { readonly list: string; readonly item: string } | null;
  /** Names init_vision_encoder builds a ViT for. */
  readonly built: readonly string[];
  /** Names its assert accepts (a superset of `built`). */
  readonly accepted: readonly string[];
  /** The failure for a name it accepts but does not build. */
  readonly unbuiltFailure: string;
  /** The failure for a name its assert rejects. */
  readonly rejectedFailure: string;
  /** Where `built` is declared. */
  readonly declared: A.Expr | A.Block;
}

/** One fact per key the arch's `vit_model_built` declares; empty when it declares none. */
export function vitModelsBuilt(reg: Registry, arch: string): VitModelBuilt[] {
  const block = blockOf(reg.archs.get(arch), "vit_model_built");
  return keysOf(block).flatMap((key) => {
    const fact = memberOf(block, key);
    return fact?.kind === "Block" ? vitModelFact(key, fact) : [];
  });
}

function vitModelFact(key: string, block: A.Block): VitModelBuilt[] {
  const built = namesOf(memberOf(block, "built"));
  if (!built) return [];
  const list = namesOf(memberOf(block, "read_when"))?.[0];
  const item = namesOf(memberOf(block, "modality"))?.[0];
  return [{
    key,
    readWhen: list && item ? { list, item } : null,
    built,
    accepted: namesOf(memberOf(block, "accepted")) ?? built,
    unbuiltFailure: namesOf(memberOf(block, "unbuilt_failure"))?.[0] ?? "an error",
    rejectedFailure: namesOf(memberOf(block, "rejected_failure"))?.[0] ?? "an error",
    declared: memberOf(block, "built") ?? block,
  }];
}
