import { diag } from "../../diagnostics/index.js";
import { describeValue, type CNode } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { referencePath } from "../../interop/lvText.js";
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
          ctx.report(diag("LV3001", where, { path: dotted, expected: describeType(p.expected), actual: describeValue(p.node) }, { path: dotted, related, hint: typeHint(ctx, p) }));
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

function typeHint(ctx: RuleContext, p: ValueProblem & { kind: "type" }): string | null {
  const n = p.node;
  const numberOrBool = n.kind === "scalar" && n.type === "string" && /^(-?\d+(\.\d*)?([eE][-+]?\d+)?|true|false)$/i.test(String(n.value));
  const read = n.origin.deps?.[0]?.path;
  if (numberOrBool && read) return interpolatedHint(ctx, read);
  if (n.kind === "scalar" && n.type === "string" && /^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(String(n.value))) return "The value is quoted, so it is a string; remove the quotes.";
  if (n.kind === "scalar" && n.type === "string" && /^(true|false)$/i.test(String(n.value))) return "Write true or false without quotes.";
  const reference = referenceHint(ctx, p);
  if (reference) return reference;
  if (p.expected.k === "list" && n.kind === "scalar") return `Write a list: [${n.type === "string" ? String(n.value) : n.value}].`;
  // A processor slot (`vis_processor.train`): LAVIS reads its `name`.
  const expected = p.expected.k === "nullable" ? p.expected.inner : p.expected;
  if (expected.k === "map" && n.kind === "scalar" && n.type === "string" && /_processor$/.test(p.path.at(-2) ?? "")) return `A processor is a mapping with its \`name\`: \`${p.path.at(-1)}: {name: ${String(n.value)}}\`.`;
  return null;
}

/**
 * A number or boolean made into text by references: OmegaConf's string interpolation gives a string whenever the
 * value is more than one `${...}` alone (`${run.num_beams}${run.num_beams}` is "33"); a lone one keeps the type of
 * what it reads. A `.lv` string is text whatever it holds (`"${seed}"` too); a reference unquoted is the value.
 */
function interpolatedHint(ctx: RuleContext, read: string): string {
  const path = read.split(".");
  if (ctx.resolved.input.format === "yaml") {
    return `References joined to each other or to text make a string in OmegaConf; only a value that is one reference alone keeps the type of what it reads (\`\${${read}}\`).`;
  }
  const written = referencePath(path) ?? `\${${read}}`;
  return `A string is text, the references in it included; to keep the type of \`${read}\`, write a reference without quotes (\`${written}\`).`;
}

/**
 * A name written where another key's value was meant (`test_splits = valid_splits`: in `.lv` a bare name where names
 * are expected is a name, here the split `valid_splits`): the reference that reads the key, when the experiment has
 * one of that name in scope whose value fits. `.lv` references it by path (`recipe.valid_splits`, as `migrate` writes
 * references), YAML by interpolation (`${run.valid_splits}`).
 */
function referenceHint(ctx: RuleContext, p: ValueProblem & { kind: "type" }): string | null {
  const n = p.node;
  if (n.kind !== "scalar" || n.type !== "string") return null;
  const name = String(n.value);
  for (let depth = p.path.length - 1; depth >= 1; depth--) {
    const target = [...p.path.slice(0, depth), name];
    const value = ctx.at(target);
    if (!value) continue;
    const problems: ValueProblem[] = [];
    checkValue(p.expected, value, target, problems);
    if (problems.length) return null;
    const lv = ctx.resolved.input.format === "lv";
    const written = lv ? referencePath(target) : `\${${target.join(".")}}`;
    if (!written) return null;
    const what = lv && n.bare ? "a name, not a reference" : "a string";
    return `\`${name}\` here is ${what}; write \`${written}\` to use the value of that key.`;
  }
  return null;
}
