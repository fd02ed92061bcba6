import { diag, bestMatches, didYouMeanNames, editDistance } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { modelKeys, datasetKeys, recipeKeys } from "./knownKeys.js";
import { FORK_SCHEMAS } from "../../semantic/resolve.js";
import { processorSlots } from "./processorSlots.js";
import { typeOf } from "../types.js";
import { misplacedKeyHint } from "./keyOwners.js";

/** LV2001: a key no schema of its section declares, with the closest known key. */
export const unknownKeyRule: Rule = (ctx) => {
  const reg = ctx.registry;
  const run = ctx.at(["run"]);
  if (run?.kind === "map") checkKeys(ctx, ["run"], run, recipeKeys(reg), "`run`", FORK_SCHEMAS.recipe);

  const model = ctx.at(["model"]);
  const archName = ctx.at(["model", "arch"]);
  const arch = archName?.kind === "scalar" ? reg.archs.get(String(archName.value)) : undefined;
  if (model?.kind === "map" && arch) checkKeys(ctx, ["model"], model, modelKeys(reg, arch), `model \`${arch.name}\``, FORK_SCHEMAS.model);

  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") {
    for (const [name, cfg] of datasets.entries) {
      const builder = reg.builders.get(name);
      if (cfg.kind === "map" && builder) {
        checkKeys(ctx, ["datasets", name], cfg, datasetKeys(reg, builder), `dataset \`${name}\``, FORK_SCHEMAS.dataset);
        checkEnumKeyedMaps(ctx, ["datasets", name], cfg);
      }
    }
  }
  for (const { path, proc } of processorSlots(ctx)) {
    // A dataset of an unknown builder is reported once, as that; its processors are not checked either.
    if (path[0] === "datasets" && !reg.builders.has(path[1]!)) continue;
    const pname = proc.kind === "map" ? proc.entries.get("name") : undefined;
    const p = pname?.kind === "scalar" ? reg.processors.get(String(pname.value)) : undefined;
    if (!p || proc.kind !== "map") continue;
    checkKeys(ctx, path, proc, new Set(["name", ...p.schema.fields.keys()]), `processor \`${p.name}\``);
  }
};

/** A map whose declared keys are an enum's names (a processor section's `train` and `eval`): any other key. */
function checkEnumKeyedMaps(ctx: RuleContext, path: readonly string[], cfg: CNode & { kind: "map" }): void {
  cfg.entries.forEach((node, key) => {
    const field = node.kind === "map" ? ctx.resolved.fieldAt([...path, key]) : null;
    const declared = field && typeOf(field.type, ctx.registry);
    const map = declared?.k === "nullable" ? declared.inner : declared;
    if (node.kind === "map" && map?.k === "map" && map.key?.k === "enum") checkKeys(ctx, [...path, key], node, new Set(map.key.values), `\`${[...path, key].join(".")}\``);
  });
}

/** Names other frameworks use for LAVIS's keys, so "did you mean" can bridge vocabularies. */
const ALIASES: Readonly<Record<string, string>> = {
  lr: "init_lr", learning_rate: "init_lr", base_lr: "init_lr", epochs: "max_epoch", num_epochs: "max_epoch", max_epochs: "max_epoch",
  batch_size: "batch_size_train", train_batch_size: "batch_size_train", eval_batch_size: "batch_size_eval", scheduler: "lr_sched",
  lr_scheduler: "lr_sched", warmup: "warmup_steps", warmup_iters: "warmup_steps", grad_accum: "accum_grad_iters",
  gradient_accumulation_steps: "accum_grad_iters", fp16: "amp", output: "output_dir", out_dir: "output_dir", beam_size: "num_beams",
  max_length: "max_len", min_length: "min_len",
};

/**
 * "Did you mean" for a key of the section misspelt (the names as close as the nearest, so that one name is a fix:
 * src/diagnostics/suggest.ts) or another framework's name of it (`lerning_rate` leads to `init_lr`). An alias is
 * suggested only for its own spelling, give or take a typo: by distance alone, `image_size` and `queue_size` would
 * "mean" `beam_size`, which is LAVIS's `num_beams`.
 */
function suggestKey(key: string, known: ReadonlySet<string>): string | null {
  const alias = aliasOf(key, known);
  const near = bestMatches(key, known);
  if (alias && !(near[0] && editDistance(key.toLowerCase(), near[0].toLowerCase()) < alias.d)) {
    return `Did you mean \`${ALIASES[alias.name]}\`? It is LAVIS's name for ${alias.name.replace(/_/g, " ")}.`;
  }
  return didYouMeanNames(near);
}

/** The alias `key` spells, exactly or (an alias of 6 characters or more) with one typo; null when none. */
function aliasOf(key: string, known: ReadonlySet<string>): { name: string; d: number } | null {
  const lower = key.toLowerCase();
  let best: { name: string; d: number } | null = null;
  for (const [name, target] of Object.entries(ALIASES)) {
    if (!known.has(target) || Math.abs(name.length - lower.length) > 1) continue;
    const d = editDistance(lower, name);
    if (d <= (name.length >= 6 ? 1 : 0) && (!best || d < best.d)) best = { name, d };
  }
  return best;
}

function checkKeys(ctx: RuleContext, path: readonly string[], map: CNode & { kind: "map" }, known: ReadonlySet<string>, section: string, forkSchema?: string): void {
  map.entries.forEach((node, key) => {
    if (known.has(key) || !ctx.isUserValue(node)) return;
    ctx.report(diag("LV2001", node.keySpan ?? node.span, { key, section }, {
      path: [...path, key].join("."),
      hint: misplacedKeyHint(ctx, key, path) ?? forkKeyHint(ctx, key, forkSchema) ?? suggestKey(key, known) ?? `\`lavisc schema\` lists the keys of ${section}.`,
    }));
  });
}

/** A key LAVIS forks add (stdlib/forks.lv), in a file no fork extension covers: say whose key it is. */
function forkKeyHint(ctx: RuleContext, key: string, forkSchema: string | undefined): string | null {
  const field = forkSchema ? ctx.registry.schemas.get(forkSchema)?.fields.get(key) : undefined;
  if (!field) return null;
  const users = /\(([^()]*)\)\.?$/.exec(field.doc ?? "")?.[1];
  return `\`${key}\` is a key LAVIS forks add${users ? ` (${users})` : ""}; LAVIS itself ignores it. In a fork, \`lavisc registry scan DIR\` writes the extension that declares it.`;
}
