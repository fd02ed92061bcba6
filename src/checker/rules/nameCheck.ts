import { diag, didYouMean, type DiagnosticCode, type MessageArgs } from "../../diagnostics/index.js";
import type { CNode } from "../../semantic/configTree.js";
import type { RuleContext } from "../context.js";

/** Reports a name that is not among `known`, with "did you mean" or the full list when it is short. Returns true if known. */
export function checkName(
  ctx: RuleContext, path: readonly string[], node: CNode | undefined, known: Iterable<string>, code: DiagnosticCode, args: (name: string) => MessageArgs,
): boolean {
  if (!node || node.kind !== "scalar" || typeof node.value !== "string") return true;
  const list = [...known];
  if (list.includes(node.value)) return true;
  if (!ctx.isUserValue(node) && node.origin.kind !== "derived") return false;
  const suggestion = didYouMean(node.value, list);
  const all = list.length <= 8 ? `Valid names: ${list.map((k) => `\`${k}\``).join(", ")}.` : null;
  const hint = [suggestion, all].filter(Boolean).join(" ") || null;
  ctx.report(diag(code, node.span ?? node.keySpan, args(node.value), { path: path.join("."), hint }));
  return false;
}
