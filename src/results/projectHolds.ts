// Whether a project file holds a tuning candidate's settings: each `--set KEY=VALUE` of the candidate resolves to the
// same value with and without it (`lavisc explain PROJECT KEY --format json`, run through the binary as a user would).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** The project's resolved value of `key` with `set` applied, as `lavisc explain --format json` prints it. */
export function explainedValue(root: string, project: string, key: string, set: readonly string[]): string {
  const r = spawnSync(process.execPath, [join(root, "bin", "lavisc.cjs"), "explain", project, key, "--format", "json", ...set.flatMap((s) => ["--set", s])], { cwd: root, encoding: "utf8" });
  return JSON.stringify((JSON.parse(r.stdout || "{}") as { config?: unknown }).config ?? null);
}

/** The candidate's `--set`s the project does not hold yet (empty when it holds them all). */
export function settingsNotHeld(root: string, project: string, sets: readonly string[]): string[] {
  return sets.filter((s) => {
    const key = s.slice(0, s.indexOf("="));
    return explainedValue(root, project, key, []) !== explainedValue(root, project, key, [s]);
  });
}
