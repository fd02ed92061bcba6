// A copy of stdlib/ with some declarations replaced, named by $LAVISC_STDLIB, for tests that show a value is read from
// the stdlib (not written in TypeScript). Call it before importing anything that loads the stdlib: the test file runs
// in its own process, and lavisc reads $LAVISC_STDLIB once.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./repoRoot.js";

/** One replacement: in `file`, the text `from` (which must occur `times` times, once by default) becomes `to`. */
export type StdlibEdit = readonly [file: string, from: string, to: string, times?: number];

/** Copies stdlib/ into a new temporary folder, applies `edits`, and points $LAVISC_STDLIB at the copy. */
export function useStdlibCopy(prefix: string, edits: readonly StdlibEdit[]): { tmp: string; remove: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const stdlib = join(tmp, "stdlib");
  cpSync(join(repoRoot(), "stdlib"), stdlib, { recursive: true });
  for (const [file, from, to, times = 1] of edits) {
    const parts = readFileSync(join(stdlib, file), "utf8").split(from);
    if (parts.length !== times + 1) throw new Error(`stdlib copy: ${file} has ${JSON.stringify(from)} ${parts.length - 1} time(s), not ${times}`);
    writeFileSync(join(stdlib, file), parts.join(to));
  }
  process.env["LAVISC_STDLIB"] = stdlib;
  return { tmp, remove: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** `lavisc explain PROJECT`'s output (PROJECT relative to the repository), read with the copy: call after useStdlibCopy. */
export async function explainWithCopy(project: string): Promise<string> {
  const { runCli } = await import("../../src/cli/main.js");
  const { memoryHost } = await import("../../src/cli/host.js");
  const h = memoryHost({}, repoRoot());
  const code = await runCli(["explain", project], h);
  if (code !== 0) throw new Error(`explain ${project} exited ${code}: ${h.err}`);
  return h.out;
}
