import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from "vscode-languageserver-protocol/node";
import type { Diagnostic, PublishDiagnosticsParams } from "vscode-languageserver-protocol";

// A language client for the tests and the benchmark: `lavisc lsp --stdio` in a child process, spoken to with
// vscode-jsonrpc (through vscode-languageserver-protocol's typed connection), as an editor would.

const repoDir = fileURLToPath(new URL("../..", import.meta.url));

export class LspClient {
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; ok: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly versions = new Map<string, number>();
  /** Every publishDiagnostics, with the time it arrived (the benchmark reads these). */
  readonly published: { at: number; params: PublishDiagnosticsParams }[] = [];
  /** Every window/logMessage text, from the start (a test that sets its own handler replaces this one). */
  readonly logs: string[] = [];

  /** Every capability the server registered (client/registerCapability), in order, with the id it gave. */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[] = [];
  /** The ids of the registrations the server took back (client/unregisterCapability), in order. */
  readonly unregistered: string[] = [];

  private constructor(readonly connection: ProtocolConnection, private readonly child: ChildProcess) {
    connection.onNotification("window/logMessage", (m: { message: string }) => { this.logs.push(m.message); });
    connection.onRequest("client/registerCapability", (p: { registrations: { id: string; method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    // The protocol's field is spelled `unregisterations`.
    connection.onRequest("client/unregisterCapability", (p: { unregisterations: { id: string }[] }) => {
      this.unregistered.push(...p.unregisterations.map((u) => u.id));
      return null;
    });
    connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.published.push({ at: performance.now(), params: p });
      this.latest.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.ok(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
  }

  /**
   * Starts the server (the built CLI) in `root` and initializes it for that workspace folder, or for the folder URI
   * `rootUri` when given (one that names no local folder, say).
   */
  static async start(root: string, initializationOptions: Record<string, unknown> = {}, rootUri = pathToFileURL(root).href, capabilities: Record<string, unknown> = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [join(repoDir, "bin", "lavisc.cjs"), "lsp", "--stdio"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(connection, child);
    connection.listen();
    // A server that refuses to initialize is stopped here: the caller has no client to stop it with.
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "test" }],
      capabilities,
      initializationOptions,
    }).catch((e: unknown) => {
      child.kill();
      connection.dispose();
      throw e;
    });
    connection.sendNotification("initialized", {});
    return client;
  }

  open(path: string, text: string): string {
    return this.openUri(pathToFileURL(path).href, text);
  }

  /** Opens a document under the URI as given (an editor's spelling of it, say). */
  openUri(uri: string, text: string): string {
    this.versions.set(uri, 1);
    this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: uri.endsWith(".lv") ? "lavisc" : "yaml", version: 1, text } });
    return uri;
  }

  /** Reports changes on disk, as a client's file watcher does (type 1 created, 2 changed, 3 deleted). */
  changedOnDisk(changes: { uri: string; type: 1 | 2 | 3 }[]): void {
    this.connection.sendNotification("workspace/didChangeWatchedFiles", { changes });
  }

  /** Replaces the whole text (a full-document change). */
  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Inserts text at a position (an incremental change, as editors send while typing). */
  insert(uri: string, line: number, character: number, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const at = { line, character };
    this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text }] });
  }

  close(uri: string): void {
    this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  /** The next diagnostics published for `uri` that satisfy `ok` (or the latest, if they already do). */
  diagnostics(uri: string, ok: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000, includeLatest = true): Promise<Diagnostic[]> {
    const have = this.latest.get(uri);
    if (includeLatest && have && ok(have.diagnostics)) return Promise.resolve(have.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; latest: ${JSON.stringify(this.latest.get(uri)?.diagnostics.map((d) => d.code))}`)), timeoutMs);
      this.waiters.push({ uri, ok: (p) => ok(p.diagnostics), resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    await this.connection.sendRequest("shutdown");
    this.connection.sendNotification("exit");
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
