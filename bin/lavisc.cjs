#!/usr/bin/env node
"use strict";
// Thin shell: everything lives in runCli so it can be tested in-process. The build bundles the CLI into one script
// with a V8 code cache (tools/bundle.mjs); it runs here through vm.Script, so a cold start neither resolves modules
// nor compiles what the cache holds. This file is CommonJS so that Node starts it without its ES module loader.
// Without the bundle (before `npm run build` finishes) the plain compiled modules run: slower to start, same behaviour.
const { readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const vm = require("node:vm");

const bundleDir = join(__dirname, "..", "dist", "bundle");
const bundle = join(bundleDir, "lavisc.cjs");

if (require.main === module) {
  (async () => {
    const loaded = loadBundle();
    const main = loaded ? loaded.exports.main : (await import("../dist/src/cli/entry.js")).main;
    process.exitCode = await main(process.argv.slice(2));
    if (loaded && ((loaded.script.cachedDataRejected && withDefaultFlags()) || process.env.LAVISC_WRITE_CODE_CACHE)) writeCodeCache(loaded.script);
  })();
}

/** The bundle's exports (the CLI's `main`, and the library functions a batch driver needs), or null without a bundle. */
module.exports = { loadBundle };

function loadBundle() {
  if (process.env.LAVISC_NO_BUNDLE) return null; // for the benchmark's cold-start comparison (bench/README.md)
  let source;
  try {
    // A bundle older than the compiled modules is stale (`tsc` ran after the last `npm run build`): use the modules.
    if (statSync(bundle).mtimeMs < statSync(join(__dirname, "..", "dist", "src", "cli", "entry.js")).mtimeMs) return null;
    source = readFileSync(bundle, "latin1"); // the build makes it ASCII (tools/bundle.mjs): a plain byte copy
  } catch {
    return null;
  }
  let cachedData;
  try {
    if (!process.env.LAVISC_NO_CODE_CACHE) cachedData = readFileSync(codeCacheFor(process.argv.slice(2)));
  } catch {
    /* no cache: compile as usual */
  }
  // The bundle is `(function (exports, require, module, __filename, __dirname) { ... })`, a CommonJS module wrapper.
  const script = new vm.Script(source, {
    filename: bundle,
    cachedData: cachedData && cachedData.length ? cachedData : undefined,
  });
  const bundled = { exports: {} };
  script.runInThisContext()(bundled.exports, createRequire(bundle), bundled, bundle, bundleDir);
  return { exports: bundled.exports, script };
}

/**
 * Two code caches of the one bundle: `.cache` holds what a YAML check runs, `.lv.cache` also the `.lv` parser (its
 * construction is a third of the compiled code, and deserializing a cache costs in proportion to its size: 24 ms
 * against 13 ms). A command line that names a `.lv` file, or a command that parses `.lv` text, takes the second.
 * A wrong pick costs time, never correctness: what a cache lacks is compiled when first run.
 */
function codeCacheFor(argv) {
  const parsesLv = argv.some((a) => a.endsWith(".lv") || a === "--set" || a.startsWith("--set=")) || ["fmt", "lsp"].includes(argv[0]);
  return parsesLv ? `${bundle}.lv.cache` : `${bundle}.cache`;
}

/**
 * Whether this process runs Node with its default flags. V8 rejects a cache written under other flags
 * (`node --max-old-space-size=150 lavisc ...`, `--inspect`, a test's heap limit), so such a run neither uses the
 * build's cache nor replaces it: its own would be rejected by every plain run after it, which would then write theirs.
 */
function withDefaultFlags() {
  return process.execArgv.length === 0 && !process.env.NODE_OPTIONS;
}

/** Keeps what V8 compiled during this run (the build's warm-up runs, or a cache another Node version wrote). */
function writeCodeCache(script) {
  try {
    const cache = codeCacheFor(process.argv.slice(2));
    const tmp = `${cache}.${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cache);
  } catch {
    /* a read-only install runs without a cache */
  }
}
