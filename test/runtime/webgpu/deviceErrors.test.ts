// WebGPU errors are events, not exceptions (webgpuErrors.ts): after one, every read fails with what went over which
// limit and what to change, instead of returning zeros. On a real adapter (Mesa's software one in CI), a kernel on a
// tensor over the device's largest storage binding; with a stand-in device, the message for each kind of error and a
// lost device.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/runtime/backend/initBackend.js";
import { describeGpuError, failReadsAfterDeviceErrors, GpuDeviceError, type WatchedDevice } from "../../../src/runtime/backend/webgpuErrors.js";
import { UserError } from "../../../src/runtime/train/userError.js";
import { parityTest, project, webgpuUnavailable } from "./parity.js";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareDataset } from "../../../src/data/index.js";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";
import { repoRoot } from "../../harness/repoRoot.js";

const LIMITS = { maxStorageBufferBindingSize: 134_217_728, maxBufferSize: 268_435_456 };

function standIn(): { device: WatchedDevice; fire(kind: string, message: string): boolean; lose(): void } {
  let listener: Parameters<WatchedDevice["addEventListener"]>[1] | null = null;
  let lose: (info: { reason: string; message: string }) => void = () => undefined;
  const device: WatchedDevice = {
    limits: LIMITS,
    addEventListener: (_type, l) => void (listener = l),
    lost: new Promise((resolve) => (lose = resolve)),
  };
  return {
    device,
    fire(kind, message) {
      let prevented = false;
      listener!({ error: { message, constructor: { name: kind } }, preventDefault: () => void (prevented = true) });
      return prevented;
    },
    lose: () => lose({ reason: "unknown", message: "the driver reset" }),
  };
}

test("reads work until the device's first error, then fail with it as a user error (status 1 in a run)", async () => {
  const d = standIn();
  const backend = { read: async () => new Float32Array([1]) };
  failReadsAfterDeviceErrors(d.device, backend);
  assert.equal(await backend.read(), new Float32Array([1]));
  assert.ok(d.fire("GPUOutOfMemoryError", "Out of memory allocating a buffer"), "Dawn's own console print is prevented");
  d.fire("GPUValidationError", "a later error");
  const e = await backend.read().then(() => null, (x: unknown) => x);
  assert.ok(e instanceof GpuDeviceError && e instanceof UserError);
  assert.match((e as Error).message, /values computed since are not valid: the GPU ran out of memory; lower batch_size_train or batch_size_eval/);
  assert.not.match((e as Error).message, /later error/, "the first error is the one reported");
});

test("a lost device fails the reads after it", async () => {
  const d = standIn();
  const backend = { read: async () => 1 };
  failReadsAfterDeviceErrors(d.device, backend);
  d.lose();
  await new Promise((r) => setImmediate(r));
  const e = await backend.read().then(() => null, (x: unknown) => x);
  assert.match((e as Error).message, /GPU device was lost \(unknown: the driver reset\)/);
});

test("each kind of error says what went over which limit", () => {
  const binding = "Binding size (134221824) of [Buffer] is larger than the maximum storage buffer binding size (134217728).\n - While validating entries[0]";
  assert.is(describeGpuError("GPUValidationError", binding, LIMITS),
    "a tensor of 134,221,824 bytes is larger than the largest buffer this GPU lets a kernel use (134,217,728 bytes, 128 MiB); lower batch_size_train or batch_size_eval (or the image size), or train on another device (`recipe.device`)");
  assert.match(describeGpuError("GPUValidationError", "Buffer size (300000000) exceeds the max buffer size limit (268435456).", LIMITS), /larger than this GPU's largest buffer \(256 MiB\)/);
  assert.match(describeGpuError("GPUInternalError", "Device error\nmore", LIMITS), /^WebGPU reported an internal error: Device error$/);
});

const unavailable = await webgpuUnavailable();
parityTest(test, "on a real adapter: a kernel over the largest storage binding fails the read instead of giving zeros", unavailable, async () => {
  const info = await initBackend("webgpu");
  assert.ok(info.ok, "webgpu starts");
  const limit = (tf.backend() as unknown as { device: WatchedDevice }).device.limits.maxStorageBufferBindingSize;
  const n = Math.floor(limit / 4) + 1024;
  const total = tf.tidy(() => tf.sum(tf.add(tf.ones([n]), 1)));
  const e = await total.data().then((v) => v, (x: unknown) => x);
  total.dispose();
  assert.ok(e instanceof GpuDeviceError, `the read fails (got ${String(e)})`);
  assert.match((e as Error).message, /is larger than the largest buffer this GPU lets a kernel use/);
});

parityTest(test, "a run whose first step goes over the GPU's largest binding stops there: status 1, the limit, no checkpoint", unavailable, async () => {
  const info = await initBackend("webgpu");
  assert.ok(info.ok, "webgpu starts");
  const limit = (tf.backend() as unknown as { device: WatchedDevice }).device.limits.maxStorageBufferBindingSize;
  // The quickstart's ViT at 256 px with patches of 8 has 1,025 tokens and 2 heads: attention scores of
  // batch x 2 x 1025 x 1025 floats, one batch more than the binding holds (16 on Mesa's 128 MiB).
  const batch = Math.floor(limit / (2 * 1025 * 1025 * 4)) + 1;
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-gpu-error-"));
  const dataRoot = join(tmp, "data");
  prepareDataset("shapes", { root: dataRoot });
  const out = join(tmp, "out");
  const sets = ['recipe.device="webgpu"', `recipe.batch_size_train=${batch}`, "recipe.max_epoch=1", "model.image_size=256",
    "data.shapes_retrieval.vis_processor.train.image_size=256", "data.shapes_retrieval.vis_processor.eval.image_size=256", `recipe.output_dir=${JSON.stringify(out)}`];
  const host = memoryHost({}, repoRoot());
  const code = await runCli(["run", project("retrieval_shapes.lv"), "--quiet", "--workers", "0", "--data-root", dataRoot, ...sets.flatMap((x) => ["--set", x])], host);
  assert.is(code, 1, host.err);
  assert.match(host.err, /the GPU failed in epoch 0, step 1 of \d+, so the values computed since are not valid: a tensor of [\d,]+ bytes is larger than the largest buffer this GPU lets a kernel use/);
  const dir = join(out, readdirSync(out)[0]!);
  assert.equal(readdirSync(dir).filter((f) => /checkpoint/.test(f)), [], "no checkpoint is written");
  assert.match(readFileSync(join(dir, "report.html"), "utf8"), /larger than the largest buffer this GPU lets a kernel use/, "the run's report says why it ended");
  assert.not.match(readFileSync(join(dir, "log.txt"), "utf8"), /"train_loss"/, "no loss of the failed step is logged");
});

test.run();
