import type * as A from "../../syntax/ast.js";
import { diag } from "../../diagnostics/index.js";
import { evaluate, refNames } from "../../semantic/evaluate.js";
import { evalEnv } from "../../semantic/facts.js";
import { blockOf } from "../../checker/rules/contractData.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * LV4082 (warning, tfjs engine only: `graph`, `plan`, `run`): a recipe value LAVIS honours that lavisc's tfjs engine
 * does not (`amp`, captioning's `annotation_file`, ...). The facts are the `warn` conditions of the `tfjs_engine { ... }`
 * blocks of the chosen task and runner (stdlib/tasks.lv, stdlib/training.lv); `check` stays quiet, as LAVIS may run it.
 */
export const tfjsEngineIgnoresRule: GraphRule = (ctx) => {
  if (ctx.engine !== "tfjs") return;
  const runner = ctx.at(["run", "runner"]);
  const entries = [ctx.resolved.task, ctx.registry.runners.get(runner?.kind === "scalar" ? String(runner.value) : "runner_base")];
  const env = evalEnv(ctx.resolved, ["run"]);
  for (const entry of entries) {
    for (const m of blockOf(entry ?? undefined, "tfjs_engine")?.members ?? []) {
      if (m.kind !== "Constraint" || m.severity !== "warn") continue;
      const v = evaluate(m.condition, env);
      if (v.k !== "value" || v.node.kind !== "scalar" || v.node.value !== true) continue;
      const key = firstKey(m.condition);
      const path = key ? ["run", key] : ["run"];
      ctx.report(diag("LV4082", ctx.spanFor(path), { message: m.message?.value ?? "a key lavisc's tfjs engine ignores is set" }, { path: path.join(".") }));
    }
  }
};

/** The recipe key a condition is about: the first it reads (`amp` in `amp == true and not evaluate`). */
function firstKey(e: A.Expr): string | null {
  switch (e.kind) {
    case "Ref": return refNames(e)[0] ?? null;
    case "Binary": return firstKey(e.left) ?? firstKey(e.right);
    case "Unary": return firstKey(e.operand);
    case "IsCheck": return firstKey(e.operand);
    case "Paren": return firstKey(e.inner);
    default: return null;
  }
}
