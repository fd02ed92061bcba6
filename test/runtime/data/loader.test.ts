import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinDatasetSpec } from "../../../src/data/datasetSpec.js";
import { prepareShapes } from "../../../src/data/shapes.js";
import type { PreparedDataset } from "../../../src/data/preparedDataset.js";
import { createConcatLoader, createLoader, epochOrder, type Batch, type Loader } from "../../../src/runtime/data/loader.js";
import { createRetrievalEval, createVqaEval } from "../../../src/runtime/data/evalLoaders.js";
import { createBatchStream } from "../../../src/runtime/data/batchStream.js";
import { shutdownPixelWorkers, pixelBuilder, type PixelBuilder } from "../../../src/runtime/data/pixelPool.js";
import type { DatasetSpec } from "../../../src/runtime/runSpec.js";

let prepared: PreparedDataset;
const vis = { train: { name: "blip_image_train", params: { image_size: 24 } }, eval: { name: "blip_image_eval", params: { image_size: 24 } } };
const captionText = { train: { name: "blip_caption", params: { prompt: "a picture of " } }, eval: { name: "blip_caption", params: {} } };
const questionText = { train: { name: "blip_question", params: {} }, eval: { name: "blip_question", params: {} } };
const spec = (format: DatasetSpec["format"]): DatasetSpec =>
  builtinDatasetSpec(prepared, { format, visProcessor: vis, textProcessor: format === "vqa" ? questionText : captionText });

async function collect(it: AsyncIterable<Batch>): Promise<{ texts: string[]; indices: number[]; pixels: number[][]; sizes: number[] }> {
  const out = { texts: [] as string[], indices: [] as number[], pixels: [] as number[][], sizes: [] as number[] };
  for await (const b of it) {
    out.texts.push(...b.text); out.indices.push(...b.indices); out.sizes.push(b.image.shape[0]);
    out.pixels.push(Array.from(b.image.dataSync()));
    b.image.dispose();
  }
  return out;
}

const trainOpts = { batchSize: 8, shuffle: true, seed: 3, epoch: 0, dropLast: false, train: true, workers: 0 } as const;

const test = suite("loaders");

test.before(async () => {
  await tf.setBackend("cpu");
  const dir = mkdtempSync(join(tmpdir(), "lavisc-loader-"));
  prepared = prepareShapes(dir, { seed: 1, counts: { train: 20, val: 6, test: 3 }, imageSize: 32 });
});

test.after(async () => {
  await shutdownPixelWorkers();
  rmSync(prepared.root, { recursive: true, force: true });
});

test("seeded shuffling: same seed and epoch give the same order, another epoch another order", async () => {
  const loader = await createLoader(spec("caption"), "train", trainOpts);
  assert.is(loader.size, 60); // 20 images x 3 captions
  assert.is(loader.batchesPerEpoch, 8);
  const a = await collect(loader), b = await collect(loader.epoch(0)), c = await collect(loader.epoch(1));
  assert.equal(a.indices, b.indices);
  assert.equal(a.pixels, b.pixels, "augmentation is reproducible too");
  assert.not.equal(a.indices, c.indices);
  assert.equal([...a.indices].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i), "every record once per epoch");
  assert.equal(a.sizes, [8, 8, 8, 8, 8, 8, 8, 4]);
  assert.ok(a.texts.every((t) => t.startsWith("a picture of ")), "train text processor with its prompt");
  assert.equal(epochOrder(5, false, 1, 1), [0, 1, 2, 3, 4]);
});

test("dropLast and limit; image batches are NHWC float32 of the processor's size", async () => {
  const loader = await createLoader(spec("caption"), "train", { ...trainOpts, dropLast: true, limit: 13, batchSize: 4 });
  assert.is(loader.size, 13);
  assert.is(loader.batchesPerEpoch, 3);
  let n = 0;
  for await (const b of loader) {
    assert.equal(b.image.shape, [4, 24, 24, 3]);
    assert.is(b.image.dtype, "float32");
    assert.ok(b.indices.every((i) => i < 13));
    b.image.dispose(); n++;
  }
  assert.is(n, 3);
});

test("a worker thread produces exactly what the main thread produces", async () => {
  const main = await createLoader(spec("retrieval"), "train", { ...trainOpts, limit: 16 });
  const worker = await createLoader(spec("retrieval"), "train", { ...trainOpts, limit: 16, workers: 1 });
  const a = await collect(main), b = await collect(worker);
  assert.equal(a.indices, b.indices);
  assert.equal(a.pixels, b.pixels);
  assert.ok(worker.stats.busyMs > 0 && worker.stats.batches === 2);
});

