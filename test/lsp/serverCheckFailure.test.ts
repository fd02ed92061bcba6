import { test } from "uvu";
import * as assert from "uvu/assert";
import { PassThrough } from "node:stream";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import type { Diagnostic, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { runLanguageServer } from "../../src/lsp/server.js";
import { Workspace } from "../../src/lsp/workspace.js";

// A check that throws (a bug in lavisc, a budget a pathological file exceeds) is an internal error the server logs,
// not the end of the server: the language server runs in this process, with the analysis of one document made to
// throw, and must log that and keep checking the others.

const BOOM = "file:///lavisc-test/boom.lv";
const FINE = "file:///lavisc-test/fine.lv";

const reanalyze = Workspace.prototype.reanalyze;
Workspace.prototype.reanalyze = function (uri: string) {
  if (uri === BOOM) throw new RangeError("Invalid string length");
  return reanalyze.call(this, uri);
};

test("a check that throws is logged as an internal error; the server keeps checking other documents", async () => {
  const toServer = new PassThrough(), fromServer = new PassThrough();
  void runLanguageServer(toServer, fromServer, { debounceMs: 5 });
  const client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
  const logs: string[] = [];
  const published = new Map<string, Diagnostic[]>();
  let onPublish = () => {};
  client.onNotification("window/logMessage", (m: { message: string }) => { logs.push(m.message); });
  client.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => { published.set(p.uri, p.diagnostics); onPublish(); });
  client.listen();
  // processId null: no watchdog timer on this process.
  await client.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
  client.sendNotification("initialized", {});
  const open = (uri: string) => client.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lavisc", version: 1, text: "experiment x {\n  recipe { lerning_rate = 1 }\n}\n" } });
  open(BOOM);
  open(FINE);
  await new Promise<void>((resolve) => { onPublish = () => { if (published.has(FINE)) resolve(); }; onPublish(); });
  assert.ok(published.get(FINE)!.some((d) => d.code === "LV2001"));
  assert.not.ok(published.has(BOOM));
  assert.ok(logs.some((l) => /^lavisc: diagnostics failed: RangeError: Invalid string length/.test(l)), logs.join("\n"));
  client.dispose();
});

test.run();
