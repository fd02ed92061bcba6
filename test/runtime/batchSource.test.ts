import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { BatchSource, type TrainLoaderLike } from "../../src/runtime/train/dataFactory.js";
import type { TrainBatch } from "../../src/runtime/models/model.js";

function fakeLoader(tag: number, batches: number): TrainLoaderLike {
  return {
    batchesPerEpoch: batches,
    epoch: (e: number) => ({
      async *[Symbol.asyncIterator](): AsyncGenerator<TrainBatch> {
        for (let b = 0; b < batches; b++) yield { image: tf.zeros([1, 1, 1, 3]) as tf.Tensor4D, text: [`${tag}:${e}:${b}`], imageIds: [tag] };
      },
    }),
  };
}

async function drain(src: BatchSource, epoch: number, steps: number, continuing: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const b of src.batches(epoch, steps, continuing)) {
    out.push(b.text[0]!);
    b.image.dispose();
  }
  return out;
}

test("one loader: its epoch in order", async () => {
  const src = new BatchSource([{ name: "a", loader: fakeLoader(0, 3) }], [1], 5);
  assert.equal(await drain(src, 2, 3, false), ["0:2:0", "0:2:1", "0:2:2"]);
});

test("several loaders: drawn by ratio, each cycling its own epochs, reproducible per epoch", async () => {
  const mk = () => new BatchSource([{ name: "a", loader: fakeLoader(0, 5) }, { name: "b", loader: fakeLoader(1, 5) }], [3, 1], 5);
  const seq = await drain(mk(), 0, 400, true);
  const fromA = seq.filter((s) => s.startsWith("0:")).length;
  assert.ok(fromA > 260 && fromA < 340, `ratio 3:1 gave ${fromA}/400 from a`);
  assert.ok(seq.includes("0:10:0"), "loader a wrapped into later epochs");
  assert.equal(await drain(mk(), 0, 400, true), seq, "same seed, same draws");
});

test.run();
