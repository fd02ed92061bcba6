import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { limitedText, readTextFile } from "../project/readTextFile.js";
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { FileReader } from "../index.js";
import { analyze, isLavisYaml, type Analysis } from "./analysis.js";
import { fileKey, pathToUri, toLspDiagnostic, uriKey, uriToPath } from "./convert.js";

// The server's warm state: the open documents (their text wins over the disk, so imports, `extends` and a
// `.lavisc/` extension see unsaved edits), one analysis per document (the stdlib is loaded once per process), and the
// diagnostics each analysis published, by file (a check of one file reports problems in the files it imports or
// extends). A file is known by its path (fileKey), never by a URI's spelling: an editor escapes characters Node's
// URIs leave as they are (`w%404` for `w@4`), and diagnostics for an open document go out under the editor's URI.

export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export class Workspace {
  private readonly open = new Map<string, OpenDocument>();
  /** File key → the URI the editor opened that file under. */
  private readonly openUris = new Map<string, string>();
  private readonly analyses = new Map<string, { version: number; analysis: Analysis | null }>();
  /** Owner document URI → target file key → diagnostics the owner's check reported there. */
  private readonly published = new Map<string, Map<string, LspDiagnostic[]>>();
  /** Target file key → the URI its diagnostics were last published under. */
  private readonly publishedUris = new Map<string, string>();

  /** Reads open documents from the editor, everything else from the disk (a folder lists its open documents too). */
  readonly reader: FileReader = {
    readFile: (path) => {
      const doc = this.openByPath(path);
      return doc ? limitedText(doc.getText()) : readTextFile(path);
    },
    exists: (path) => !!this.openByPath(path) || existsSync(path),
    isDirectory: (path) => this.openIn(path).length > 0 || isFolder(path),
    listDir: (path) => {
      const open = this.openIn(path);
      if (!open.length) return readdirSync(path);
      return [...new Set([...(isFolder(path) ? readdirSync(path) : []), ...open])];
    },
  };

  private openByPath(path: string): OpenDocument | undefined {
    const uri = this.openUris.get(fileKey(path));
    return uri === undefined ? undefined : this.open.get(uri);
  }

  /** The names of the open documents in a folder (an unsaved new file there included). */
  private openIn(dir: string): string[] {
    const key = fileKey(dir);
    return [...this.openUris.keys()].filter((k) => k !== key && dirname(k) === key).map((k) => basename(k));
  }

  didOpen(doc: OpenDocument): void {
    this.open.set(doc.uri, doc);
    this.openUris.set(uriKey(doc.uri), doc.uri);
  }

  didClose(uri: string): void {
    this.open.delete(uri);
    this.analyses.delete(uri);
    if (this.openUris.get(uriKey(uri)) === uri) this.openUris.delete(uriKey(uri));
  }

  document(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  /** The URI to name a file by: the editor's, when the file is open, else Node's spelling. */
  readonly uriOf = (file: string): string => this.openUris.get(fileKey(file)) ?? pathToUri(file);

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

  /** Open documents other than `uri` whose last analysis asked about its file (an import, a base, an extension). */
  dependents(uri: string): string[] {
    return this.dependentsOf(uriToPath(uri) ?? uri).filter((u) => u !== uri);
  }

  /**
   * Open documents whose last analysis asked about the file at `path` or listed its folder: the file changed, was
   * created or deleted (in the editor or on disk).
   */
  dependentsOf(path: string): string[] {
    const key = fileKey(path), folder = fileKey(dirname(path));
    const depends = (a: Analysis) => a.dependencies.some((d) => { const k = fileKey(d); return k === key || k === folder; });
    return [...this.analyses].filter(([, a]) => a.analysis && depends(a.analysis)).map(([u]) => u);
  }

  /** The local annotation files the open documents' last analyses counted or looked for (watched on disk). */
  annotationFiles(): Set<string> {
    const files = new Set<string>();
    for (const { analysis } of this.analyses.values()) for (const f of analysis?.annotationFiles ?? []) files.add(f);
    return files;
  }

  /**
   * Records what `owner`'s analysis reports, by file, and returns what to publish for the files whose diagnostics
   * changed: each one's full list (the union over the open documents that report there, each problem once), under the
   * editor's URI for an open file, preceded by an empty list under the URI it was published under before when that
   * spelling changed (a file opened or closed since).
   */
  updateDiagnostics(owner: string, analysis: Analysis | null): [string, LspDiagnostic[]][] {
    const byFile = new Map<string, LspDiagnostic[]>();
    for (const d of analysis?.diagnostics ?? []) {
      const target = d.span ? fileKey(d.span.file) : uriKey(owner);
      byFile.set(target, [...(byFile.get(target) ?? []), toLspDiagnostic(d, analysis!.sources, this.uriOf)]);
    }
    const touched = new Set([...(this.published.get(owner)?.keys() ?? []), ...byFile.keys(), uriKey(owner)]);
    this.published.set(owner, byFile);
    const out: [string, LspDiagnostic[]][] = [];
    for (const target of touched) {
      const uri = this.uriOf(target), before = this.publishedUris.get(target);
      if (before !== undefined && before !== uri) out.push([before, []]);
      this.publishedUris.set(target, uri);
      out.push([uri, this.reportedAt(target)]);
    }
    return out;
  }

  private reportedAt(target: string): LspDiagnostic[] {
    const seen = new Set<string>();
    const all: LspDiagnostic[] = [];
    for (const files of this.published.values()) {
      for (const d of files.get(target) ?? []) {
        const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
        if (!seen.has(key)) { seen.add(key); all.push(d); }
      }
    }
    return all;
  }

  forgetDiagnostics(owner: string): [string, LspDiagnostic[]][] {
    const out = this.updateDiagnostics(owner, null);
    this.published.delete(owner);
    return out;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
