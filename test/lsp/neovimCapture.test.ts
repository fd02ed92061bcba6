import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient } from "../../tools/lspClient.js";
import { captureExample, sessionText, type NeovimSession } from "../../tools/neovimSession.js";
import { fromRoot } from "../harness/repoRoot.js";

// docs/editors/neovim-session.txt (README's Editors section shows it) is a capture of headless Neovim; this test asks
// the language server for the same things (the diagnostics, the hover and the completion at the capture's positions)
// without Neovim, renders them as Neovim showed them, and compares with the committed capture. A change the capture
// shows (a message, or a stdlib line in the hover's "Declared in `Recipe` at stdlib/recipe.lv:LINE") fails here until
// `npm run capture:neovim` is run again. Only the header's Neovim version is taken from the capture.

const captured = readFileSync(fromRoot("docs", "editors", "neovim-session.txt"), "utf8");

/** What Neovim's vim.diagnostic.get(0) lists for the server's diagnostics (tools/neovim/session.lua). */
function asNeovimLists(diagnostics: readonly Diagnostic[]): NeovimSession["diagnostics"] {
  const severities = ["ERROR", "WARN", "INFO", "HINT"];
  return diagnostics.map((d) => ({
    line: d.range.start.line + 1,
    col: d.range.start.character + 1,
    severity: severities[(d.severity ?? 1) - 1]!,
    code: String(d.code),
    message: typeof d.message === "string" ? d.message : d.message.value,
  }));
}

/** The hover window's lines: Neovim's convert_input_to_markdown_lines splits a MarkupContent's value on newlines. */
function hoverLines(hover: Hover | null): string[] {
  const contents = hover?.contents as MarkupContent | string | undefined;
  if (contents === undefined) return [];
  if (typeof contents === "string") return contents.split("\n");
  return (contents.kind === "plaintext" ? `<text>\n${contents.value}\n</text>` : contents.value).split("\n");
}

test("docs/editors/neovim-session.txt is what the language server says now for the same requests", async () => {
  const version = /^Headless (.+?) with its built-in LSP client/.exec(captured)?.[1];
  assert.ok(version, "the capture's first line names the Neovim version");
  const { file, at } = captureExample;
  const client = await LspClient.start(dirname(file));
  try {
    const uri = client.open(file, readFileSync(file, "utf8"));
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    const doc = { uri };
    const hover = await client.request<Hover | null>("textDocument/hover", { textDocument: doc, position: at.hover });
    const completion = await client.request<CompletionList | CompletionItem[] | null>("textDocument/completion", { textDocument: doc, position: at.completion });
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    const session: NeovimSession = {
      diagnostics: asNeovimLists(diagnostics),
      hover: hoverLines(hover),
      completion: items.map((i) => i.label),
      errors: [],
    };
    assert.fixture(sessionText(file, at, session, version!), captured);
  } finally {
    await client.stop();
  }
});

test.run();
