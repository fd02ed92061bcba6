// The binary's entry: one module that the build bundles (bin/lavisc.cjs loads the bundle when it exists).
import { runCli } from "./main.js";
import { nodeHost } from "./host.js";

export async function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, nodeHost());
}

// What a batch driver needs besides the CLI (bench/compile.ts checks the whole corpus through the bundle, as one
// `lavisc` process would): the library's entry point, the Node host and the resolved tree as plain data.
export { checkFile } from "../index.js";
export { nodeHost } from "./host.js";
export { toPlain } from "../semantic/configTree.js";
// A worker thread of a parallel folder check starts here (commands/checkAcrossThreads.ts), and so can a batch driver.
export { checkWorkerMain } from "./commands/checkWorker.js";

/** A replica thread of a `world_size` run starts here; its module (and TensorFlow.js) loads only in that thread. */
export async function replicaWorkerMain(): Promise<void> {
  (await import("../runtime/replicas/replicaWorker.js")).replicaWorkerMain();
}
export { checkAcrossThreads } from "./commands/checkAcrossThreads.js";
export { snapshotHost } from "./host.js";
