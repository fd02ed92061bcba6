import type { CodeAction, Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { getPath } from "../semantic/configTree.js";
import { codeDefaultDifferences } from "../semantic/facts.js";
import { valueText } from "../semantic/valueText.js";
import { rangeOf } from "./convert.js";
import type { Analysis } from "./analysis.js";

// Quick fixes for LV4019 (the experiment relies on a documented default LAVIS's code does not share): write the key
// in its section, with LAVIS's value or with lavisc's, as the warning's hint asks. Offered where the section is a
// block of this file (`recipe { ... }`, `run:` with its keys on their own lines); elsewhere the hint says what to write.

export function codeDefaultFixes(uri: string, diagnostics: readonly LspDiagnostic[], analysis: Analysis | null): CodeAction[] {
  if (!analysis?.resolved || !analysis.fileLayer) return [];
  const warned = diagnostics.filter((d) => d.source === "lavisc" && d.code === "LV4019");
  if (!warned.length) return [];
  const differences = codeDefaultDifferences(analysis.resolved);
  const actions: CodeAction[] = [];
  for (const d of warned) {
    const path = (d.data as { path?: string } | undefined)?.path;
    const difference = differences.find((x) => x.path.join(".") === path);
    if (!difference || difference.path.length !== 2) continue;
    const [section, key] = difference.path as [string, string];
    const choices = [
      { value: valueText(difference.code), whose: "LAVIS's code" },
      { value: valueText(difference.documented), whose: "lavisc's documented default" },
    ];
    for (const [i, choice] of choices.entries()) {
      const edit = insertion(analysis, section, key, choice.value);
      if (!edit) break;
      actions.push({
        title: `Set \`${key}\` to ${choice.value} (${choice.whose})`,
        kind: "quickfix",
        diagnostics: [d],
        // A YAML file is LAVIS's: its value is what the file did there.
        isPreferred: i === 0 && analysis.format === "yaml",
        edit: { changes: { [uri]: [edit] } },
      });
    }
  }
  return actions;
}

/** The text edit that adds `key` with `value` as the last entry of the section's block, or null where it has none. */
function insertion(analysis: Analysis, section: string, key: string, value: string) {
  const node = getPath(analysis.fileLayer!, [section]);
  const span = node?.kind === "map" ? node.span : null;
  if (!span || span.file !== analysis.path) return null;
  const text = analysis.text;
  const eol = lineEndingOf(text);
  const position = (offset: number) => rangeOf({ file: analysis.path, start: offset, end: offset }, analysis.sources).start;
  if (analysis.format === "lv") {
    // `recipe {` ... `}` with the closing brace on a line of its own: the new entry goes on the line before it.
    const close = span.end - 1;
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const indent = text.slice(lineStart, close);
    if (text[close] !== "}" || !/^[ \t]*$/.test(indent)) return null;
    const at = position(lineStart);
    return { range: { start: at, end: at }, newText: `${indent}  ${key} = ${value}${eol}` };
  }
  // A block mapping (`run:` then indented keys): after its last line, at its keys' indentation.
  if (text[span.start] === "{" || text[span.start] === "[") return null;
  const firstKey = text.lastIndexOf("\n", span.start - 1) + 1;
  const indent = text.slice(firstKey, span.start);
  if (!/^[ ]+$/.test(indent)) return null;
  let last = span.end;
  while (last > span.start && /\s/.test(text[last - 1]!)) last--;
  const lineEnd = text.indexOf("\n", last);
  const at = position(lineEnd < 0 ? text.length : lineEnd);
  return { range: { start: at, end: at }, newText: `${eol}${indent}${key}: ${value}` };
}

/** The file's line ending (its first line's), so an added line keeps a CRLF file CRLF. */
function lineEndingOf(text: string): string {
  const nl = text.indexOf("\n");
  return nl > 0 && text[nl - 1] === "\r" ? "\r\n" : "\n";
}
