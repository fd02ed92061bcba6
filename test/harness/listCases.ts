import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "./repoRoot.js";

/** The cases in a folder (relative to the repo root) with extension `ext`, sorted by name. */
export function listCases(folder: string, ext = ".lv"): { name: string; text: string }[] {
  const dir = fromRoot(folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => ({ name: f.slice(0, -ext.length), text: readFileSync(join(dir, f), "utf8") }));
}
