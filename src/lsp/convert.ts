import { join, posix, win32 } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DiagnosticTag, type Diagnostic as LspDiagnostic, type Location, type Range } from "vscode-languageserver";
import { suggestedNames, type Diagnostic, type SourceSet, type Span } from "../diagnostics/index.js";
import { stdlibDir } from "../project/paths.js";

// Between lavisc's offsets and file paths and the protocol's 0-based UTF-16 positions and URIs. lavisc names stdlib
// files `stdlib/<file>.lv` in spans; the editor gets the installed file.

const STDLIB = "stdlib/";

/**
 * Whose path rules a file URI's path follows: this machine's, which the server uses; the tests name Windows' or
 * POSIX's to check either on any machine (Node's `windows` option of fileURLToPath and pathToFileURL).
 */
export type PathFlavor = "win32" | "posix";
const HOST: PathFlavor = process.platform === "win32" ? "win32" : "posix";
const pathsOf = (flavor: PathFlavor) => (flavor === "win32" ? win32 : posix);

/**
 * The path lavisc reads a document by: a file URI's path, any other URI as it is (an unsaved `untitled:` document is
 * read from the editor's text); null for a file URI Node cannot turn into a path (see uriPathProblem).
 */
export function uriToPath(uri: string, flavor: PathFlavor = HOST): string | null {
  if (!uri.startsWith("file:")) return uri;
  return uriPathProblem(uri, flavor) === null ? fileURLToPath(uri, { windows: flavor === "win32" }) : null;
}

/**
 * Why a file URI has no path on this system, or null when it has one. Node refuses a malformed escape (`%ZZ`) and an
 * escaped `/` (`a%2Fb`; on Windows `\` too), on POSIX a host (`file://server/share`, a UNC path `\\server\share` on
 * Windows), on Windows a path without a drive letter (`file:///x`); an editor may still send such a URI, and one
 * document's URI must not take the server down.
 */
export function uriPathProblem(uri: string, flavor: PathFlavor = HOST): string | null {
  try {
    fileURLToPath(uri, { windows: flavor === "win32" });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A file's URI as Node spells it (an editor may escape other characters: see fileKey). */
export function pathToUri(path: string, flavor: PathFlavor = HOST): string {
  if (path.startsWith(STDLIB)) return pathToFileURL(join(stdlibDir(), path.slice(STDLIB.length))).href;
  return pathsOf(flavor).isAbsolute(path) ? pathToFileURL(path, { windows: flavor === "win32" }).href : path;
}

/**
 * What names one file however its URI is spelled: VS Code escapes `@ ( ) + , ; = ! $ & ' [ ]` and a Windows drive's
 * `:` (`file:///c%3A/x`) where Node's pathToFileURL does not, and both are the same file. An absolute path is
 * normalised (a drive letter in lower case); anything else (a `stdlib/` span path, an `untitled:` URI) is itself.
 */
export function fileKey(path: string, flavor: PathFlavor = HOST): string {
  const paths = pathsOf(flavor);
  if (!paths.isAbsolute(path)) return path;
  return paths.normalize(path).replace(/^[A-Z]:/, (d) => d.toLowerCase());
}

/** The file key of a document's URI (the URI itself when it names no file path). */
export function uriKey(uri: string, flavor: PathFlavor = HOST): string {
  return fileKey(uriToPath(uri, flavor) ?? uri, flavor);
}

export function rangeOf(span: Span, sources: SourceSet): Range {
  const f = sources.get(span.file);
  if (!f) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const s = f.position(onLine(f.text, span.start)), e = f.position(onLine(f.text, span.end));
  return { start: { line: s.line - 1, character: s.column - 1 }, end: { line: e.line - 1, character: e.column - 1 } };
}

/**
 * An offset between a CRLF's `\r` and `\n` moved back before the `\r`: the protocol has no position inside a line
 * terminator, and editors read one past the line's end differently.
 */
function onLine(text: string, offset: number): number {
  return text[offset] === "\n" && text[offset - 1] === "\r" ? offset - 1 : offset;
}

/** `uriOf` spells a file's URI (the editor's spelling for an open document: Workspace.uriOf). */
export function locationOf(span: Span, sources: SourceSet, uriOf: (file: string) => string = pathToUri): Location {
  return { uri: uriOf(span.file), range: rangeOf(span, sources) };
}

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;


/**
 * A lavisc diagnostic as the protocol has it: the same code, message and related locations as `lavisc check`, the
 * hint on its own line as the CLI prints it (`help: ...`), and the did-you-mean names for quick fixes in `data`.
 */
export function toLspDiagnostic(d: Diagnostic, sources: SourceSet, uriOf: (file: string) => string = pathToUri): LspDiagnostic {
  const range = d.span ? rangeOf(d.span, sources) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "lavisc",
    message: d.hint ? `${d.message}\nhelp: ${d.hint}` : d.message,
    relatedInformation: d.related.map((r) => ({ location: locationOf(r.span, sources, uriOf), message: r.message })),
    data: { path: d.path, hint: d.hint, suggestions: suggestedNames(d.hint) },
    // A `lavisc: ignore` code that silences nothing is shown faded, as editors show an unused import.
    ...(d.code === "LV1022" ? { tags: [DiagnosticTag.Unnecessary] } : {}),
  };
}
