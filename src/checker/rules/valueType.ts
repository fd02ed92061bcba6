import { diag } from "../../diagnostics/index.js";
import { describeValue, type CNode } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";
import { pythonFloat } from "../../semantic/valueText.js";
import { typeOf, checkValue, describeType, type ValueProblem } from "../types.js";
import { reportWholeFloat } from "./wholeFloat.js";

/** LV3001 type mismatch, LV3002 out of range, LV3004 null where not allowed: every value against its declared type. */
export const valueTypeRule: Rule = (ctx) => {
  const path: string[] = []; // one array for the walk (checkValue copies it where it finds a problem)
  const visit = (node: CNode) => {
    const field = path.length ? ctx.resolved.fieldAt(path) : null;
    if (field) {
      // Only what the user wrote: a derived value that is wrong is wrong because of an input reported on its own.
      if (!ctx.isUserValue(node)) return;
      const problems: ValueProblem[] = [];
      checkValue(typeOf(field.type, ctx.registry), node, path, problems);
      if (problems.some((p) => p.kind !== "wholeFloat")) ctx.invalid.add(path.join("."));
      for (const p of problems) {
        if (p.kind === "wholeFloat") {
          reportWholeFloat(ctx, p.node, p.path, field);
          continue;
        }
        const where = p.node.span ?? node.span ?? node.keySpan;
        const dotted = p.path.join(".");
        const related = [{ span: field.span, message: `\`${field.name}\` is declared here` }];
        if (p.kind === "null") ctx.report(diag("LV3004", where, { path: dotted }, { path: dotted, related }));
        else if (p.kind === "range") {
          const bound = `${p.notFinite ? "a finite number " : ""}${p.bound.op} ${p.bound.value}`;
          // An int beyond 2^53 keeps its written digits (`exact`), not the float it rounds to (1e+30).
          const exact = p.node.kind === "scalar" ? p.node.exact : undefined;
          ctx.report(diag("LV3002", where, { path: dotted, bound, value: exact ?? (Number.isFinite(p.value) ? String(p.value) : pythonFloat(p.value)) }, { path: dotted, related }));
        } else {
          ctx.report(diag("LV3001", where, { path: dotted, expected: describeType(p.expected), actual: describeValue(p.node) }, { path: dotted, related, hint: typeHint(p) }));
        }
      }
      // A processor slot's declared type is a map of anything; each processor's parameters have their own (fieldAt).
      if (node.kind !== "map" || !path.at(-1)!.endsWith("_processor")) return;
    }
    if (node.kind === "map") {
      node.entries.forEach((v, k) => {
        path.push(k);
        visit(v);
        path.pop();
      });
    }
  };
  visit(ctx.root);
};

function typeHint(p: ValueProblem & { kind: "type" }): string | null {
  const n = p.node;
  if (n.kind === "scalar" && n.type === "string" && /^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(String(n.value))) return "The value is quoted, so it is a string; remove the quotes.";
  if (n.kind === "scalar" && n.type === "string" && /^(true|false)$/i.test(String(n.value))) return "Write true or false without quotes.";
  if (p.expected.k === "list" && n.kind === "scalar") return `Write a list: [${n.type === "string" ? String(n.value) : n.value}].`;
  // A processor slot (`vis_processor.train`): LAVIS reads its `name`.
  const expected = p.expected.k === "nullable" ? p.expected.inner : p.expected;
  if (expected.k === "map" && n.kind === "scalar" && n.type === "string" && /_processor$/.test(p.path.at(-2) ?? "")) return `A processor is a mapping with its \`name\`: \`${p.path.at(-1)}: {name: ${String(n.value)}}\`.`;
  return null;
}
