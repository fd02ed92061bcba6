// A copy of stdlib/ with some declarations replaced, named by $LAVISC_STDLIB, for tests that show a value is read from
// the stdlib (not written in TypeScript). Call it before importing anything that loads the stdlib: the test file runs
// in its own process, and lavisc reads $LAVISC_STDLIB once.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./repoRoot.js";

/** One replacement: in `file`, the text `from` (which must occur exactly once) becomes `to`. */
export type StdlibEdit = readonly [file: string, from: string, to: string];

/** Copies stdlib/ into a new temporary folder, applies `edits`, and points $LAVISC_STDLIB at the copy. */
export function useStdlibCopy(prefix: string, edits: readonly StdlibEdit[]): { tmp: string; remove: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const stdlib = join(tmp, "stdlib");
  cpSync(join(repoRoot(), "stdlib"), stdlib, { recursive: true });
  for (const [file, from, to] of edits) {
    const text = readFileSync(join(stdlib, file), "utf8");
    if (text.split(from).length !== 2) throw new Error(`stdlib copy: ${file} does not have ${JSON.stringify(from)} exactly once`);
    writeFileSync(join(stdlib, file), text.replace(from, to));
  }
  process.env["LAVISC_STDLIB"] = stdlib;
  return { tmp, remove: () => rmSync(tmp, { recursive: true, force: true }) };
}
