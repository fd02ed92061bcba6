import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../harness/repoRoot.js";

// The LAVIS corpus and its oracle output live beside the repository (`../shared/lavis-configs`), not in it.

/** Absolute path of the corpus root, or null when the folder is absent (every corpus test then skips). */
export function corpusRoot(): string | null {
  const dir = join(repoRoot(), "..", "shared", "lavis-configs");
  return existsSync(join(dir, "projects")) && existsSync(join(dir, "resolved")) ? dir : null;
}

/** Project files relative to the corpus root (`projects/blip/...yaml`), sorted as the oracle lists them. */
export function projectFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = `${rel}/${name}`;
      if (statSync(join(root, r)).isDirectory()) walk(r);
      else if (name.endsWith(".yaml")) out.push(r);
    }
  };
  walk("projects");
  return out.sort();
}

/** The oracle's status per file: "ok" or LAVIS's error message. */
export function oracleSummary(root: string): Map<string, string> {
  const s = JSON.parse(readFileSync(join(root, "resolved", "_summary.json"), "utf8")) as { files: Record<string, string> };
  return new Map(Object.entries(s.files));
}

export function oracleText(root: string, rel: string): string {
  return readFileSync(join(root, "resolved", rel.replace(/\.yaml$/, ".json")), "utf8");
}

/**
 * The key a dataset's default file really uses, read from LAVIS's registry and the default file itself (not from
 * lavisc's stdlib), so the suite checks lavisc's LV4012 against the corpus. Null when the file is keyed by the builder.
 */
export function otherDatasetKey(root: string, builder: string, type: string): string | null {
  const reg = registry(root);
  const path = reg.datasets[builder]?.types[type];
  if (!path || !existsSync(join(root, path))) return null;
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(join(root, path), "utf8"));
  } catch {
    return null;
  }
  const keys = Object.keys((doc as { datasets?: Record<string, unknown> } | null)?.datasets ?? {});
  return keys.length === 1 && keys[0] !== builder ? keys[0]! : null;
}

interface LavisRegistry {
  datasets: Record<string, { types: Record<string, string> }>;
}

let cachedRegistry: LavisRegistry | undefined;
function registry(root: string): LavisRegistry {
  return (cachedRegistry ??= JSON.parse(readFileSync(join(root, "registry.json"), "utf8")) as LavisRegistry);
}
