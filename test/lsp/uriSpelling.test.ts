import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Hover } from "vscode-languageserver-protocol";
import { LspClient } from "../../tools/lspClient.js";

// An editor may spell a file's URI otherwise than Node does: VS Code escapes `@ ( ) + , ; = ! $ & ' [ ]` (and a
// Windows drive's `:`), Node's pathToFileURL leaves them. The server knows the file by its path: the editor's unsaved
// text is what is checked, and its diagnostics go out under the URI the editor used, once, never also under Node's.

const Spelling = suite("lsp: URIs the editor escapes otherwise than Node");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-uris-"));

/** A URI as VS Code writes it (vscode-uri's encodeURIComponentFast: everything but unreserved characters escaped). */
const editorUri = (path: string) => "file://" + path.split("/").map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join("/");

const base = "experiment base {\n  task captioning\n  recipe {\n    max_len = 20\n    min_len = 10\n  }\n}\n";
const child = "experiment child extends \"./base.lv\" {\n  task captionin\n}\n";

Spelling.after(() => rmSync(dir, { recursive: true, force: true }));

for (const folder of ["w@4", "w (3)"]) {
  Spelling(`a folder named \`${folder}\`: the editor's text is checked and published under its URI only`, async () => {
    const root = join(dir, folder);
    mkdirSync(root);
    writeFileSync(join(root, "base.lv"), base);
    writeFileSync(join(root, "child.lv"), child);
    const client = await LspClient.start(root, { debounceMs: 5 });
    try {
      const childUri = editorUri(join(root, "child.lv")), baseUri = editorUri(join(root, "base.lv"));
      assert.is.not(childUri, pathToFileURL(join(root, "child.lv")).href, "the test needs a spelling Node does not use");
      client.openUri(childUri, child);
      client.openUri(baseUri, base);
      await client.diagnostics(childUri, (d) => d.some((x) => x.code === "LV2007"));
      // An unsaved edit of each is what is checked: the child's typo fixed, the base's min_len over max_len.
      client.change(childUri, child.replace("captionin\n", "captioning\n"));
      await client.diagnostics(childUri, (d) => !d.some((x) => x.code === "LV2007"), 20_000, false);
      client.change(baseUri, base.replace("min_len = 10", "min_len = 30"));
      await client.diagnostics(baseUri, (d) => d.some((x) => x.code === "LV4001"), 20_000, false);
      const hover = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: childUri }, position: { line: 1, character: 9 } });
      assert.match((hover?.contents as { value: string } | undefined)?.value ?? "", /\*\*task `captioning`\*\*/, "the unsaved text (the disk says captionin)");
      const uris = new Set(client.published.map((p) => p.params.uri));
      assert.equal([...uris].sort(), [baseUri, childUri].sort(), "published under the editor's URIs only");
    } finally {
      assert.is(await client.stop(), 0);
    }
  });
}

Spelling.run();
