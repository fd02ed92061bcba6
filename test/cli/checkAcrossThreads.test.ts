import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, snapshotHost, type Host } from "../../src/cli/host.js";
import { configFilesIn } from "../../src/cli/commands/checkSummary.js";
import { checkAcrossThreads, defaultThreads, threadsFor, MIN_FILES_PER_EXTRA_THREAD } from "../../src/cli/commands/checkAcrossThreads.js";
import { fromRoot } from "../harness/repoRoot.js";

// A folder check on several threads (worker threads that load the built bundle) must give what one thread gives:
// the same outcome per file, in the folder's order, and the same printed report.

const FOLDERS = [fromRoot("projects"), fromRoot("test", "cases", "hostile"), fromRoot("test", "cases", "interop")];

/** The node host with its output captured. */
function capturingHost(): Host & { out: string; err: string } {
  const h = Object.assign(Object.create(nodeHost()) as Host, { out: "", err: "" });
  return Object.assign(h, { stdout: (t: string) => void (h.out += t), stderr: (t: string) => void (h.err += t) });
}

/** `host` whose every read first waits `ms` (the workers read through hosts of their own, at full speed). */
function slowReads(host: Host, ms: number): Host {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return Object.assign(Object.create(host) as Host, {
    readFile: (path: string) => {
      Atomics.wait(pause, 0, 0, ms);
      return host.readFile(path);
    },
  });
}

test("three threads give each file the outcome one thread gives, in the same order", async () => {
  const folderFiles = FOLDERS.flatMap((d) => configFilesIn(nodeHost(), d).files);
  assert.ok(folderFiles.length >= 30, `${folderFiles.length} files`);
  // Each file four times, and the main thread slowed to one file per 50 ms: on a loaded machine it could otherwise
  // check every file before a worker has loaded the bundle, and then no worker would be tested (it happened).
  const files = [...folderFiles, ...folderFiles, ...folderFiles, ...folderFiles];
  const o = { sets: [], options: [], withResolved: true };
  const one = await checkAcrossThreads(files, snapshotHost(nodeHost()), o, 1);
  const three = await checkAcrossThreads(files, slowReads(snapshotHost(nodeHost()), 50), o, 3);
  assert.equal(three.map((r) => r.outcome), one.map((r) => r.outcome));
  assert.equal(three.map((r) => r.resolved), one.map((r) => r.resolved));
  assert.ok(one.some((r) => r.outcome.diagnostics.some((d) => d.severity === "error")), "the folders include files with errors");
  // Workers did check some files: a worker sends only the sources its diagnostics point into, the main thread keeps all.
  assert.ok(three.some((r, i) => r.sources.length < one[i]!.sources.length), "no file was checked by a worker thread");
  // Every source a diagnostic points into came back with its text (the report prints its lines).
  for (const r of three) {
    const files = new Set(r.sources.map((s) => s.path));
    for (const d of r.outcome.diagnostics) if (d.span) assert.ok(files.has(d.span.file), `${d.code} points into ${d.span.file}, not sent`);
  }
});

test("lavisc check DIR --jobs 3 prints what --jobs 1 prints, text and JSON, with the same exit code", async () => {
  for (const format of ["text", "json"]) {
    const runs = [];
    for (const jobs of ["1", "3"]) {
      const h = capturingHost();
      const code = await runCli(["check", ...FOLDERS, "--format", format, "--jobs", jobs], h);
      runs.push({ code, out: h.out, err: h.err });
    }
    assert.is(runs[0]!.code, 1);
    assert.equal(runs[1], runs[0], format);
  }
});

test("a folder gets one thread per MIN_FILES_PER_EXTRA_THREAD files, at most the cores allowed, at least one", () => {
  assert.is(threadsFor(0, 8), 1);
  assert.is(threadsFor(MIN_FILES_PER_EXTRA_THREAD - 1, 8), 1);
  assert.is(threadsFor(2 * MIN_FILES_PER_EXTRA_THREAD, 8), 2);
  assert.is(threadsFor(1000, 8), 8);
  assert.is(threadsFor(1000, 1), 1);
  // By default half the cores (one thread keeps about one and a half busy), at least one.
  assert.equal([1, 2, 3, 8, 16].map(defaultThreads), [1, 1, 1, 4, 8]);
});

test.run();
