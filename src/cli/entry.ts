// The binary's entry: one module that the build bundles (bin/lavisc.cjs loads the bundle when it exists).
import { runCli } from "./main.js";
import { nodeHost } from "./host.js";

export async function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, nodeHost());
}
