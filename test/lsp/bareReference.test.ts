import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeHost } from "../../src/cli/host.js";
import { analyze } from "../../src/lsp/analysis.js";
import { hoverAt } from "../../src/lsp/hover.js";
import { definitionAt } from "../../src/lsp/definition.js";

// A bare reference in `.lv` (`warmup_lr = init_lr`): hover and go to definition on `init_lr` are about `init_lr`,
// the key it reads, not about `warmup_lr`, the key it is assigned to.

const lv = "experiment x {\n  task captioning\n  recipe {\n    init_lr = 1e-4\n    warmup_lr = init_lr\n  }\n}\n";

test("hover and definition on a bare reference describe and lead to the key it reads", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-ref-"));
  try {
    const path = join(dir, "x.lv");
    writeFileSync(path, lv);
    const a = analyze(path, nodeHost());
    const at = lv.indexOf("= init_lr") + 3;
    const hover = hoverAt(a, at, dir);
    const text = (hover?.contents as { value: string } | undefined)?.value ?? "";
    assert.match(text, /\*\*init_lr\*\*/);
    assert.not.match(text, /warmup_lr/);
    const def = definitionAt(a, at, nodeHost());
    assert.ok(def, "a definition");
    assert.ok(def!.uri.endsWith("/x.lv"), def!.uri);
    assert.is(def!.range.start.line, 3, JSON.stringify(def));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
