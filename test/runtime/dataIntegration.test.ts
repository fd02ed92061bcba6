// End to end with the real data module: built-in "shapes" images and captions, LAVIS processors, loaders.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapesRetrieval } from "./shapesRetrieval.js";
import { dataModuleFactory, runExperiment } from "../../src/runtime/index.js";
import { tinySpec, TINY_MODEL_CONFIG } from "./synthetic.js";

test("blip_retrieval trains and evaluates on the shapes dataset through src/runtime/data", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-shapes-"));
  const { dataset } = shapesRetrieval(dir, 1, { train: 32, val: 8, test: 8 });
  const factory = dataModuleFactory({ workers: 0 });
  try {
    const spec = tinySpec(join(dir, "out"), { datasets: [dataset], maxEpoch: 2 });
    const r = await runExperiment({ ...spec, model: { ...spec.model, config: { ...TINY_MODEL_CONFIG, max_txt_len: 20 } } }, { dataFactory: factory });
    assert.is(r.status, 0, r.errors.join("; "));
    assert.is(r.epochLosses.length, 2);
    assert.ok(r.epochLosses.every(Number.isFinite));
    assert.ok(r.metrics["val"] && r.metrics["test"], JSON.stringify(r.metrics));
    assert.ok(existsSync(join(r.outputDir!, "checkpoint_best.json")) || !(r.metrics["val"]!["agg_metrics"]! > 0));
    assert.is(readFileSync(join(r.outputDir!, "evaluate.txt"), "utf8").trim().split("\n").length, 3, "val twice, test once");
  } finally {
    await factory.close();
  }
});

test.run();
