import type { RuleContext } from "../context.js";

/** The string at a path, or undefined. */
export function nameAt(ctx: RuleContext, path: readonly string[]): string | undefined {
  const n = ctx.at(path);
  return n?.kind === "scalar" && typeof n.value === "string" ? n.value : undefined;
}

/** The number at a path, or null. */
export function numberAt(ctx: RuleContext, path: readonly string[]): number | null {
  const n = ctx.at(path);
  return n?.kind === "scalar" && typeof n.value === "number" ? n.value : null;
}

export function listOfNames(ctx: RuleContext, path: readonly string[]): { name: string; index: number }[] | null {
  const n = ctx.at(path);
  if (n?.kind !== "list") return null;
  return n.items.flatMap((i, index) => (i.kind === "scalar" && typeof i.value === "string" ? [{ name: i.value, index }] : []));
}

export const quoteList = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(", ");
