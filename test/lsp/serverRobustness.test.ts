import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { LspClient } from "../../tools/lspClient.js";

// The language server stays up whatever URIs an editor sends: a workspace folder or a document whose file URI Node
// cannot turn into a path (a malformed escape, a host, an escaped `/`) is logged and left unchecked, not fatal. When
// the client goes away (its end of a pipe closes) with a check pending, the server ends with LSP's status, no stack.

const Robust = suite("lsp: URIs with no file path");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-robust-"));
const goodLv = "experiment x {\n  recipe { lerning_rate = 1 }\n}\n";
const BAD_DOCUMENT_URIS = ["file:///tmp/x/%ZZ.lv", "file://server/share/x.lv", "file:///tmp/x/a%2Fb.lv"];

Robust.after(() => rmSync(dir, { recursive: true, force: true }));

Robust("a workspace folder URI naming no local folder: initialize answers, the log says why", async () => {
  const client = await LspClient.start(dir, { debounceMs: 5 }, "file://server/share");
  assert.ok(client.logs.some((l) => /workspace folder file:\/\/server\/share is not a local folder/.test(l)), client.logs.join("\n"));
  const good = client.open(join(dir, "good.lv"), goodLv);
  assert.ok((await client.diagnostics(good, (d) => d.length > 0)).some((d) => d.code === "LV2001"));
  assert.is(await client.stop(), 0);
});

Robust("a document URI naming no file path is not checked, the log says why, and the server serves on", async () => {
  const client = await LspClient.start(dir, { debounceMs: 5 });
  for (const uri of BAD_DOCUMENT_URIS) {
    client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lavisc", version: 1, text: goodLv } });
    assert.equal(await client.diagnostics(uri, () => true, 5_000), [], uri);
    assert.ok(client.logs.some((l) => l.startsWith(`lavisc: ${uri} is not checked`)), client.logs.join("\n"));
    for (const method of ["textDocument/formatting", "textDocument/codeAction"]) {
      const params = { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], triggerKind: 1 } };
      assert.equal(await client.request(method, params), [], `${method} ${uri}`);
    }
  }
  const good = client.open(join(dir, "good.lv"), goodLv);
  const ds = await client.diagnostics(good, (d) => d.length > 0);
  assert.ok(ds.some((d) => d.code === "LV2001"), JSON.stringify(ds));
  assert.ok(!client.logs.some((l) => /failed: /.test(l)), client.logs.join("\n"));
  assert.is(await client.stop(), 0, "the server exits 0 after shutdown and exit");
});

const bin = fileURLToPath(new URL("../../../bin/lavisc.cjs", import.meta.url));

/** The server with a check pending (300 ms debounce) when the client's end of one pipe closes: its exit and stderr. */
async function pipeClosedWhileChecking(which: "stdout" | "stdin"): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, "lsp", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onError(() => {});
  connection.listen();
  await connection.sendRequest("initialize", { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {}, initializationOptions: { debounceMs: 300 } });
  connection.sendNotification("initialized", {});
  const uri = pathToFileURL(join(dir, "pending.lv")).href;
  connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lavisc", version: 1, text: goodLv } });
  await new Promise((r) => setTimeout(r, 300));
  connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: goodLv + " " }] });
  await new Promise((r) => setTimeout(r, 20));
  if (which === "stdout") child.stdout!.destroy(); // the editor stops reading: the pending check's publish fails
  else child.stdin!.end(); // the editor's end closes: no shutdown, no exit
  const timeout = new Promise<null>((r) => setTimeout(() => { child.kill(); r(null); }, 10_000));
  const code = await Promise.race([exited, timeout]);
  connection.dispose();
  return { code, stderr };
}

for (const which of ["stdout", "stdin"] as const) {
  Robust(`the client's ${which} pipe closes while a check is pending: the server exits 1, quietly`, async () => {
    const { code, stderr } = await pipeClosedWhileChecking(which);
    assert.is(code, 1, "LSP: 1 when the connection ends with no shutdown");
    assert.not.match(stderr, /ConnectionError|Error:|    at /, stderr);
  });
}

Robust.run();
