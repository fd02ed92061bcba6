import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockFolder } from "../../src/storage/index.js";

// The lock a sweep trial takes while it runs: exclusive, names its process, stale locks are taken over.

test("a lock is exclusive while its process lives, names it, and is gone once released", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lock-"));
  try {
    const path = join(dir, "t01", "trial.lock");
    const first = lockFolder(path);
    assert.ok(first.held);
    assert.is(readFileSync(path, "utf8").trim(), String(process.pid));
    if (first.held) first.release();
    assert.not.ok(existsSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another live process's lock is reported with its pid; a dead process's lock is taken over", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lock-"));
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
  try {
    const path = join(dir, "trial.lock");
    writeFileSync(path, `${child.pid}\n`);
    const busy = lockFolder(path);
    assert.equal(busy, { held: false, pid: child.pid! });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const taken = lockFolder(path);
    assert.ok(taken.held, "the dead process's lock is stale");
    assert.is(readFileSync(path, "utf8").trim(), String(process.pid));
    if (taken.held) taken.release();
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
