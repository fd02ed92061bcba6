import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient } from "../../tools/lspClient.js";
import { captionRecords, warmupExperiment } from "./warmupFixture.js";

// The editor counts a split's annotation files off its main thread the first time (lsp/splitCounting.ts): the first
// diagnostics come at once, without what needs the split's size, and the document is re-checked when the count
// arrives. COCO's caption file takes most of a second to count, which the editor must not wait for.

const Lsp = suite("lsp: split sizes counted in the background");

Lsp("the first diagnostics do not wait for the count; the warm-up warning that needs it follows", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-count-"));
  const cache = join(dir, "cache");
  // 100 captions in batches of 10: epoch 0 has 10 iterations, fewer than the 50 warm-up steps (LV4053).
  writeFileSync(join(dir, "train.json"), captionRecords(100));
  const yaml = warmupExperiment(join(dir, "train.json"));
  const previous = process.env["LAVISC_CACHE"];
  process.env["LAVISC_CACHE"] = cache; // the server inherits it: a cache with nothing counted yet
  const client = await LspClient.start(dir);
  process.env["LAVISC_CACHE"] = previous;
  try {
    const uri = client.open(join(dir, "exp.yaml"), yaml);
    const first = await client.diagnostics(uri);
    assert.not.ok(first.some((d) => d.code === "LV4053"), `published before the count: ${JSON.stringify(first.map((d) => d.code))}`);
    const later = await client.diagnostics(uri, (ds) => ds.some((d) => d.code === "LV4053"), 20_000, false);
    assert.match(String(later.find((d) => d.code === "LV4053")!.message), /epoch 0 has at most 10 iterations/);
    assert.is(readdirSync(join(cache, "annotation-stats")).length, 1, "the count is kept for later processes, as check keeps it");
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Lsp.run();
