import { createConnection, DidChangeWatchedFilesNotification, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { SourceFile } from "../diagnostics/index.js";
import { loadStdlib } from "../project/stdlib.js";
import { countSplitsInBackground } from "./splitCounting.js";
import { Workspace } from "./workspace.js";
import { fileKey, uriPathProblem, uriToPath } from "./convert.js";
import { AnnotationWatch } from "./annotationWatch.js";
import { hoverAt } from "./hover.js";
import { completionsAt, resolveCompletion, type CompletionData } from "./completion.js";
import { definitionAt } from "./definition.js";
import { documentSymbols } from "./symbols.js";
import { formattingEdits, quickFixes } from "./edits.js";
import { ignoreFixes } from "./ignoreFixes.js";
import { codeDefaultFixes } from "./codeDefaultFixes.js";
import { FIX_ALL, fixAllAction, wantsFixAll } from "./fixAll.js";

// `lavisc lsp --stdio`: the language server, on vscode-languageserver. Diagnostics on open and after each change
// (debounced; also for the open documents that read the changed file, in the editor or on disk), hover, completion, go to definition, formatting, document symbols, quick fixes (did-you-mean names,
// LV4019's two values, `lavisc: ignore` comments) and "fix all" (`check --fix`), for `.lv` files and LAVIS YAML. One process keeps the stdlib and the open documents'
// analyses warm between requests.

export interface ServerOptions {
  /** Milliseconds of quiet after an edit before the document is checked again (initializationOptions.debounceMs). */
  readonly debounceMs?: number;
}

const DEFAULT_DEBOUNCE_MS = 40;

/** The files whose changes on disk can change a check: configs, and a fork's `.lavisc/` extension. */
const WATCHED = ["**/*.lv", "**/*.{yaml,yml}", "**/.lavisc/**"];

/**
 * Serves the protocol on the given streams until the client exits (the library then ends the process) or the
 * connection is lost (the client's end of a pipe closed): then it resolves with the exit status LSP asks for, 0 after
 * a `shutdown` request, else 1.
 */
export function runLanguageServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions = {}): Promise<number> {
  const reader = new StreamMessageReader(input), writer = new StreamMessageWriter(output);
  const connection = createConnection(reader, writer);
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let cwd = process.cwd();
  let watchFiles = false;
  /** The annotation files the open documents' checks counted, watched by name when the client lets the server. */
  let annotationWatch: AnnotationWatch | null = null;
  /** Forgets the split counts that read a changed file (splitCounting.ts). */
  let forgetCounts: (changed: (path: string) => boolean) => void = () => {};
  let shutdown = false, lost = false;
  let finish: (code: number) => void = () => {};
  /** A pending check per document; `dependents` also checks the documents that read it, once, after it. */
  const timers = new Map<string, { timer: NodeJS.Timeout; dependents: boolean }>();

  connection.onInitialize((params) => {
    const watching = params.capabilities.workspace?.didChangeWatchedFiles;
    watchFiles = watching?.dynamicRegistration === true;
    if (watchFiles) annotationWatch = new AnnotationWatch(connection, watching?.relativePatternSupport === true, (m) => log("warn", m));
    const init = params.initializationOptions as ServerOptions | undefined;
    if (typeof init?.debounceMs === "number") debounceMs = init.debounceMs;
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (root) cwd = workspaceDir(root) ?? cwd;
    loadStdlib(); // warm: the stdlib is read once, before the first document
    // Split sizes are counted off the main thread the first time; the open documents are re-checked when they arrive.
    forgetCounts = countSplitsInBackground(() => { for (const uri of documents.keys()) schedule(uri, 0, false); }, { info: (m) => log("info", m), error: (m) => log("error", m) });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [".", "(", " ", ":", "="], resolveProvider: true },
        definitionProvider: true,
        documentFormattingProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ["quickfix", FIX_ALL] },
      },
      serverInfo: { name: "lavisc" },
    };
  });

  // The client watches the files a check reads on disk, when it lets the server say which (VS Code, Neovim).
  connection.onInitialized(() => {
    if (!watchFiles) return;
    const watchers = WATCHED.map((globPattern) => ({ globPattern }));
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((e: unknown) => {
      log("warn", `lavisc: changes on disk are not watched: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  /** A line in the client's log; nothing once the connection is lost (writing to it would throw again). */
  const log = (level: "info" | "warn" | "error", text: string) => {
    if (lost) return;
    try {
      connection.console[level](text);
    } catch {
      // the connection closed while logging: connectionLost ends the server
    }
  };

  // The client's end of the pipe closed (it crashed or was killed): whatever is pending is dropped, and the server
  // ends quietly, with 1 when no `shutdown` came first.
  const connectionLost = () => {
    if (lost) return;
    lost = true;
    for (const { timer } of timers.values()) clearTimeout(timer);
    timers.clear();
    finish(shutdown ? 0 : 1);
  };
  reader.onClose(connectionLost);
  writer.onClose(connectionLost);
  writer.onError(connectionLost);
  connection.onShutdown(() => { shutdown = true; });

  /** The workspace folder's path; null (and a logged line) when its URI names no local folder, so checks run from here. */
  const workspaceDir = (root: string): string | null => {
    const path = root.startsWith("file:") ? uriToPath(root) : null;
    if (path === null) log("warn", `lavisc: the workspace folder ${root} is not a local folder (${uriPathProblem(root) ?? "not a file: URI"}); paths are resolved from ${cwd}`);
    return path;
  };

  /** A document whose file URI names no path is not checked (its analysis is null); the log says why, once. */
  const warnIfNoPath = (uri: string) => {
    const problem = uri.startsWith("file:") ? uriPathProblem(uri) : null;
    if (problem) log("warn", `lavisc: ${uri} is not checked: its URI names no file path (${problem})`);
  };

  /** Runs a handler; an internal error is logged and answered with the fallback, so the server keeps serving. */
  const guarded = <T>(what: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      log("error", `lavisc: ${what} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return fallback;
    }
  };

  // A check that throws runs in a timer, where nothing above would catch it: it is logged (the document keeps its
  // last diagnostics), as a request handler's is.
  const publish = (owner: string, dependents: boolean) => {
    timers.delete(owner);
    guarded("diagnostics", () => publishNow(owner, dependents), undefined);
  };
  const publishNow = (owner: string, dependents: boolean) => {
    if (lost || !workspace.document(owner)) return;
    const analysis = workspace.reanalyze(owner);
    send(workspace.updateDiagnostics(owner, analysis));
    annotationWatch?.update(workspace.annotationFiles());
    // A document's analysis reads every file it imports or extends, transitively, so the documents that read this
    // one are each checked once, and their checks schedule no more: an `extends` or `import` cycle ends there.
    if (dependents) for (const dependent of workspace.dependents(owner)) schedule(dependent, 0, false);
  };
  const send = (published: [string, LspDiagnostic[]][]) => {
    for (const [uri, diagnostics] of published) if (!lost) connection.sendDiagnostics({ uri, diagnostics });
  };
  /** Checks `uri` after `delay` ms (again: the pending check moves), and then its dependents when one asks it. */
  const schedule = (uri: string, delay = debounceMs, dependents = true) => {
    if (lost) return;
    const pending = timers.get(uri);
    clearTimeout(pending?.timer);
    const withDependents = dependents || !!pending?.dependents;
    timers.set(uri, { timer: setTimeout(() => publish(uri, withDependents), delay), dependents: withDependents });
  };

  // Opening a document also reports a content change: a fresh document is checked at once, an edited one debounced.
  const fresh = new Set<string>();
  documents.onDidOpen((e) => {
    warnIfNoPath(e.document.uri);
    workspace.didOpen(e.document);
    fresh.add(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    workspace.didOpen(e.document);
    schedule(e.document.uri, fresh.delete(e.document.uri) ? 0 : debounceMs);
  });
  // A closed document's unsaved text is gone: the documents that read it read the disk again.
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri)?.timer);
    timers.delete(e.document.uri);
    const readers = workspace.dependents(e.document.uri);
    workspace.didClose(e.document.uri);
    annotationWatch?.update(workspace.annotationFiles());
    send(workspace.forgetDiagnostics(e.document.uri));
    for (const uri of readers) schedule(uri, 0, false);
  });

  // A file changed, appeared or went on disk: the open documents that read it, looked for it or listed its folder
  // are checked again (an open document's own text still wins over the disk), after what was counted in it (an
  // annotation file's records) is forgotten.
  connection.onDidChangeWatchedFiles((p) => guarded("watched files", () => {
    const changed = new Set<string>(), files = new Set<string>();
    for (const { uri } of p.changes) {
      const path = uri.startsWith("file:") ? uriToPath(uri) : null;
      if (path === null) continue;
      files.add(fileKey(path));
      for (const dependent of workspace.dependentsOf(path)) changed.add(dependent);
    }
    forgetCounts((path) => files.has(fileKey(path)));
    for (const uri of changed) schedule(uri, 0, false);
  }, undefined));

  const offsetOf = (uri: string, position: { line: number; character: number }) => documents.get(uri)?.offsetAt(position) ?? 0;

  connection.onHover((p) => guarded("hover", () => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? hoverAt(a, offsetOf(p.textDocument.uri, p.position), cwd) : null;
  }, null));

  connection.onCompletion((p) => guarded("completion", () => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? completionsAt(a, offsetOf(p.textDocument.uri, p.position)) : [];
  }, []));

  connection.onCompletionResolve((item) => guarded("completion resolve", () => {
    const file = (item.data as CompletionData | undefined)?.file;
    const uri = file ? [...documents.keys()].find((u) => uriToPath(u) === file) : undefined;
    return resolveCompletion(item, uri ? workspace.analysis(uri) ?? undefined : undefined);
  }, item));

  connection.onDefinition((p) => guarded("definition", () => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? definitionAt(a, offsetOf(p.textDocument.uri, p.position), workspace.reader) : null;
  }, null));

  connection.onDocumentSymbol((p) => guarded("document symbols", () => {
    const a = workspace.analysis(p.textDocument.uri);
    return a ? documentSymbols(a) : [];
  }, []));

  connection.onDocumentFormatting((p) => guarded("formatting", () => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const path = uriToPath(doc.uri);
    if (path === null) return [];
    const text = doc.getText();
    return formattingEdits(path, text, new SourceFile(path, text));
  }, []));

  connection.onCodeAction((p) => guarded("code actions", () => {
    const doc = documents.get(p.textDocument.uri);
    const path = doc && uriToPath(doc.uri);
    if (!doc || path === null || path === undefined) return [];
    return [
      ...quickFixes(doc.uri, p.context.diagnostics, doc.getText(), (pos) => doc.offsetAt(pos)),
      ...codeDefaultFixes(doc.uri, p.context.diagnostics, workspace.analysis(doc.uri)),
      ...ignoreFixes(doc.uri, path, p.context.diagnostics, doc.getText(), (pos) => doc.offsetAt(pos)),
      ...(wantsFixAll(p.context) ? fixAllAction(doc, workspace.reader) : []),
    ];
  }, []));

  return new Promise((resolve) => {
    finish = resolve;
    connection.onExit(() => resolve(shutdown ? 0 : 1));
    documents.listen(connection);
    connection.listen();
  });
}
