import { existsSync } from "node:fs";
import { limitedText, readTextFile } from "../project/readTextFile.js";
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { FileReader } from "../index.js";
import { analyze, isLavisYaml, type Analysis } from "./analysis.js";
import { pathToUri, toLspDiagnostic, uriToPath } from "./convert.js";

// The server's warm state: the open documents (their text wins over the disk, so imports and `extends` see unsaved
// edits), one analysis per document (the stdlib is loaded once per process), and the diagnostics each analysis
// published, by file (a check of one file reports problems in the files it imports or extends).

export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  private readonly analyses = new Map<string, { version: number; analysis: Analysis | null }>();
  /** Owner document URI → target file URI → diagnostics the owner's check reported there. */
  private readonly published = new Map<string, Map<string, LspDiagnostic[]>>();

  /** Reads open documents from the editor, everything else from the disk. */
  readonly reader: FileReader = {
    readFile: (path) => {
      const doc = this.openByPath(path);
      return doc ? limitedText(doc.getText()) : readTextFile(path);
    },
    exists: (path) => !!this.openByPath(path) || existsSync(path),
  };

  private openByPath(path: string): OpenDocument | undefined {
    return this.open.get(pathToUri(path));
  }

  didOpen(doc: OpenDocument): void {
    this.open.set(doc.uri, doc);
  }

  didClose(uri: string): void {
    this.open.delete(uri);
    this.analyses.delete(uri);
  }

  document(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  /** The analysis of an open document at its current version (analysed now if an edit is still pending). */
  analysis(uri: string): Analysis | null {
    const doc = this.open.get(uri);
    if (!doc) return null;
    const hit = this.analyses.get(uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    return this.reanalyze(uri);
  }

  /** Analyses a document now; null for files lavisc does not read (YAML without LAVIS sections, other types). */
  reanalyze(uri: string): Analysis | null {
    const doc = this.open.get(uri);
    if (!doc) return null;
    const path = uriToPath(uri);
    if (path === null) return this.remember(uri, doc.version, null);
    const text = doc.getText();
    const relevant = path.endsWith(".lv") || (/\.ya?ml$/i.test(path) && isLavisYaml(text));
    return this.remember(uri, doc.version, relevant ? analyze(path, this.reader) : null);
  }

  private remember(uri: string, version: number, analysis: Analysis | null): Analysis | null {
    this.analyses.set(uri, { version, analysis });
    return analysis;
  }

  /** Open documents whose last analysis read `uri` (an imported module, an extended base). */
  dependents(uri: string): string[] {
    const path = uriToPath(uri);
    if (path === null) return [];
    return [...this.analyses].filter(([u, a]) => u !== uri && a.analysis?.dependencies.includes(path)).map(([u]) => u);
  }

  /**
   * Records what `owner`'s analysis reports, by file, and returns the files whose diagnostics changed with the full
   * list each now has (the union over the open documents that report there, each problem once).
   */
  updateDiagnostics(owner: string, analysis: Analysis | null): Map<string, LspDiagnostic[]> {
    const byFile = new Map<string, LspDiagnostic[]>();
    for (const d of analysis?.diagnostics ?? []) {
      const target = d.span ? pathToUri(d.span.file) : owner;
      byFile.set(target, [...(byFile.get(target) ?? []), toLspDiagnostic(d, analysis!.sources)]);
    }
    const touched = new Set([...(this.published.get(owner)?.keys() ?? []), ...byFile.keys(), owner]);
    this.published.set(owner, byFile);
    const out = new Map<string, LspDiagnostic[]>();
    for (const target of touched) {
      const seen = new Set<string>();
      const all: LspDiagnostic[] = [];
      for (const files of this.published.values()) {
        for (const d of files.get(target) ?? []) {
          const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
          if (!seen.has(key)) { seen.add(key); all.push(d); }
        }
      }
      out.set(target, all);
    }
    return out;
  }

  forgetDiagnostics(owner: string): Map<string, LspDiagnostic[]> {
    return this.updateDiagnostics(owner, null);
  }
}
