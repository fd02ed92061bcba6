import { tokensAsPyYaml } from "../semantic/yamlFlowIndent.js";

// `yaml` decodes every double-quoted scalar character by character, which leaves each value a rope of ~30 bytes per
// character until something flattens it: a 5 MB file of quoted URLs then peaks at hundreds of MB while it is parsed.
// A double-quoted scalar on one line without `\` or `'` means exactly what the same text in single quotes means, and
// `yaml` reads single-quoted text as one slice of the source. So before migrate parses a large file, such scalars are
// re-quoted in place (same length, same offsets); migrate writes quoted strings the same whichever quote was used.

/** Files smaller than this are parsed as they are: the ropes are small, and the scan costs a parse of its own. */
const LARGE = 1 << 20;

export function singleQuotedWherePossible(text: string, y: typeof import("yaml")): string {
  if (text.length < LARGE) return text;
  const starts: number[] = [];
  const consider = (token: unknown) => {
    const t = token as { type?: string; source?: string; offset?: number } | null | undefined;
    if (t?.type !== "double-quoted-scalar" || t.source === undefined || t.offset === undefined) return;
    const s = t.source;
    if (s.length >= 2 && s.endsWith('"') && !/[\\'\n\r]/.test(s)) starts.push(t.offset, t.offset + s.length - 1);
  };
  for (const token of tokensAsPyYaml(y, text)) {
    if (token.type !== "document") continue;
    consider(token.value);
    y.CST.visit(token, (item) => {
      consider(item.key);
      consider(item.value);
    });
  }
  if (starts.length === 0) return text;
  starts.sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const at of starts) {
    parts.push(text.slice(from, at), "'");
    from = at + 1;
  }
  parts.push(text.slice(from));
  return parts.join("");
}
