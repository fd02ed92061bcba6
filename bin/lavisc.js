#!/usr/bin/env node
// Thin shell: everything lives in runCli so it can be tested in-process. The bundled build starts faster; the
// plain compiled modules are the fallback (e.g. during development, before `npm run build` bundles).
let entry;
try {
  entry = await import("../dist/bundle/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  entry = await import("../dist/src/cli/entry.js");
}
process.exitCode = await entry.main(process.argv.slice(2));
