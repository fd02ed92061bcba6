import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { FileQueue } from "../../src/cli/commands/fileQueue.js";

// The shared queue of a parallel folder check: every index is taken by exactly one thread, however they interleave.

test("one thread takes the indexes in order, then -1 for good", () => {
  const q = new FileQueue(3);
  assert.equal([q.take(), q.take(), q.take(), q.take(), q.take()], [0, 1, 2, -1, -1]);
  assert.is(new FileQueue(0).take(), -1);
});

test("the main thread and three workers taking at once take each index once", async () => {
  const n = 20_000;
  const q = new FileQueue(n);
  const moduleUrl = new URL("../../src/cli/commands/fileQueue.js", import.meta.url).href;
  const code = `const { parentPort, workerData } = require("node:worker_threads");
import(${JSON.stringify(moduleUrl)}).then(({ FileQueue }) => {
  const q = new FileQueue(workerData.n, workerData.shared), taken = [];
  for (let i = q.take(); i >= 0; i = q.take()) taken.push(i);
  parentPort.postMessage(taken);
});`;
  const workers = [1, 2, 3].map(() => new Worker(code, { eval: true, workerData: { n, shared: q.shared } }));
  const fromWorkers = workers.map((w) => new Promise<number[]>((done, fail) => (w.once("message", done), w.once("error", fail))));
  const onMain: number[] = [];
  for (let i = q.take(); i >= 0; i = q.take()) onMain.push(i);
  const all = [onMain, ...(await Promise.all(fromWorkers))];
  const taken = all.flat().sort((a, b) => a - b);
  assert.is(taken.length, n, "an index was taken twice or not at all");
  assert.ok(taken.every((v, i) => v === i));
  for (const part of all) assert.ok(part.every((v, i) => i === 0 || v > part[i - 1]!), "a thread's indexes go up");
});

test.run();
