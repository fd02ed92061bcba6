import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { SourceSet, sortDiagnostics, dedupeDiagnostics } from "../../src/diagnostics/index.js";

/** One of `lavisc check`'s diagnostics as the language server would publish it (0-based protocol position). */
export interface CheckedAsProtocol {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly character: number;
  readonly related: string[];
}

/** `lavisc check`'s diagnostics of `path` that are located in the file `only`, for comparison with the server's. */
export function checkAsProtocol(path: string, only: string): CheckedAsProtocol[] {
  const r = checkFile(path, nodeHost());
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  return sortDiagnostics(dedupeDiagnostics(r.diagnostics))
    .filter((d) => d.span?.file === only)
    .map((d) => {
      const f = sources.get(d.span!.file)!;
      const s = f.position(d.span!.start);
      return { code: d.code, message: d.hint ? `${d.message}\nhelp: ${d.hint}` : d.message, line: s.line - 1, character: s.column - 1, related: d.related.map((x) => x.message) };
    });
}
