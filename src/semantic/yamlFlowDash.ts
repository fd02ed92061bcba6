// A lone `-` in a flow collection (`[a, -]`, `{k: -}`) is the text "-" to PyYAML (YAML 1.1), while the `yaml` package
// follows YAML 1.2 and refuses it ("Block collections are not allowed within flow collections"). For such a file the
// slow reader parses a copy in which each lone dash is DASH, a one-character stand-in (offsets stay the same), and
// reads the stand-in back as "-".

export const DASH = "\uE000";

/** The documents parsed from a copy with stand-ins: only their scalars are read back. */
export const parsedWithStandIns = new WeakSet<object>();

/** `text` with every lone `-` inside a flow collection replaced by DASH, or null when it has none. */
export function standInFlowDashes(text: string): string | null {
  let depth = 0;
  let quote: string | null = null;
  let out: string[] | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(text[i - 1] ?? " ")) quote = c;
    else if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && depth > 0) depth--;
    else if (c === "-" && depth > 0 && /[[{,:]/.test(prevNonSpace(text, i)) && /[,\]}]/.test(nextNonSpace(text, i))) (out ??= [...text])[i] = DASH;
  }
  return out ? out.join("") : null;
}

function prevNonSpace(text: string, i: number): string {
  for (let j = i - 1; j >= 0; j--) if (text[j] !== " " && text[j] !== "\n" && text[j] !== "\r") return text[j]!;
  return "";
}

function nextNonSpace(text: string, i: number): string {
  for (let j = i + 1; j < text.length; j++) if (text[j] !== " " && text[j] !== "\n" && text[j] !== "\r") return text[j]!;
  return "";
}
