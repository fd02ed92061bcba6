// Faults of the machine during a run (issue 18 §6): a full disk, a read-only or vanished output folder. Each ends the
// run with status 1 and a message naming the file and what to do, and the last good checkpoint stays complete and
// resumable. Faults are injected through node:fs (always runs) and, where this process may mount, made real with a
// size-limited or read-only tmpfs (skipped, and counted as skipped, where mounting is impossible).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExperiment, type RunResult } from "../../src/runtime/index.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { loadCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { syntheticFactory, tinySpec } from "./synthetic.js";
import { injectFault } from "../harness/faultyFs.js";
import { checkpointFileCount, epochCheckpoint } from "../../src/compiler/planStorage.js";
import { resultFile } from "../../src/runtime/train/outputFiles.js";
import { requirement, testWith } from "../harness/requires.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-faults-"));
let n = 0;
const outDir = () => join(root, `run${n++}`);
const schedule = (maxEpoch: number): RunSpec["schedule"] => ({ name: "linear_warmup_cosine_lr", initLr: 2e-3, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch });
/** Three epochs, a checkpoint after each (no validation), no test phase: small and quick. */
const SPEC: Partial<RunSpec> = { maxEpoch: 3, schedule: schedule(3), validSplits: [], testSplits: [], saveLast: false };

async function train(over: Partial<RunSpec> = {}, onStep?: (epoch: number, step: number) => void): Promise<RunResult> {
  return runExperiment(tinySpec(over.outputDir ?? outDir(), { ...SPEC, ...over }), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
    now: () => new Date(2024, 0, 18, 14, 37),
    progress: { onStep: (s) => onStep?.(s.epoch, s.step) },
  });
}

const tmpLeft = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));
const complete = (path: string) => loadCheckpoint(path).ok;

let reference: RunResult;
const t = suite("faults injected through node:fs");

t.before(async () => {
  reference = await train();
  assert.is(reference.status, 0, reference.errors.join("; "));
});

t("result files named after a split stay in the run's result folder", () => {
  assert.is(resultFile("/runs/1", "val_epoch0.json"), "/runs/1/result/val_epoch0.json");
  for (const name of ["../../../tmp/evil.json", "../log.txt", "a/b.json", "..\\x.json"]) {
    assert.throws(() => resultFile("/runs/1", name), (e: Error) => e.name === "StorageError" && /would be written outside \/runs\/1\/result/.test(e.message), name);
  }
});

/** The names plan's rules give, epoch by epoch (as the runtime writes them). */
const checkpointNames = (run: RunSpec): string[] => {
  const names = new Set(run.validSplits.length ? ["checkpoint_best"] : []);
  for (let e = 0; e < run.maxEpoch; e++) {
    const name = epochCheckpoint(run, e);
    if (name) names.add(name);
  }
  return [...names].sort();
};

t("plan counts the checkpoint files the run writes", () => {
  const written = readdirSync(reference.outputDir!).filter((f) => /^checkpoint_.*\.json$/.test(f)).map((f) => f.replace(/\.json$/, ""));
  assert.equal(written.sort(), checkpointNames(tinySpec("x", SPEC)));
  assert.is(checkpointFileCount(tinySpec("x", SPEC)), written.length);
  const validated = tinySpec("x", { ...SPEC, validSplits: ["val"], saveFreq: 2, saveLast: true });
  assert.equal(checkpointNames(validated), ["checkpoint_0", "checkpoint_2", "checkpoint_best"]);
  assert.is(checkpointFileCount(validated), 3);
});

t("a full disk while writing a checkpoint: status 1, the space needed, checkpoint_0 intact and resumable", async () => {
  const restore = injectFault({ code: "ENOSPC", match: (p) => /\.checkpoint_1\.[0-9a-f]{16}\.safetensors\.\d+\.\d+\.tmp$/.test(p) });
  let r: RunResult;
  try {
    r = await train();
  } finally {
    restore();
  }
  assert.is(r.status, 1);
  const ckpt0 = join(r.outputDir!, "checkpoint_0.json");
  assert.match(r.errors[0]!, /^cannot write \S+checkpoint_1\.[0-9a-f]{16}\.safetensors: the disk is full \(this file needs [\d.]+ kB/);
  assert.match(r.errors[0]!, /free space in \S+ or write to a disk with room; the next checkpoint needs about [\d.]+ kB/);
  assert.ok(r.errors[0]!.endsWith(`. The last good checkpoint ${ckpt0} is intact`), r.errors[0]);
  assert.is(r.resumePath, ckpt0);
  assert.not.ok(existsSync(join(r.outputDir!, "checkpoint_1.json")));
  assert.equal(tmpLeft(r.outputDir!), [], "no temp file is left behind");
  assert.ok(complete(ckpt0));
  const resumed = await train({ resumeCkptPath: r.resumePath! });
  assert.is(resumed.status, 0, resumed.errors.join("; "));
  assert.equal(resumed.epochLosses, reference.epochLosses.slice(1), "resuming continues exactly");
});

t("a full disk while appending to log.txt names log.txt and the size of the next checkpoint", async () => {
  let armed = false;
  const restore = injectFault({ code: "ENOSPC", match: (p) => armed && /\.log\.txt\.\d+\.\d+\.tmp$/.test(p) });
  let r: RunResult;
  try {
    r = await train({}, (epoch) => { if (epoch === 1) armed = true; });
  } finally {
    restore();
  }
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /^cannot write \S+log\.txt: the disk is full .*the next checkpoint needs about [\d.]+ kB\. The last good checkpoint \S+checkpoint_0\.json is intact$/);
  const size = statSync(join(r.outputDir!, readdirSync(r.outputDir!).find((f) => /^checkpoint_0\..*safetensors$/.test(f))!)).size;
  assert.ok(size > 10_000, "the tiny model's checkpoint is tens of kB");
});

