// runner_base concatenates the datasets of a training split (LAVIS ConcatDataset: one pass per epoch, batches mix
// datasets); runner_iter keeps one loader per dataset for MultiIterLoader's ratio sampling.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { DataFactory, TrainLoaderLike } from "../../src/runtime/train/dataFactory.js";
import { trainingLoaders } from "../../src/runtime/train/trainingLoaders.js";
import type { DatasetSpec, RunSpec } from "../../src/runtime/runSpec.js";

const ds = (name: string, splits: string[]): DatasetSpec => ({
  name, builder: name, type: "default", dataType: "images", format: "caption", imageRoot: "/", splits: splits.map((split) => ({ split, annotations: [] })), visProcessor: {}, textProcessor: {},
});

function factory(calls: string[]): DataFactory {
  const loader = (batches: number): TrainLoaderLike => ({ batchesPerEpoch: batches, epoch: () => ({ async *[Symbol.asyncIterator]() {} }) });
  return {
    train: async (d, split) => (calls.push(`train ${d.name}/${split}`), loader(3)),
    trainConcat: async (list, split) => (calls.push(`concat ${list.map((d) => d.name).join(",")}/${split}`), loader(7)),
    retrievalEval: async () => { throw new Error("unused"); },
  };
}

const spec = (runner: RunSpec["runner"]) => ({ runner, datasets: [ds("a", ["train", "val"]), ds("b", ["train"]), ds("c", ["val"])], trainSplits: ["train"], batchSizeTrain: 4, seed: 1 }) as unknown as RunSpec;

test("runner_base: one concatenated loader over every dataset of the training split", async () => {
  const calls: string[] = [];
  const loaders = await trainingLoaders(spec("runner_base"), factory(calls));
  assert.equal(calls, ["concat a,b/train"]);
  assert.equal(loaders.map((l) => [l.name, l.loader.batchesPerEpoch]), [["a+b", 7]]);
});

test("runner_iter: a loader per dataset (sampled by train_dataset_ratios)", async () => {
  const calls: string[] = [];
  const loaders = await trainingLoaders(spec("runner_iter"), factory(calls));
  assert.equal(calls, ["train a/train", "train b/train"]);
  assert.equal(loaders.map((l) => l.name), ["a", "b"]);
});

test("a single dataset is loaded as it is", async () => {
  const calls: string[] = [];
  const one = { ...spec("runner_base"), datasets: [ds("a", ["train"])] } as RunSpec;
  assert.equal((await trainingLoaders(one, factory(calls))).map((l) => l.name), ["a"]);
  assert.equal(calls, ["train a/train"]);
});

test.run();
