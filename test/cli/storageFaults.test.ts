// The CLI's exit code for faults of the machine (issue 18 §6): a full disk or a read-only folder is exit 1 with a
// message naming the file, never "internal error ... This is a bug" with exit 3.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { outOfMemoryMessage } from "../../src/cli/outOfMemory.js";
import { runCli } from "../../src/cli/main.js";
import { captureHost } from "../harness/captureHost.js";
import { prepareDataset } from "../../src/data/index.js";
import { injectFault } from "../harness/faultyFs.js";
import { repoRoot } from "../harness/repoRoot.js";


test("fmt --write on a full disk: exit 1 naming the file, the original untouched", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-fmt-fault-"));
  const file = join(dir, "exp.lv");
  const text = "experiment e {\n  task retrieval\n    model blip_retrieval(tiny)\n}\n";
  writeFileSync(file, text);
  const host = captureHost(dir);
  const restore = injectFault({ code: "ENOSPC", match: (p) => p.startsWith(join(dir, ".exp.lv.")) });
  let code: number;
  try {
    code = await runCli(["fmt", "--write", file], host);
  } finally {
    restore();
  }
  assert.is(code, 1, host.err);
  assert.match(host.err, new RegExp(`^error: cannot write ${file.replace(/[.]/g, "\\.")}: the disk is full`));
  assert.not.match(host.err, /internal error|bug/);
  assert.is(readFileSync(file, "utf8"), text);
});

test("run on a read-only data root (the built-in dataset cannot be made): exit 1, naming the folder", async () => {
  const dataRoot = join(mkdtempSync(join(tmpdir(), "lavisc-run-fault-")), "data");
  const host = captureHost(repoRoot());
  const restore = injectFault({ code: "EROFS", at: "open", match: (p) => p.startsWith(dataRoot) });
  let code: number;
  try {
    code = await runCli(["run", join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), "--quiet", "--data-root", dataRoot], host);
  } finally {
    restore();
  }
  assert.is(code, 1, host.err);
  assert.match(host.err, /^error: cannot write \S+: \S+ is on a read-only file system; write to a writable folder instead\n$/);
});

test("run with a read-only output_dir: exit 1, naming the folder, before any training", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-run-fault-"));
  const dataRoot = join(tmp, "data");
  prepareDataset("shapes", { root: dataRoot });
  const out = join(tmp, "out");
  const host = captureHost(repoRoot());
  const restore = injectFault({ code: "EROFS", at: "open", match: (p) => p.startsWith(out) });
  let code: number;
  try {
    code = await runCli(["run", join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), "--quiet", "--workers", "0", "--data-root", dataRoot, "--set", `recipe.output_dir=${JSON.stringify(out)}`], host);
  } finally {
    restore();
  }
  assert.is(code, 1, host.err);
  assert.match(host.err, /error: cannot write \S+: \S+ is on a read-only file system; write to a writable folder instead/);
  assert.not.match(host.err, /internal error|bug in lavisc/);
});

test("run with momentum queues larger than memory: exit 1, out of memory with what to lower, not an internal error", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-run-memory-"));
  const dataRoot = join(tmp, "data");
  prepareDataset("shapes", { root: dataRoot });
  const host = captureHost(repoRoot());
  const sets = ["model.queue_size=1000000000", "recipe.batch_size_train=1", `recipe.output_dir=${JSON.stringify(join(tmp, "out"))}`].flatMap((s) => ["--set", s]);
  const code = await runCli(["run", join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), "--quiet", "--workers", "0", "--data-root", dataRoot, ...sets], host);
  assert.is(code, 1, host.err);
  assert.match(host.err, /error: out of memory \(Invalid typed array length: \d+\): the run asks for more than this process can allocate\. `lavisc plan FILE` shows the estimate/);
  assert.not.match(host.err, /internal error|bug in lavisc/);
});

test("only allocation failures of a positive, too-large size are out of memory; other range errors stay bugs", () => {
  assert.ok(outOfMemoryMessage(new RangeError("Array buffer allocation failed")));
  assert.ok(outOfMemoryMessage(new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded")));
  assert.is(outOfMemoryMessage(new RangeError("Invalid typed array length: -4")), null);
  assert.is(outOfMemoryMessage(new RangeError("Invalid typed array length: 12")), null);
  assert.is(outOfMemoryMessage(new TypeError("x is undefined")), null);
  // The wasm backend's trap when its heap cannot grow: out of memory only with a large heap, else a bug.
  const trap = new WebAssembly.RuntimeError("memory access out of bounds");
  assert.match(outOfMemoryMessage(trap, 3.9 * 2 ** 30) ?? "", /^out of memory \(memory access out of bounds, with 3\.9 GiB in the wasm heap and other buffers\): the wasm backend's heap holds at most 4 GiB/);
  assert.is(outOfMemoryMessage(trap, 64 * 2 ** 20), null);
});

test.run();
