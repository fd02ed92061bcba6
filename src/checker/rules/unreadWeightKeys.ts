import { diag } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";
import { declaredByStdlib, loadsCheckpoint, loadsPretrainedItself } from "../../semantic/facts.js";
import { valueText } from "../../semantic/valueText.js";
import { nameAt } from "./names.js";

/**
 * LV4077 (warning): a weights key the user set asks for a loading the arch's LAVIS code does not do, because its
 * from_config never calls load_checkpoint_from_config (`loads_checkpoint = false` in the stdlib): `load_pretrained =
 * false` where it loads `pretrained` anyway (`loads_pretrained = true`), or weights or a load flag it never reads.
 * A value that asks for what LAVIS does anyway (`load_pretrained: False` for BLIP's pre-training) is not reported.
 * lavisc's engine loads as LAVIS does for the `loads_pretrained` archs (compiler/lowerRunSpec.ts's weightsOf), and reads
 * the flags for the others, so there such a value also makes the engines start from different weights. Not for a task
 * LAVIS does not have (`lavisc_only`), which only lavisc runs.
 */
export const unreadWeightKeysRule: Rule = (ctx) => {
  const arch = ctx.registry.archs.get(nameAt(ctx, ["model", "arch"]) ?? "");
  if (!arch || !declaredByStdlib(arch) || loadsCheckpoint(arch) || ctx.resolved.task?.meta.has("lavisc_only")) return;
  const readsPretrained = loadsPretrainedItself(arch);
  const pretrained = ctx.at(["model", "pretrained"]);
  const loaded = readsPretrained && isSet(pretrained) ? pretrained! : null;
  const how = readsPretrained
    ? `its from_config loads \`pretrained\` whenever it is set${loaded ? ` (here ${valueText(loaded)})` : ""}, whatever load_pretrained and load_finetuned say`
    : "its from_config builds its weights itself and reads none of load_finetuned, finetuned, load_pretrained and pretrained";
  const asks = (key: string, node: CNode): boolean => {
    const on = node.kind === "scalar" && node.value === true;
    switch (key) {
      case "load_pretrained": return readsPretrained ? node.kind === "scalar" && node.value === false && !!loaded : on;
      case "load_finetuned": return on;
      case "finetuned": return isSet(node);
      default: return !readsPretrained && isSet(node); // pretrained, for an arch that loads none
    }
  };
  for (const key of ["load_pretrained", "load_finetuned", "finetuned", "pretrained"]) {
    const node = ctx.at(["model", key]);
    if (!node || !ctx.isUserValue(node) || !asks(key, node)) continue;
    const hint = !readsPretrained
      ? "Remove it: LAVIS ignores it, while lavisc's engine reads it, so as written the two engines may start from different weights."
      : key === "load_pretrained"
        ? "To start from scratch, set `pretrained` to null: as written, LAVIS loads it, and so does lavisc's engine, which loads as LAVIS does here."
        : "Remove it: neither LAVIS nor lavisc's engine reads it for this arch.";
    ctx.report(diag("LV4077", node.keySpan ?? node.span, { key, arch: arch.name, how }, { path: `model.${key}`, hint }));
  }
};

function isSet(n: CNode | undefined): boolean {
  return n?.kind === "scalar" && typeof n.value === "string" && n.value !== "";
}
