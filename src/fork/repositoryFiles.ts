import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { readModule, type PyModule } from "./pythonModule.js";
import { readYaml } from "../semantic/fromYaml.js";
import { fileRole, type FileRole } from "../semantic/fileRole.js";
import type { CMap } from "../semantic/configTree.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { walkFolder, type FolderReader } from "../project/walkFolder.js";
import { NotUtf8Error } from "../project/utf8Text.js";

// A repository's Python modules and YAML configs, read as text. Hidden folders (.git, .lavisc), dependencies and
// build outputs are not entered; files above a size that no config or registration module reaches are skipped.

export interface RepositoryReader extends FolderReader {
  readFile(path: string): string;
  exists(path: string): boolean;
}

export interface YamlFile {
  /** Absolute path, and the path relative to the repository. */
  readonly path: string;
  readonly rel: string;
  readonly text: string;
  /** Null when the YAML does not parse (its diagnostics say why). */
  readonly root: CMap | null;
  readonly role: FileRole | null;
  readonly diagnostics: readonly Diagnostic[];
}

export interface RepositoryFiles {
  readonly modules: PyModule[];
  /** Absolute path of each module, by its repository-relative path. */
  readonly modulePaths: ReadonlyMap<string, string>;
  readonly sources: ReadonlyMap<string, string>;
  readonly yaml: YamlFile[];
  /** Folders and files the scan could not read (LV1011): what they register is missing from the extension. */
  readonly unreadable: Diagnostic[];
}

const SKIPPED = new Set(["node_modules", "__pycache__", "site-packages", "build", "dist", "venv", "env"]);
const MAX_BYTES = 2_000_000;

export function readRepository(dir: string, reader: RepositoryReader): RepositoryFiles {
  const modules: PyModule[] = [];
  const modulePaths = new Map<string, string>();
  const sources = new Map<string, string>();
  const yaml: YamlFile[] = [];
  const unreadable: Diagnostic[] = [];
  const keep = (name: string) => name.endsWith(".py") || /\.ya?ml$/i.test(name);
  const walk = walkFolder(dir, reader, { enter: (name) => !SKIPPED.has(name), keep });
  for (const n of walk.notEntered) if (n.reason === "unreadable") unreadable.push(diag("LV1011", null, { detail: `${n.path}: ${n.error}` }));
  for (const p of walk.files) {
    let text: string;
    try {
      text = reader.readFile(p);
    } catch (e) {
      const message = (e as Error).message;
      const notUtf8 = e instanceof NotUtf8Error;
      // A module with a PEP 263 coding line may be Latin-1; its registrations are ASCII either way.
      if (notUtf8 && p.endsWith(".py")) text = readFileSync(p, "latin1");
      else {
        // A YAML config LAVIS could not load either is reported, not skipped in silence; so is a file that cannot be read.
        const problem = diag("LV1011", null, { detail: `${p}: ${message}` });
        if (notUtf8) yaml.push({ path: p, rel: relative(dir, p).split("\\").join("/"), text: "", root: null, role: null, diagnostics: [problem] });
        else unreadable.push(problem);
        continue;
      }
    }
    if (text.length > MAX_BYTES) continue;
    const rel = relative(dir, p).split("\\").join("/");
    sources.set(p, text);
    if (p.endsWith(".py")) {
      // Only modules that register names or define classes and constants matter; reading is cheap either way.
      modules.push(readModule(rel, text));
      modulePaths.set(rel, p);
    } else {
      const y = readYaml(text, p);
      yaml.push({ path: p, rel, text, root: y.root, role: y.root ? fileRole(y.root) : null, diagnostics: y.diagnostics });
    }
  }
  return { modules, modulePaths, sources, yaml, unreadable };
}
