// The binary's entry: one module that the build bundles (bin/lavisc.cjs loads the bundle when it exists).
import { runCli } from "./main.js";
import { nodeHost } from "./host.js";
import { ExitCode } from "./exitCodes.js";

export async function main(argv: readonly string[]): Promise<number> {
  let host;
  try {
    host = nodeHost(); // reads the working folder, which may have been deleted under the shell
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    process.stderr.write("error: the current folder no longer exists (deleted or unmounted); cd to a folder that exists and run again\n");
    return ExitCode.Diagnostics;
  }
  return runCli(argv, host);
}

// What a batch driver needs besides the CLI (bench/compile.ts checks the whole corpus through the bundle, as one
// `lavisc` process would): the library's entry point, the Node host and the resolved tree as plain data.
export { checkFile } from "../index.js";
export { nodeHost } from "./host.js";
export { toPlain } from "../semantic/configTree.js";
// A worker thread of a parallel folder check starts here (commands/checkAcrossThreads.ts), and so can a batch driver.
export { checkWorkerMain } from "./commands/checkWorker.js";
// The language server counts a split's annotation files in a thread that starts here (lsp/splitCounting.ts).
export { splitCountWorkerMain } from "../compiler/splitCountWorker.js";

/** A replica thread of a `world_size` run starts here; its module (and TensorFlow.js) loads only in that thread. */
export async function replicaWorkerMain(): Promise<void> {
  (await import("../runtime/replicas/replicaWorker.js")).replicaWorkerMain();
}
export { checkAcrossThreads } from "./commands/checkAcrossThreads.js";
export { snapshotHost } from "./host.js";