t("a read-only output folder or one without permission: status 1 before training, naming the folder", async () => {
  for (const [code, pattern] of [["EROFS", /is on a read-only file system; write to a writable folder instead/], ["EACCES", /no permission to write in/]] as const) {
    const out = outDir();
    const restore = injectFault({ code, at: "open", match: (p) => p.startsWith(out + "/") });
    let r: RunResult;
    try {
      r = await train({ outputDir: out });
    } finally {
      restore();
    }
    assert.is(r.status, 1, code);
    assert.match(r.errors[0]!, pattern);
    assert.ok(r.errors[0]!.includes(out), r.errors[0]);
    assert.is(r.resumePath, null);
  }
});

t("an output folder deleted during the run: status 1 saying it no longer exists, no claim of an intact checkpoint", async () => {
  let dir: string | null = null;
  const out = outDir();
  const r = await train({ outputDir: out }, (epoch) => {
    if (epoch === 1 && !dir) {
      dir = join(out, readdirSync(out)[0]!);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /^cannot write \S+: the folder \S+ no longer exists \(deleted or unmounted while lavisc ran\)/);
  assert.not.match(r.errors[0]!, /intact/);
  assert.is(r.resumePath, null);
  assert.not.ok(existsSync(dir!), "lavisc did not silently recreate the deleted folder");
});
t.run();

// --- real file systems -------------------------------------------------------------------------------------------

/** Mounts a tmpfs at `dir` (size in bytes); null when this process may not mount (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(dir: string, size: number, readOnly = false): string | null {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${readOnly ? ",ro" : ""}`, "tmpfs", dir], { encoding: "utf8" });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}
const umount = (dir: string) => spawnSync("umount", ["-l", dir]);
const probe = join(root, "probe");
const cannotMount = mountTmpfs(probe, 64 * 1024);
umount(probe);

const real = suite("faults of real file systems (tmpfs)");
// Mounting needs root (or CAP_SYS_ADMIN), which no package gives: a skip, in CI too.
const TMPFS = requirement("permission to mount a tmpfs", false, () => cannotMount && `cannot mount a tmpfs here (${cannotMount})`);
const withTmpfs = testWith(real, TMPFS);
{
  withTmpfs("a size-limited tmpfs fills up at the second checkpoint; checkpoint_0 stays intact and resumable", async () => {
    const ckpt = readdirSync(reference.outputDir!).filter((f) => f.startsWith("checkpoint_0.")).reduce((s, f) => s + statSync(join(reference.outputDir!, f)).size, 0);
    const disk = join(root, "small-disk");
    assert.is(mountTmpfs(disk, Math.ceil((1.6 * ckpt + 64 * 1024) / 4096) * 4096), null);
    try {
      const r = await train({ outputDir: disk });
      assert.is(r.status, 1);
      assert.match(r.errors[0]!, /^cannot write \S+: the disk is full \(this file needs [\d.]+ kB, [\d.]+ (kB|B) are free there\)/);
      assert.match(r.errors[0]!, /the next checkpoint needs about [\d.]+ kB\. The last good checkpoint \S+checkpoint_0\.json is intact$/);
      assert.ok(complete(r.resumePath!));
      assert.equal(tmpLeft(r.outputDir!), []);
      const resumed = await train({ resumeCkptPath: r.resumePath! });
      assert.is(resumed.status, 0, resumed.errors.join("; "));
      assert.equal(resumed.epochLosses, reference.epochLosses.slice(1));
    } finally {
      umount(disk);
    }
  });

  withTmpfs("a tmpfs remounted read-only during the run; a read-only one from the start", async () => {
    const disk = join(root, "ro-disk");
    assert.is(mountTmpfs(disk, 8 * 1024 * 1024), null);
    try {
      const r = await train({ outputDir: disk }, (epoch) => { if (epoch === 1) spawnSync("mount", ["-o", "remount,ro", disk]); });
      assert.is(r.status, 1);
      assert.match(r.errors[0]!, /is on a read-only file system; write to a writable folder instead\. The last good checkpoint \S+checkpoint_0\.json is intact$/);
      assert.ok(complete(r.resumePath!));
      const again = await train({ outputDir: disk });
      assert.is(again.status, 1);
      assert.match(again.errors[0]!, /read-only file system/);
    } finally {
      umount(disk);
    }
  });
}
real.run();
