import { readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./repoRoot.js";

/** The repository's experiments (.lv) and LAVIS YAML cases, in a fixed order: the seeds of the mutation fuzzers. */
export function seedConfigs(): string[] {
  const root = repoRoot();
  const out: string[] = [];
  const walk = (dir: string, exts: RegExp) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, exts);
      else if (exts.test(e.name)) out.push(p);
    }
  };
  walk(join(root, "projects"), /\.lv$/);
  walk(join(root, "test", "cases", "compiler"), /\.(lv|yaml)$/);
  walk(join(root, "test", "cases", "interop"), /\.yaml$/);
  return out;
}
