// Build step: bundles lavisc's own compiled modules into a few files, so a cold `lavisc check` loads a handful of
// modules instead of ~100 (module resolution was a third of start-up). Dependencies stay external; lazy imports
// (the runtime, the interop commands) become separate chunks, still loaded only when needed.
import { build } from "esbuild";
import { rmSync } from "node:fs";

const outdir = new URL("../dist/bundle/", import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
try {
  await build({
  entryPoints: { cli: new URL("../dist/src/cli/entry.js", import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  });
} catch (e) {
  // Without the bundle, bin/lavisc.js runs the plain compiled modules: slower to start, same behaviour.
  rmSync(outdir, { recursive: true, force: true });
  console.warn(`lavisc: bundling skipped (${e instanceof Error ? e.message.split("\n")[0] : e}); the CLI uses dist/src.`);
}
