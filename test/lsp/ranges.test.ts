import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeHost } from "../../src/cli/host.js";
import { analyze } from "../../src/lsp/analysis.js";
import { rangeOf } from "../../src/lsp/convert.js";

// Diagnostic ranges as the protocol has them stay within their lines: with CRLF line endings, a span that ends
// between `\r` and `\n` (LV1008's "Missing closing quote") ends at the line's end, not one character past it.

const yaml = [
  "model:", "  arch: blip_caption", "run:", "  task: captioning", "  output_dir: \"z: \"q\", \"",
  "  max_len: {a: \"z: \"q\", \", b: 1}", "  z: \"q\", max_lenn: 20", "",
].join("\r\n");

test("with CRLF line endings no diagnostic range reaches past its line's end", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-ranges-"));
  try {
    const path = join(dir, "crlf.yaml");
    writeFileSync(path, yaml);
    const a = analyze(path, nodeHost());
    const lines = yaml.split("\r\n");
    assert.ok(a.diagnostics.some((d) => d.code === "LV1008"), a.diagnostics.map((d) => d.code).join(" "));
    for (const d of a.diagnostics) {
      if (!d.span || d.span.file !== path) continue;
      const r = rangeOf(d.span, a.sources);
      for (const p of [r.start, r.end]) assert.ok(p.character <= lines[p.line]!.length, `${d.code} ${JSON.stringify(r)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
