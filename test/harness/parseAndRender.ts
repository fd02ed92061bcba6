import { parse, type ParseResult } from "../../src/syntax/index.js";
import { SourceFile, SourceSet, renderDiagnostics, sortDiagnostics } from "../../src/diagnostics/index.js";

/** Parses `text` as `path` and renders its diagnostics exactly as the CLI prints them (sorted, no color). */
export function parseAndRender(text: string, path: string): { result: ParseResult; rendered: string } {
  const result = parse(text, path);
  const sources = new SourceSet();
  sources.add(new SourceFile(path, text));
  return { result, rendered: renderDiagnostics(sortDiagnostics(result.diagnostics), sources) };
}
