import { diag, didYouMean } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { modelKeys, datasetKeys, recipeKeys } from "./knownKeys.js";

/** LV2001: a key no schema of its section declares, with the closest known key. */
export const unknownKeyRule: Rule = (ctx) => {
  const reg = ctx.registry;
  const run = ctx.at(["run"]);
  if (run?.kind === "map") checkKeys(ctx, ["run"], run, recipeKeys(reg), "`run`");

  const model = ctx.at(["model"]);
  const archName = ctx.at(["model", "arch"]);
  const arch = archName?.kind === "scalar" ? reg.archs.get(String(archName.value)) : undefined;
  if (model?.kind === "map" && arch) checkKeys(ctx, ["model"], model, modelKeys(reg, arch), `model \`${arch.name}\``);

  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  for (const [name, cfg] of datasets.entries) {
    const builder = reg.builders.get(name);
    if (cfg.kind !== "map" || !builder) continue;
    checkKeys(ctx, ["datasets", name], cfg, datasetKeys(reg, builder), `dataset \`${name}\``);
    for (const [slot, slots] of cfg.entries) {
      if (!slot.endsWith("_processor") || slots.kind !== "map") continue;
      for (const [split, proc] of slots.entries) {
        const pname = proc.kind === "map" ? proc.entries.get("name") : undefined;
        const p = pname?.kind === "scalar" ? reg.processors.get(String(pname.value)) : undefined;
        if (!p || proc.kind !== "map") continue;
        checkKeys(ctx, ["datasets", name, slot, split], proc, new Set(["name", ...p.schema.fields.keys()]), `processor \`${p.name}\``);
      }
    }
  }
};

function checkKeys(ctx: RuleContext, path: string[], map: CNode & { kind: "map" }, known: Set<string>, section: string): void {
  for (const [key, node] of map.entries) {
    if (known.has(key) || !ctx.isUserValue(node)) continue;
    ctx.report(diag("LV2001", node.keySpan ?? node.span, { key, section }, {
      path: [...path, key].join("."),
      hint: didYouMean(key, known) ?? `Run \`lavisc schema\` to list the keys of ${section}.`,
    }));
  }
}
