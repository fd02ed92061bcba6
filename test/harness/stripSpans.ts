/** A deep copy of an AST without `span` fields, for comparing trees parsed from differently laid-out text. */
export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== "span") out[k] = stripSpans(v);
    return out;
  }
  return node;
}
