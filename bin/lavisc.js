#!/usr/bin/env node
// Thin shell: everything lives in runCli so it can be tested in-process. The build bundles the CLI into one script
// with a V8 code cache (tools/bundle.mjs); it is run here through vm.Script, so a cold start neither resolves modules
// nor compiles what the cache holds. Without the bundle (before `npm run build` finishes) the plain compiled modules
// run: slower to start, same behaviour.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const bundle = fileURLToPath(new URL("../dist/bundle/lavisc.cjs", import.meta.url));
const loaded = loadBundle();
const main = loaded?.main ?? (await import("../dist/src/cli/entry.js")).main;
process.exitCode = await main(process.argv.slice(2));
if (loaded && (loaded.script.cachedDataRejected || process.env.LAVISC_WRITE_CODE_CACHE)) writeCodeCache(loaded.script);

function loadBundle() {
  let source;
  try {
    source = readFileSync(bundle, "utf8");
  } catch {
    return null;
  }
  let cachedData;
  try {
    cachedData = readFileSync(`${bundle}.cache`);
  } catch {
    /* no cache: compile as usual */
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData: cachedData?.length ? cachedData : undefined,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { main: module.exports.main, script };
}

/** Keeps what V8 compiled during this run (the build's warm-up run, or a cache another Node version wrote). */
function writeCodeCache(script) {
  try {
    const tmp = `${bundle}.cache.${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, `${bundle}.cache`);
  } catch {
    /* a read-only install runs without a cache */
  }
}
