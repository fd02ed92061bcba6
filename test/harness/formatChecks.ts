import { parse } from "../../src/syntax/index.js";
import type { File } from "../../src/syntax/index.js";
import { format } from "../../src/format/index.js";
import { stripSpans } from "./stripSpans.js";

/** A comment's text as the formatter may print it: line breaks normalised, trailing spaces of each line dropped. */
export const normalizeComment = (text: string): string =>
  text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trimEnd()).join("\n");

/** The AST without spans, with comments reduced to their normalised texts in order. */
export function comparableAst(ast: File): unknown {
  return { ...(stripSpans({ ...ast, comments: [] }) as object), comments: ast.comments.map((c) => normalizeComment(c.text)) };
}

/**
 * Formats `text` (which must parse cleanly) and checks the formatter's contract. Returns the formatted text and the
 * broken properties, each as one sentence (empty when all hold).
 */
export function checkFormat(text: string, path: string): { output: string; problems: string[] } {
  const problems: string[] = [];
  const first = parse(text, path);
  if (first.diagnostics.length) return { output: "", problems: [`input does not parse: ${first.diagnostics[0]!.message}`] };
  const output = format(first.ast, text);
  const second = parse(output, path);
  if (second.diagnostics.length) {
    problems.push(`output does not parse: ${second.diagnostics[0]!.message} at ${second.diagnostics[0]!.span?.start}`);
    return { output, problems };
  }
  if (JSON.stringify(comparableAst(first.ast)) !== JSON.stringify(comparableAst(second.ast))) problems.push("the AST of the output differs from the input's");
  if (format(second.ast, output) !== output) problems.push("formatting is not idempotent");
  let from = 0;
  for (const c of first.ast.comments) {
    const at = output.indexOf(normalizeComment(c.text), from);
    if (at < 0) {
      problems.push(`comment ${JSON.stringify(c.text)} is missing or out of order`);
      break;
    }
    from = at + 1;
  }
  if (/[ \t]$/m.test(output)) problems.push("output has trailing whitespace");
  if (output !== "" && !output.endsWith("\n")) problems.push("output lacks a final newline");
  if (/\n\n\n/.test(output) || output.startsWith("\n")) problems.push("output has more than one blank line in a row");
  return { output, problems };
}
