import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { LspClient } from "../../tools/lspClient.js";
import { corpusRoot } from "../interop/interopHarness.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";
import { checkAsProtocol } from "./checkAsProtocol.js";
import { isLavisYaml } from "../../src/lsp/analysis.js";

// The language server's diagnostics for every LAVIS project YAML of the corpus (opened in one server, one after the
// other) are `lavisc check`'s: the same codes at the same positions with the same messages (issue 14).

function projectFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) projectFiles(p, out);
    else if (p.endsWith(".yaml")) out.push(p);
  }
  return out.sort();
}

const asText = (code: string, line: number, character: number, message: string) => `${code}@${line}:${character} ${message}`;
const published = (ds: Diagnostic[]) => ds.map((d) => asText(String(d.code), d.range.start.line, d.range.start.character, String(d.message)));

testWith(test, LAVIS_CORPUS)("every corpus project: the server publishes check's diagnostics", async () => {
  const files = projectFiles(join(corpusRoot, "projects"));
  const client = await LspClient.start(corpusRoot, { debounceMs: 5 });
  const differing: string[] = [];
  try {
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const uri = client.open(file, text);
      // YAML without a LAVIS section (the corpus's one empty file) is left alone by the server, as any YAML of a
      // workspace; `lavisc check FILE` still says what such a file lacks to be a project.
      const want = isLavisYaml(text) ? checkAsProtocol(file, file).map((d) => asText(d.code, d.line, d.character, d.message)) : [];
      const got = published(await client.diagnostics(uri));
      if (JSON.stringify(got) !== JSON.stringify(want)) differing.push(`${file}\n  check ${JSON.stringify(want)}\n  lsp   ${JSON.stringify(got)}`);
      client.close(uri);
    }
  } finally {
    assert.is(await client.stop(), 0, "the server exits 0 after shutdown");
  }
  assert.ok(files.length > 400, `${files.length} corpus projects`);
  assert.equal(differing, [], differing.slice(0, 5).join("\n"));
});

test.run();
