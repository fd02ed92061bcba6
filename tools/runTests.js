#!/usr/bin/env node
// Runs every compiled uvu test file, one process per file (a crash in one file cannot hide the others),
// and ends with the plain summary line CI reads: "N passed, N failed" (", N skipped" when tests were skipped).
// A skip is uvu's own (`test.skip`, see test/harness/requires.ts); a file that prints a `SKIP:` line without
// registering as many skipped tests fails, so a test that could not run is never counted as passed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const testDir = join(root, "dist", "test");
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(".test.js")) out.push(p);
  }
  return out;
}

// lavisc's cache (annotation counts, throughput, downloads) lives in a fresh folder for the run unless LAVISC_CACHE is
// set: the tests neither fill the user's ~/.cache/lavisc nor depend on what an earlier run or session left there.
const ownCache = process.env.LAVISC_CACHE ? null : mkdtempSync(join(tmpdir(), "lavisc-test-cache-"));
const childEnv = { ...process.env, FORCE_COLOR: "0", ...(ownCache ? { LAVISC_CACHE: ownCache } : {}) };

let passed = 0, failed = 0, skipped = 0;
const failures = [];
for (const file of walk(testDir)) {
  const rel = relative(root, file);
  if (filter && !filter.test(rel)) continue;
  const started = Date.now();
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", env: childEnv, maxBuffer: 64 << 20 });
  let out = (r.stdout ?? "") + (r.stderr ?? "");
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skip = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipLines = out.split("\n").filter((line) => /^SKIP:/.test(line));
  // uvu's Total counts the tests that ran; skipped ones are reported apart.
  let bad = total - ok;
  if (r.status !== 0 && bad === 0) bad = 1; // crashed before reporting
  if (skipLines.length > skip) {
    bad += skipLines.length - skip;
    out += `\nrunTests: ${skipLines.length} SKIP lines but ${skip} skipped tests: register skips with test/harness/requires.ts\n`;
  }
  passed += ok; failed += bad; skipped += skip;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${bad ? "FAIL" : "ok  "} ${rel}  (${ok} passed${bad ? `, ${bad} failed` : ""}${skip ? `, ${skip} skipped` : ""}, ${secs}s)`);
  if (bad) failures.push({ rel, out });
  for (const line of skipLines) console.log("     " + line);
}
for (const f of failures) {
  console.log(`\n=== ${f.rel} ===\n${f.out.slice(-6000)}`);
}
if (ownCache) rmSync(ownCache, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exitCode = failed ? 1 : 0;
