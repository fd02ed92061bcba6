// A small line model of `.lv` text for generators: entries with optional bracketed bodies, comments and blank lines.
// Rendering only indents; the formatter decides the final layout.

export type Line =
  | { readonly t: "comment"; readonly text: string }
  | { readonly t: "blank" }
  | {
    readonly t: "entry";
    /** Text before the body's opening bracket (`recipe`, `train = blip_image_train`, `key =`), or the whole line. */
    readonly head: string;
    /** A comment on the same line (after the opening bracket when there is a body). */
    readonly trailing: string | null;
    readonly body: readonly Line[] | null;
    readonly open?: string;
    readonly close?: string;
  };

export function renderLines(lines: readonly Line[], indent = 0, out: string[] = []): string {
  const pad = "  ".repeat(indent);
  let prevBlank = true;
  for (const l of lines) {
    if (l.t === "blank") {
      if (!prevBlank) out.push("");
      prevBlank = true;
      continue;
    }
    prevBlank = false;
    if (l.t === "comment") {
      out.push(`${pad}//${l.text}`);
      continue;
    }
    const trailing = l.trailing !== null ? ` //${l.trailing}` : "";
    if (l.body === null) {
      out.push(`${pad}${l.head}${trailing}`);
      continue;
    }
    const open = l.open ?? "{", close = l.close ?? "}";
    const head = l.head ? `${l.head} ${open}` : open;
    if (l.body.length === 0 && !trailing) {
      out.push(`${pad}${head}${close}`);
      continue;
    }
    out.push(`${pad}${head}${trailing}`);
    renderLines(l.body, indent + 1, out);
    out.push(`${pad}${close}`);
  }
  return out.join("\n") + "\n";
}
