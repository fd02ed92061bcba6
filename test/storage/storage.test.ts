// lavisc's one atomic writer, the faults of the machine it reports, and path confinement.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, statSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byteSize, isInside, makeFolder, StorageError, storageFault, writeFileAtomic } from "../../src/storage/index.js";
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
  assert.throws(() => writeFileAtomic(join(dir, "folder"), "x"), (e: Error) => e instanceof StorageError && e.fault === "not-a-file" && /it is a folder/.test(e.message));
  rmSync(dir, { recursive: true });
  assert.is(byteSize(999), "999 B");
  assert.is(byteSize(1_234_567), "1.23 MB");
});

test("a pipe at the path is refused, never replaced; a link is replaced, or written through with throughLinks", () => {
  const dir = fresh();
  const pipe = join(dir, "pipe");
  assert.is(spawnSync("mkfifo", [pipe]).status, 0, "mkfifo");
  assert.throws(() => writeFileAtomic(pipe, "x"), (e: Error) => e instanceof StorageError && e.fault === "not-a-file" && /it is a named pipe, and lavisc writes regular files only/.test(e.message));
  assert.ok(lstatSync(pipe).isFIFO(), "the pipe is still there");
  assert.equal(readdirSync(dir), ["pipe"], "no temp file left");

  const real = join(dir, "real.lv"), link = join(dir, "link.lv");
  writeFileSync(real, "old");
  symlinkSync("real.lv", link);
  writeFileAtomic(link, "through", { throughLinks: true });
  assert.ok(lstatSync(link).isSymbolicLink(), "the link stays");
  assert.is(readFileSync(real, "utf8"), "through");
  writeFileAtomic(link, "replaced");
  assert.ok(lstatSync(link).isFile(), "without throughLinks the link itself is replaced (a planted link leads nowhere)");
  assert.is(readFileSync(real, "utf8"), "through");

  symlinkSync("missing.lv", join(dir, "dangling.lv"));
  assert.throws(() => writeFileAtomic(join(dir, "dangling.lv"), "x", { throughLinks: true }), (e: Error) => e instanceof StorageError && /a link to a file that does not exist/.test(e.message));
  symlinkSync("pipe", join(dir, "to-pipe"));
  assert.throws(() => writeFileAtomic(join(dir, "to-pipe"), "x", { throughLinks: true }), (e: Error) => e instanceof StorageError && /named pipe/.test(e.message));
  rmSync(dir, { recursive: true });
});

test("a replaced file keeps its permissions (and, as root, its owner): a private config stays private", () => {
  const dir = fresh();
  const file = join(dir, "private.lv");
  writeFileSync(file, "old");
  chmodSync(file, 0o600);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (asRoot) chownSync(file, 4321, 4321);
  writeFileAtomic(file, "new");
  const st = statSync(file);
  assert.is(readFileSync(file, "utf8"), "new");
  assert.is(st.mode & 0o777, 0o600);
  if (asRoot) assert.equal([st.uid, st.gid], [4321, 4321]);
  chmodSync(file, 0o755);
  writeFileAtomic(file, "newer");
  assert.is(statSync(file).mode & 0o777, 0o755);
  rmSync(dir, { recursive: true });
});

test("a folder no file system takes is a StorageError naming it: a file there, a loop of links, a name too long, a NUL", () => {
  const dir = fresh();
  writeFileSync(join(dir, "existfile"), "x");
  symlinkSync(join(dir, "loopB"), join(dir, "loopA"));
  symlinkSync(join(dir, "loopA"), join(dir, "loopB"));
  const refused = (path: string, fault: string, message: RegExp) =>
    assert.throws(() => makeFolder(path), (e: Error) => e instanceof StorageError && e.fault === fault && message.test(e.message), path);
  refused(join(dir, "existfile"), "not-a-folder", /^cannot create the folder \S+existfile: a file of that name is there/);
  refused(join(dir, "loopA", "x"), "bad-path", /its symbolic links make a loop \(ELOOP\)/);
  refused(join(dir, "z".repeat(300)), "bad-path", /a name in it is longer than the file system allows \(ENAMETOOLONG\)/);
  refused(join(dir, "out", "z\u0000x"), "bad-path", /^cannot use "\S+z\\u0000x": a path cannot hold a NUL character/);
  // Node's recursive mkdir never returns under /proc; lavisc's says the folder cannot be made there.
  if (existsSync("/proc/self")) refused("/proc/lavisc-nope/x", "no-permission", /^cannot create the folder \/proc\/lavisc-nope: \/proc takes no new folders/);
  makeFolder(join(dir, "new", "deep", "er"));
  assert.ok(statSync(join(dir, "new", "deep", "er")).isDirectory());
  makeFolder(join(dir, "new", "deep", "er"));
  rmSync(dir, { recursive: true });
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
