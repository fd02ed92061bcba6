import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { fromRoot, repoRoot } from "../harness/repoRoot.js";

// Forks for the tests: the synthetic ones under test/fixtures/forks, and the real ones beside the repository
// (../shared/fork-configs) when it is there. Files are read from disk; what lavisc writes stays in the host's memory.

export const fixture = (name: string) => fromRoot("test", "fixtures", "forks", name);

export const SHARED_FORKS = join(repoRoot(), "..", "shared", "fork-configs");

export type TestHost = ReturnType<typeof memoryHost>;

export async function cli(h: TestHost, args: string[]): Promise<{ code: number; out: string; err: string }> {
  h.out = "";
  h.err = "";
  const code = await runCli(args, h);
  return { code, out: h.out, err: h.err };
}

/** A host whose working folder is the repository root (so paths print relative to it). */
export function repoHost(): TestHost {
  return memoryHost({}, repoRoot());
}

/** `github.com/x/y @ sha` from a real fork's SOURCE.txt. */
export function sourceOf(dir: string): { repository: string; commit: string } {
  const m = /^(\S+) @ ([0-9a-f]{40})/.exec(readFileSync(join(dir, "SOURCE.txt"), "utf8"))!;
  return { repository: m[1]!, commit: m[2]! };
}
