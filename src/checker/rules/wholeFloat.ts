import { diag } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import type { FieldInfo } from "../../semantic/registry.js";
import { pythonFloat } from "../../semantic/valueText.js";
import type { RuleContext } from "../context.js";
import { nameAt } from "./names.js";

/**
 * LV3026 (warning): a whole-number float (`24.0`, `2e4`) where an int is declared. lavisc reads it as the int it
 * names, but OmegaConf gives LAVIS's code a float, which works only where that code converts the key with int() (the
 * runner's `int_keys` in stdlib/training.lv); elsewhere torch and numpy refuse it (DataLoader's batch size,
 * np.random.seed) or the model's layer sizes do.
 */
export function reportWholeFloat(ctx: RuleContext, node: CNode, path: readonly string[], field: FieldInfo): void {
  if (node.kind !== "scalar" || typeof node.value !== "number") return;
  if (path.length === 2 && path[0] === "run" && runnerIntKeys(ctx).includes(path[1]!)) return;
  const dotted = path.join(".");
  ctx.report(diag("LV3026", node.span ?? node.keySpan, { path: dotted, value: pythonFloat(node.value), int: String(node.value) }, {
    path: dotted,
    related: [{ span: field.span, message: `\`${field.name}\` is declared here` }],
  }));
}

function runnerIntKeys(ctx: RuleContext): readonly string[] {
  const runner = ctx.registry.runners.get(nameAt(ctx, ["run", "runner"]) ?? "runner_base");
  return runner ? (ctx.registry.metaNames(runner, "int_keys") ?? []) : [];
}
