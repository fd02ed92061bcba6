import { diag, type RelatedInfo } from "../../diagnostics/index.js";
import type { Registry } from "../../semantic/registry.js";
import type { Rule, RuleContext } from "../context.js";
import { archReads, batchOf, taskEvaluation } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { splitUses, type SplitUse } from "./runSplits.js";

interface Reader {
  readonly kind: "arch" | "task";
  readonly name: string;
  readonly fields: readonly string[];
}

interface Gap {
  readonly use: SplitUse;
  readonly dataset: string;
  readonly reader: Reader;
  readonly missing: readonly string[];
}

/**
 * LV4050 (at the dataset) and LV4051 (at the model): a key the model's forward (training) or the task's evaluation
 * reads from every batch is not in the batches the dataset's class yields for that split (stdlib/contracts.lv), which
 * LAVIS reports as a KeyError once data and weights have loaded. Builders, archs and tasks without a contract are
 * skipped. From LAVIS#181, LAVIS#229, LAVIS#364 (blip2_t5 on caption data: no text_output), LAVIS#125 and LAVIS#305
 * (instruction models on VQA data).
 */
export const sampleContractRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  const task = nameAt(ctx, ["run", "task"]);
  if (!arch || ctx.invalid.has("model.arch")) return;
  const gaps: Gap[] = [];
  for (const use of splitUses(ctx)) {
    for (const dataset of use.datasets) {
      const batch = batchOf(ctx.registry, dataset, use.split);
      if (!batch) continue;
      for (const reader of readersOf(ctx, arch, task, use)) {
        const missing = reader.fields.filter((f) => !batch.fields.has(f));
        if (missing.length) gaps.push({ use, dataset, reader, missing });
      }
    }
  }
  for (const g of gaps) reportAtDataset(ctx, g);
  reportAtModel(ctx, arch, gaps.filter((g) => g.reader.kind === "arch"));
};

function readersOf(ctx: RuleContext, arch: string, task: string | undefined, use: SplitUse): Reader[] {
  const reg = ctx.registry;
  if (use.role === "train") {
    const fields = archReads(reg, arch, "train");
    return fields ? [{ kind: "arch", name: arch, fields }] : [];
  }
  const ev = task ? taskEvaluation(reg, task) : null;
  if (!task || ev?.calls === "none") return [];
  const out: Reader[] = [];
  const own = archReads(reg, arch, task);
  if (own) out.push({ kind: "arch", name: arch, fields: own });
  const taskFields = (ev?.reads ?? []).flatMap((f) => (f.startsWith("recipe.") ? [nameAt(ctx, ["run", f.slice(7)])].filter((x): x is string => !!x) : [f]));
  if (taskFields.length) out.push({ kind: "task", name: task, fields: taskFields });
  return out;
}

const ROLE_WORDS = { train: "training", valid: "validation", test: "test" } as const;

function readerText(r: Reader, use: SplitUse): string {
  return r.kind === "arch" ? `model \`${r.name}\` reads ${use.role === "train" ? "in `forward`" : "when evaluating"}` : `task \`${r.name}\` reads when evaluating`;
}

function reportAtDataset(ctx: RuleContext, g: Gap) {
  const path = ["datasets", g.dataset];
  const cfg = ctx.at(path);
  const providers = buildersProviding(ctx.registry, g.use.split, g.missing, g.dataset);
  const related: RelatedInfo[] = [];
  const readerSpan = g.reader.kind === "arch" ? ctx.spanFor(["model", "arch"]) : ctx.spanFor(["run", "task"]);
  if (readerSpan) related.push({ span: readerSpan, message: `${g.reader.kind === "arch" ? "the model" : "the task"} is \`${g.reader.name}\`` });
  const splitNode = ctx.at(["run", g.use.key]);
  const item = splitNode?.kind === "list" ? splitNode.items[g.use.index] : undefined;
  if (item?.span && ctx.isUserValue(item)) related.push({ span: item.span, message: `\`${g.use.split}\` is a ${ROLE_WORDS[g.use.role]} split` });
  if (g.reader.kind === "task") related.push(...recipeKeysNaming(ctx, g.reader.name, g.missing));
  ctx.report(diag("LV4050", cfg?.keySpan ?? ctx.spanFor(path), {
    dataset: g.dataset, fields: quoteList(g.missing), split: g.use.split, reader: readerText(g.reader, g.use),
  }, {
    path: path.join("."),
    related,
    hint: `LAVIS stops with \`KeyError: '${g.missing[0]}'\` at the first ${ROLE_WORDS[g.use.role]} batch, after loading data and weights.` +
      (providers.length ? ` Builders whose \`${g.use.split}\` batches have ${quoteList(g.missing)}: ${quoteList(providers)}.` : ""),
  }));
}

/**
 * The recipe keys the experiment sets that name a missing field: a task reads some fields through a recipe key
 * (`sample_id_key = "img_id"` makes captioning read `img_id`), so that key, not the dataset, may be the mistake.
 */
function recipeKeysNaming(ctx: RuleContext, task: string, missing: readonly string[]): RelatedInfo[] {
  const reads = taskEvaluation(ctx.registry, task)?.reads ?? [];
  return reads.flatMap((f) => {
    if (!f.startsWith("recipe.")) return [];
    const key = f.slice(7);
    const node = ctx.at(["run", key]);
    const named = nameAt(ctx, ["run", key]);
    if (!node?.span || !named || !missing.includes(named) || !ctx.isUserValue(node)) return [];
    return [{ span: node.span, message: `\`${key}\` names \`${named}\` as the field to read` }];
  });
}

/** One diagnostic at model.arch per set of missing keys, naming every dataset that lacks them. */
function reportAtModel(ctx: RuleContext, arch: string, gaps: readonly Gap[]) {
  const byFields = new Map<string, Gap[]>();
  for (const g of gaps) {
    const k = `${g.use.role === "train" ? "train" : "eval"}:${g.missing.join(",")}`;
    byFields.set(k, [...(byFields.get(k) ?? []), g]);
  }
  for (const list of byFields.values()) {
    const first = list[0]!;
    const names = [...new Set(list.map((g) => `${g.dataset} (${g.use.split})`))];
    const related = [...new Set(list.map((g) => g.dataset))].flatMap((d) => {
      const s = ctx.at(["datasets", d])?.keySpan ?? ctx.spanFor(["datasets", d]);
      return s ? [{ span: s, message: `\`${d}\` does not provide ${quoteList(first.missing)}` }] : [];
    });
    ctx.report(diag("LV4051", ctx.spanFor(["model", "arch"]), {
      arch, fields: quoteList(first.missing), when: first.use.role === "train" ? "in training" : "when evaluating", datasets: names.join(", "),
    }, { path: "model.arch", related }));
  }
}

/** Builders whose batches for this split carry every missing key, those sharing the longest name prefix with the dataset first. */
function buildersProviding(reg: Registry, split: string, fields: readonly string[], dataset: string): string[] {
  const prefix = (a: string) => {
    let i = 0;
    while (i < a.length && i < dataset.length && a[i] === dataset[i]) i++;
    return i;
  };
  return [...reg.builders.keys()]
    .filter((b) => b !== dataset && fields.every((f) => batchOf(reg, b, split)?.fields.has(f)))
    .sort((a, b) => prefix(b) - prefix(a) || a.localeCompare(b))
    .slice(0, 5);
}
