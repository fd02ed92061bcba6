import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient } from "../../tools/lspClient.js";

// The language server stays up whatever URIs an editor sends: a workspace folder or a document whose file URI Node
// cannot turn into a path (a malformed escape, a host, an escaped `/`) is logged and left unchecked, not fatal.

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

Robust.run();
