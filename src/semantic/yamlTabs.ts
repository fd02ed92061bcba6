import type { Document } from "yaml";
import { diag, type Diagnostic } from "../diagnostics/index.js";

// PyYAML (OmegaConf's loader) refuses a tab anywhere but inside quoted text, block scalar text and comments ("found
// character '\t' that cannot start any token"): after a value (`k: a<tab>`), between words (`a<tab>b`), as
// indentation or on an otherwise blank line. The `yaml` package reads those as whitespace or text, so lavisc reports
// the first such tab of a file (LV1008) rather than reading a file that LAVIS cannot load.

/** LV1008 at the first tab OmegaConf's loader would stop on, or null. */
export function strayTab(text: string, doc: Document.Parsed, lib: typeof import("yaml"), file: string): Diagnostic | null {
  if (!text.includes("\t")) return null;
  const allowed: [number, number][] = [];
  lib.visit(doc, {
    Scalar(_key, node) {
      const t = node.type;
      if (node.range && (t === "QUOTE_DOUBLE" || t === "QUOTE_SINGLE" || t === "BLOCK_LITERAL" || t === "BLOCK_FOLDED")) allowed.push([node.range[0], node.range[1]]);
    },
  });
  const inAllowed = (i: number) => allowed.some(([s, e]) => i >= s && i < e);
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") inComment = false;
    else if (inComment || inAllowed(i)) continue;
    else if (c === "#" && (i === 0 || /[ \t\n]/.test(text[i - 1]!))) inComment = true;
    else if (c === "\t") {
      return diag("LV1008", { file, start: i, end: i + 1 }, { detail: "a tab outside quoted text, block text and comments: OmegaConf's loader (PyYAML) stops on it (\"found character '\\t' that cannot start any token\"); use spaces" });
    }
  }
  return null;
}
