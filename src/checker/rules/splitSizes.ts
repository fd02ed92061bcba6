import { groupDigits } from "../../diagnostics/index.js";
import { splitStats } from "../../compiler/annotationStats.js";
import { toPlain } from "../../semantic/configTree.js";
import type { RuleContext } from "../context.js";
import { defaultStrings, entryNumber } from "./contractData.js";
import { nameAt, numberAt } from "./names.js";
import { splitUses } from "./runSplits.js";

export interface SplitSize {
  readonly records: number;
  /** Where the number comes from, for messages. */
  readonly source: string;
}

/**
 * Records of one split of one dataset: counted in its annotation files when they exist locally
 * (compiler/annotationStats.ts, never downloaded), else the stdlib's `split_sizes` fact for the builder's standard
 * annotations (only when the experiment did not replace them). Null when unknown.
 */
export function splitSize(ctx: RuleContext, dataset: string, split: string): SplitSize | null {
  const ann = ctx.at(["datasets", dataset, "build_info", "annotations", split]);
  if (!ann) return null;
  const storage = toPlain(ann.kind === "map" ? ann.entries.get("storage") : undefined);
  const files = (Array.isArray(storage) ? storage : [storage]).filter((s): s is string => typeof s === "string");
  const builder = ctx.registry.builders.get(dataset);
  const prepare = builder ? ctx.registry.metaString(builder, "prepare") ?? undefined : undefined;
  if (files.length) {
    const local = splitStats({ splits: [{ split, annotations: files.map((f) => ({ storage: f })) }], prepare }, split, ctx.env);
    if (local) return { records: local.records, source: `counted in ${local.files.length === 1 ? "its local annotation file" : `its ${local.files.length} local annotation files`}` };
  }
  const fact = annotationsReplaced(ctx, dataset, split) ? null : entryNumber(builder, "split_sizes", split);
  return fact === null ? null : { records: fact, source: `the size of LAVIS's standard \`${dataset}\` ${split} split (stdlib/contracts.lv)` };
}

export interface EpochIterations {
  readonly iterations: number;
  /** How the number was found, for messages. */
  readonly basis: string;
}

/**
 * Iterations of epoch 0, the one LAVIS warms up in: `iters_per_inner_epoch` with runner_iter; with runner_base the
 * training records (every dataset of every train split, concatenated) over batch_size_train, the last partial batch
 * dropped, on one GPU (more GPUs make it shorter). Null when a size is unknown.
 */
export function epochZeroIterations(ctx: RuleContext): EpochIterations | null {
  const num = (k: string) => numberAt(ctx, ["run", k]);
  if (nameAt(ctx, ["run", "runner"]) === "runner_iter") {
    const iters = num("iters_per_inner_epoch");
    return iters === null ? null : { iterations: iters, basis: "iters_per_inner_epoch" };
  }
  const batch = num("batch_size_train");
  if (batch === null || batch < 1) return null;
  let records = 0;
  const parts: string[] = [];
  for (const use of splitUses(ctx).filter((u) => u.role === "train")) {
    for (const d of use.datasets) {
      const size = splitSize(ctx, d, use.split);
      if (!size) return null;
      records += size.records;
      parts.push(`${d} ${use.split}: ${groupDigits(size.records)} records, ${size.source}`);
    }
  }
  if (!parts.length) return null;
  return { iterations: Math.floor(records / batch), basis: `${parts.join("; ")}; batch_size_train ${batch} on one GPU` };
}

const fileName = (p: string) => p.split("/").filter(Boolean).pop() ?? p;

/**
 * True when a split's annotation files are not the builder's standard ones: the storage file names differ from those
 * of the dataset type's default config (a project may write the defaults out again; that is still standard data).
 */
export function annotationsReplaced(ctx: RuleContext, dataset: string, split: string): boolean {
  const type = nameAt(ctx, ["datasets", dataset, "type"]) ?? "default";
  const standard = defaultStrings(ctx.registry, dataset, type, ["build_info", "annotations", split, "storage"]);
  const raw = toPlain(ctx.at(["datasets", dataset, "build_info", "annotations", split, "storage"]));
  const files = (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === "string");
  if (!standard) return true;
  const names = new Set(standard.map(fileName));
  return files.length !== standard.length || files.some((f) => !names.has(fileName(f)));
}
