import type * as A from "../syntax/ast.js";
import type { EntryInfo, Registry } from "./registry.js";

// Which registry entry loads a default file: an arch's model type (PRETRAINED_MODEL_CONFIG_DICT) or a builder's
// dataset type (DATASET_CONFIG_DICT). The stdlib and a fork's extension write it in the type clause's doc comment,
// `/// Default config: configs/models/blip_caption_base_coco.yaml.`, a path relative to the package.

export interface DefaultFileUse {
  readonly kind: "arch" | "builder";
  readonly entry: EntryInfo;
  readonly type: string;
  /** The path as the registry writes it. */
  readonly path: string;
}

const DEFAULT_CONFIG = /Default config: (\S+?\.ya?ml)\b/;

/** The package-relative default file a type clause names, or null. */
export function defaultConfigPath(clause: A.TypeClause): string | null {
  return DEFAULT_CONFIG.exec(clause.doc ?? "")?.[1] ?? null;
}

/** Every use of the default file at `file` (an absolute path): a fork's extension before the stdlib, then longest path first. */
export function usesOfDefaultFile(reg: Registry, file: string): DefaultFileUse[] {
  const norm = file.replace(/\\/g, "/");
  const out: DefaultFileUse[] = [];
  for (const kind of ["arch", "builder"] as const) {
    for (const entry of reg.entries[kind].values()) {
      for (const [type, clause] of entry.types) {
        const path = defaultConfigPath(clause);
        if (path && (norm === path || norm.endsWith(`/${path.replace(/^\.?\//, "")}`))) out.push({ kind, entry, type, path });
      }
    }
  }
  const fromStdlib = (u: DefaultFileUse) => (u.entry.decl.span.file.startsWith("stdlib/") ? 1 : 0);
  return out.sort((a, b) => fromStdlib(a) - fromStdlib(b) || b.path.length - a.path.length);
}
