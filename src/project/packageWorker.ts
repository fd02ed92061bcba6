import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { packageRoot } from "./paths.js";

/**
 * A worker thread that runs `entry`, a function the CLI's bundle exports (src/cli/entry.ts) and `modulePath` (under
 * dist/src) exports too: the bundle with its code cache when the build made one, as the binary runs it (a tenth of
 * the start-up of importing the compiled modules), else the compiled module.
 */
export function packageWorker(entry: string, modulePath: string, workerData: unknown): Worker {
  const bin = join(packageRoot(), "bin", "lavisc.cjs");
  const modules = pathToFileURL(join(packageRoot(), "dist", "src", modulePath)).href;
  const code = `const bundle = require(${JSON.stringify(bin)}).loadBundle();
if (bundle) bundle.exports[${JSON.stringify(entry)}]();
else import(${JSON.stringify(modules)}).then((m) => m[${JSON.stringify(entry)}]());`;
  return new Worker(code, { eval: true, workerData });
}
