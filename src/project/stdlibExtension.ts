import { dirname, join, resolve as resolvePath } from "node:path";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import { SourceFile, diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { buildRegistry, type Registry } from "../semantic/registry.js";
import type { Stdlib } from "./stdlib.js";

// A stdlib extension: the `.lv` files of the nearest `.lavisc/` folder above a file (a fork's registry, written by
// `lavisc registry scan`), or the file `--stdlib-ext` names. Its declarations layer over the stdlib's: an entry it
// declares under a name the stdlib already has (a fork that registers its own `blip_caption`) replaces the stdlib's
// entry, because the fork's registry is the one its code runs with; everything else adds up as in the stdlib.
// The interface is "stdlib + extension files -> registry" (`extendStdlib`), layered on the stdlib's registry (the
// precompiled one; see stdlib.ts), which it never changes.

/** What the extension needs of the file system. `listDir` is optional: without it only `registry.lv` is found. */
export interface ExtensionReader {
  readFile(path: string): string;
  exists(path: string): boolean;
  listDir?(path: string): string[];
  /** Whether `path` is a folder; asked before listing one (a missing folder's listing throws, and throwing costs). */
  isDirectory?(path: string): boolean;
  /** `--stdlib-ext FILE`: this extension instead of the nearest `.lavisc/`. */
  readonly stdlibExt?: string;
  /** A read-only command's memo (the snapshot host's): the extension found for a folder, asked once per folder. */
  remembered?<T>(key: string, compute: () => T): T;
}

/** A stdlib entry an extension declares again, so the extension's one is used. */
export interface Replacement {
  readonly kind: A.RegistryKind;
  readonly name: string;
  readonly span: Span;
}

export interface ExtendedStdlib extends Stdlib {
  /** The extension's files in load order (absolute paths). */
  readonly extensionFiles: readonly string[];
  readonly replaced: readonly Replacement[];
}

export const EXTENSION_DIR = ".lavisc";

/** The extension files that apply to `file`: `--stdlib-ext`, else the `.lv` files of the nearest `.lavisc/` up the tree. */
export function extensionFilesFor(file: string, reader: ExtensionReader): string[] {
  if (reader.stdlibExt) {
    const p = resolvePath(reader.stdlibExt);
    return lvFilesIn(p, reader) ?? [p];
  }
  return [...nearestExtension(dirname(resolvePath(file)), reader)];
}

/** The `.lv` files of the nearest `.lavisc/` at or above `dir` (a folder check asks this for every file). */
function nearestExtension(dir: string, reader: ExtensionReader): readonly string[] {
  if (reader.remembered) return reader.remembered(`extension files for ${dir}`, () => searchUpFrom(dir, reader));
  return searchUpFrom(dir, reader);
}

function searchUpFrom(dir: string, reader: ExtensionReader): readonly string[] {
  const found = lvFilesIn(join(dir, EXTENSION_DIR), reader);
  if (found?.length) return found;
  const up = dirname(dir);
  return up === dir ? [] : nearestExtension(up, reader);
}

/** The `.lv` files of a folder, sorted; null when `dir` is not a folder the reader can list (or has no registry.lv). */
function lvFilesIn(dir: string, reader: ExtensionReader): string[] | null {
  if (reader.listDir) {
    // Nearly every folder a check searches has no `.lavisc/`: asking costs less than the failed listing's exception.
    if (reader.isDirectory && !reader.isDirectory(dir)) return null;
    try {
      return reader.listDir(dir).filter((n) => n.endsWith(".lv")).sort().map((n) => join(dir, n));
    } catch {
      return null;
    }
  }
  const reg = join(dir, "registry.lv");
  return reader.exists(reg) ? [reg] : null;
}

const cache = new WeakMap<Stdlib, Map<string, ExtendedStdlib>>();

/** The stdlib as the files under an extension see it; the same extension text is parsed and bound once per process. */
export function extendStdlib(std: Stdlib, paths: readonly string[], reader: ExtensionReader): ExtendedStdlib {
  const texts = paths.map((p) => {
    try {
      return { path: p, text: reader.readFile(p), error: null };
    } catch (e) {
      return { path: p, text: "", error: (e as Error).message };
    }
  });
  const key = texts.map((t) => `${t.path}\0${t.text}`).join("\0\0");
  let perStdlib = cache.get(std);
  if (!perStdlib) cache.set(std, (perStdlib = new Map()));
  const hit = perStdlib.get(key);
  if (hit) return hit;
  const diagnostics: Diagnostic[] = [];
  const files: A.File[] = [];
  const sources: SourceFile[] = [];
  for (const t of texts) {
    if (t.error !== null) {
      diagnostics.push(diag("LV1011", null, { detail: `${t.path}: ${t.error}` }));
      continue;
    }
    sources.push(new SourceFile(t.path, t.text));
    const r = parse(t.text, t.path);
    diagnostics.push(...r.diagnostics);
    files.push(r.ast);
  }
  const replaced = replacedEntries(std.registry, files);
  const registry: Registry = buildRegistry(files, std.registry, { replaceBaseEntries: true });
  diagnostics.push(...registry.diagnostics);
  const out: ExtendedStdlib = {
    sources: [...std.sources, ...sources],
    registry,
    diagnostics: [...std.diagnostics, ...diagnostics],
    extensionFiles: [...paths],
    replaced,
  };
  perStdlib.set(key, out);
  return out;
}

/** The stdlib's registry entries the extension declares again (each replaced by the extension's declaration). */
function replacedEntries(std: Registry, ext: readonly A.File[]): Replacement[] {
  const replaced = new Map<string, Replacement>();
  for (const f of ext) {
    for (const d of f.declarations) {
      if (d.kind === "RegistryDecl" && std.entries[d.registry].has(d.name.name)) {
        replaced.set(`${d.registry} ${d.name.name}`, { kind: d.registry, name: d.name.name, span: d.name.span });
      }
    }
  }
  return [...replaced.values()];
}
