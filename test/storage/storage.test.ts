// lavisc's one atomic writer, the faults of the machine it reports, and path confinement.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byteSize, isInside, StorageError, storageFault, writeFileAtomic } from "../../src/storage/index.js";
import { errnoError, injectFault } from "../harness/faultyFs.js";

const fresh = () => mkdtempSync(join(tmpdir(), "lavisc-storage-"));

test("writes and replaces a file, leaving no temp file; makeFolder creates the folder only when asked", () => {
  const dir = fresh();
  const file = join(dir, "a.txt");
  writeFileAtomic(file, "one");
  writeFileAtomic(file, new Uint8Array([116, 119, 111]));
  assert.is(readFileSync(file, "utf8"), "two");
  assert.equal(readdirSync(dir), ["a.txt"]);
  assert.throws(() => writeFileAtomic(join(dir, "new", "b.txt"), "x"), (e: Error) => e instanceof StorageError && e.fault === "missing-folder");
  writeFileAtomic(join(dir, "new", "b.txt"), "x", { makeFolder: true });
  assert.is(readFileSync(join(dir, "new", "b.txt"), "utf8"), "x");
});

test("a fault while writing keeps the previous content, removes the temp file and names the file", () => {
  const dir = fresh();
  const file = join(dir, "log.txt");
  writeFileAtomic(file, "previous");
  for (const [code, fault, pattern] of [
    ["ENOSPC", "disk-full", /^cannot write \S+log\.txt: the disk is full \(this file needs 4\.00 kB, [\d.]+ \w?B are free there\); free space in /],
    ["EDQUOT", "disk-full", /disk quota is used up/],
    ["EROFS", "read-only", /is on a read-only file system; write to a writable folder instead$/],
    ["EACCES", "no-permission", /no permission to write in /],
    ["EIO", "io-error", /input\/output error/],
  ] as const) {
    const restore = injectFault({ code, match: (p) => p.startsWith(join(dir, ".log.txt.")) });
    try {
      assert.throws(() => writeFileAtomic(file, "x".repeat(4000)), (e: Error) => e instanceof StorageError && e.fault === fault && pattern.test(e.message) && e.path === file, code);
    } finally {
      restore();
    }
    assert.is(readFileSync(file, "utf8"), "previous", code);
    assert.equal(readdirSync(dir), ["log.txt"], code);
  }
});

test("errors that are not faults of the machine stay what they are", () => {
  assert.is(storageFault(errnoError("EISDIR", "open"), "/x", 1), null);
  assert.is(storageFault(new TypeError("bug"), "/x", 1), null);
  const dir = fresh();
  mkdirSync(join(dir, "folder"));
  writeFileSync(join(dir, "folder", "inside"), "");
  assert.throws(() => writeFileAtomic(join(dir, "folder"), "x"), (e: Error) => !(e instanceof StorageError));
  rmSync(dir, { recursive: true });
  assert.is(byteSize(999), "999 B");
  assert.is(byteSize(1_234_567), "1.23 MB");
});

test("isInside: lexically below the root and still below it after following links", () => {
  const root = fresh();
  const outside = fresh();
  mkdirSync(join(root, "sub"));
  symlinkSync(outside, join(root, "out"));
  assert.ok(isInside(root, join(root, "a.json")));
  assert.ok(isInside(root, join(root, "sub", "new", "deep.json")), "a path that does not exist yet");
  assert.not.ok(isInside(root, root));
  assert.not.ok(isInside(root, join(root, "..", "x.json")));
  assert.not.ok(isInside(root, `${root}-sibling/x.json`));
  assert.not.ok(isInside(root, join(root, "out", "x.json")), "a link inside the root that leads out");
});

test.run();