test("prefetch: batches are requested ahead of the consumer, up to the queue depth", async () => {
  const requested: number[] = [];
  let consumed = 0;
  const inner = pixelBuilder(0);
  const builder: PixelBuilder = { build: (job) => { requested.push(consumed); return inner.build(job); } };
  const loader: Loader = await createLoader(spec("caption"), "train", { ...trainOpts, builder, prefetch: 3, batchSize: 6 });
  for await (const b of loader) {
    consumed++;
    // When batch k is handed over, batches up to k + 3 have been requested (or all of them).
    assert.ok(requested.length >= Math.min(consumed + 3, loader.batchesPerEpoch), `only ${requested.length} requested at batch ${consumed}`);
    b.image.dispose();
  }
  assert.is(requested.length, loader.batchesPerEpoch);
  assert.equal(requested.slice(0, 3), [0, 0, 0], "the first three are requested before anything is consumed");
  assert.ok(loader.stats.waitMs >= 0 && loader.stats.busyMs > 0);
});

test("vqa batches carry questions, answers with weights and question ids; eval adds the answer list", async () => {
  const loader = await createLoader(spec("vqa"), "train", { ...trainOpts, shuffle: false, batchSize: 5 });
  const first = (await loader[Symbol.asyncIterator]().next()).value as Batch;
  assert.is(first.text.length, 5);
  assert.ok(first.text.every((q) => q.endsWith("?")));
  assert.equal(first.answerWeights!.map((w) => +w.reduce((a, b) => a + b, 0).toFixed(9)), [1, 1, 1, 1, 1]);
  assert.is(first.questionIds!.length, 5);
  first.image.dispose();
  const ev = await createVqaEval(spec("vqa"), "val", { batchSize: 4, workers: 0 });
  assert.ok(ev.answerList!.includes("yes") && ev.answerList!.includes("circle"));
  assert.is(ev.groundTruth.size, ev.questions.size);
  const b = (await ev.questions[Symbol.asyncIterator]().next()).value as Batch;
  assert.equal(ev.groundTruth.get(String(b.questionIds![0]))!.answers.length, 10);
  b.image.dispose();
});

test("retrieval eval: per-image batches in order plus the text maps; classification has labels", async () => {
  const r = await createRetrievalEval(spec("retrieval"), "val", { batchSize: 4, workers: 0, limit: 5 });
  assert.is(r.images.size, 5);
  assert.is(r.texts.length, 15);
  assert.equal(r.img2txt[1], [3, 4, 5]);
  assert.is(r.txt2img[14], 4);
  const got = await collect(r.images);
  assert.equal(got.indices, [0, 1, 2, 3, 4]);
  const cls = await createLoader(spec("classification"), "train", { ...trainOpts, batchSize: 64 });
  for await (const b of cls) {
    assert.ok(b.labels!.length > 0 && b.labels!.every((l) => l >= 0 && l < 5));
    b.image.dispose();
  }
});

test("several train datasets are concatenated with distinct image ids; mismatched sizes are refused", async () => {
  const a = spec("caption"), b = { ...spec("caption"), name: "shapes_caption_copy" };
  const loader = await createConcatLoader([a, b], "train", { ...trainOpts, batchSize: 40 });
  assert.is(loader.size, 120);
  const ids = new Set<number>();
  for await (const batch of loader) { batch.imageIds.forEach((id) => ids.add(id)); batch.image.dispose(); }
  assert.is(ids.size, 40, "20 images per dataset, ids offset for the second");
  const bigger = { ...b, visProcessor: { train: { name: "blip_image_train", params: { image_size: 32 } } } };
  try { await createConcatLoader([a, bigger], "train", trainOpts); assert.unreachable(); } catch (e) {
    assert.match(String(e), /cannot concatenate .*24px.*32px/);
  }
});

test("batch streams cycle epochs and mix loaders by their ratios, reproducibly", async () => {
  const small = await createLoader(spec("caption"), "train", { ...trainOpts, limit: 8, batchSize: 4 });
  const other = await createLoader(spec("vqa"), "train", { ...trainOpts, limit: 8, batchSize: 4 });
  const draw = async (): Promise<number[]> => {
    const s = createBatchStream([small, other], [3, 1], 9);
    const picks: number[] = [];
    for (let i = 0; i < 40; i++) { (await s.next()).image.dispose(); picks.push(s.state.lastLoader); }
    assert.ok(s.state.epochs[0]! >= 10, "the first loader went through many epochs");
    return picks;
  };
  const a = await draw(), b = await draw();
  assert.equal(a, b);
  const share = a.filter((i) => i === 0).length / a.length;
  assert.ok(share > 0.55 && share < 0.95, `first loader drawn ${share} of the time for a 3:1 ratio`);
  assert.throws(() => createBatchStream([small], [1, 2], 0), /one non-negative weight per dataset/);
});

test.run();
