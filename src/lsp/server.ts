import { createConnection, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { SourceFile } from "../diagnostics/index.js";
import { loadStdlib } from "../project/stdlib.js";
import { countSplitsInBackground } from "./splitCounting.js";
import { Workspace } from "./workspace.js";
import { uriPathProblem, uriToPath } from "./convert.js";
import { hoverAt } from "./hover.js";
import { completionsAt, resolveCompletion, type CompletionData } from "./completion.js";
import { definitionAt } from "./definition.js";
import { documentSymbols } from "./symbols.js";
import { formattingEdits, quickFixes } from "./edits.js";
import { ignoreFixes } from "./ignoreFixes.js";
import { codeDefaultFixes } from "./codeDefaultFixes.js";
import { FIX_ALL, fixAllAction, wantsFixAll } from "./fixAll.js";

// `lavisc lsp --stdio`: the language server, on vscode-languageserver. Diagnostics on open and after each change
// (debounced), hover, completion, go to definition, formatting, document symbols, quick fixes (did-you-mean names,
// LV4019's two values, `lavisc: ignore` comments) and "fix all" (`check --fix`), for `.lv` files and LAVIS YAML. One process keeps the stdlib and the open documents'
// analyses warm between requests.

export interface ServerOptions {
  /** Milliseconds of quiet after an edit before the document is checked again (initializationOptions.debounceMs). */
  readonly debounceMs?: number;
}

const DEFAULT_DEBOUNCE_MS = 40;

/** Serves the protocol on the given streams until the client exits. */
export function runLanguageServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions = {}): Promise<void> {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  let debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let cwd = process.cwd();
  const timers = new Map<string, NodeJS.Timeout>();

  connection.onInitialize((params) => {
    const init = params.initializationOptions as ServerOptions | undefined;
    if (typeof init?.debounceMs === "number") debounceMs = init.debounceMs;
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (root) cwd = workspaceDir(root) ?? cwd;
    loadStdlib(); // warm: the stdlib is read once, before the first document
    // Split sizes are counted off the main thread the first time; the open documents are re-checked when they arrive.
    countSplitsInBackground(() => { for (const uri of documents.keys()) schedule(uri, 0); }, connection.console);
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

  /** The workspace folder's path; null (and a logged line) when its URI names no local folder, so checks run from here. */
  const workspaceDir = (root: string): string | null => {
    const path = root.startsWith("file:") ? uriToPath(root) : null;
    if (path === null) connection.console.warn(`lavisc: the workspace folder ${root} is not a local folder (${uriPathProblem(root) ?? "not a file: URI"}); paths are resolved from ${cwd}`);
    return path;
  };

  /** A document whose file URI names no path is not checked (its analysis is null); the log says why, once. */
  const warnIfNoPath = (uri: string) => {
    const problem = uri.startsWith("file:") ? uriPathProblem(uri) : null;
    if (problem) connection.console.warn(`lavisc: ${uri} is not checked: its URI names no file path (${problem})`);
  };

  /** Runs a handler; an internal error is logged and answered with the fallback, so the server keeps serving. */
  const guarded = <T>(what: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`lavisc: ${what} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return fallback;
    }
  };

  // A check that throws runs in a timer, where nothing above would catch it: it is logged (the document keeps its
  // last diagnostics), as a request handler's is.
  const publish = (owner: string) => {
    timers.delete(owner);
    guarded("diagnostics", () => publishNow(owner), undefined);
  };
  const publishNow = (owner: string) => {
    if (!workspace.document(owner)) return;
    const analysis = workspace.reanalyze(owner);
    for (const [uri, diagnostics] of workspace.updateDiagnostics(owner, analysis)) connection.sendDiagnostics({ uri, diagnostics });
    for (const dependent of workspace.dependents(owner)) schedule(dependent, 0);
  };
  const schedule = (uri: string, delay = debounceMs) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => publish(uri), delay));
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
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    workspace.didClose(e.document.uri);
    for (const [uri, diagnostics] of workspace.forgetDiagnostics(e.document.uri)) connection.sendDiagnostics({ uri, diagnostics });
  });

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
    connection.onExit(() => resolve());
    documents.listen(connection);
    connection.listen();
  });
}
