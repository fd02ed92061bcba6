import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The repository root (the folder holding package.json), found from this file so tests work from dist/ or src. */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("package.json not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return (cached = dir);
}

/** An absolute path from a path relative to the repository root. */
export const fromRoot = (...parts: string[]): string => join(repoRoot(), ...parts);
