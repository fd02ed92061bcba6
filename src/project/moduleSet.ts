import { basename, dirname, extname, join, relative, resolve as resolvePath } from "node:path";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import { SourceFile, diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import type { FileReader } from "./loadExperiment.js";
import { stdlibDir } from "./paths.js";

// The `.lv` files an experiment reads besides its own: the modules it imports (and they import) and the files it
// extends by path. A file extended by path is brought in as an import of it would be, with its own imports, so that
// its declarations (and what it imports) are there for the experiment that extends it. Each file is read once.

/** The longest chain of imports followed, one module importing the next. */
const MAX_IMPORT_DEPTH = 64;

export class ModuleSet {
  /** The modules read, in the order their declarations are layered on the stdlib. */
  readonly modules: A.File[] = [];
  /** Whether a module could not be found or read: a name that seems missing may be in it. */
  failed = false;
  private readonly byPath = new Map<string, A.File>();
  /** Modules that could not be read, reported once (at the first import that names them). */
  private readonly unreadable = new Set<string>();
  /** The files being imported, outermost first: an import of one of them closes a cycle. */
  private readonly importing: string[];

  constructor(
    private readonly root: A.File, private readonly rootPath: string, private readonly reader: FileReader,
    private readonly sources: SourceFile[], private readonly diagnostics: Diagnostic[],
  ) {
    this.byPath.set(resolvePath(rootPath), root);
    this.importing = [resolvePath(rootPath)];
  }

  /** Follows the root file's imports. */
  importAll(): void {
    for (const imp of this.root.imports) this.importFile(imp, this.rootPath);
  }

  /** The file an `import` of `from` names, once read (null where it was not found or could not be read). */
  imported(imp: A.Import, from: string): A.File | null {
    const target = resolveModule(imp.path.value, from, this.reader);
    return target ? this.byPath.get(target) ?? null : null;
  }

  /**
   * The file `extends "path"` names (`target`, resolved), read where `namedAt` names it and brought in as if the root
   * file imported it: its declarations are layered and its imports followed. Null where it cannot be read.
   */
  extended(target: string, namedAt: Span): A.File | null {
    const known = this.byPath.get(target);
    if (known) return known;
    const file = readLv(target, this.reader, this.sources, this.diagnostics, namedAt);
    if (!file) return null;
    this.byPath.set(target, file);
    this.modules.push(file);
    this.importing.push(target);
    for (const i of file.imports) this.importFile(i, target);
    this.importing.pop();
    return file;
  }

  /** A path as the root file's folder sees it, for messages. */
  show(p: string): string {
    return relative(dirname(resolvePath(this.rootPath)), p) || basename(p);
  }

  private importFile(imp: A.Import, from: string): void {
    const target = resolveModule(imp.path.value, from, this.reader);
    if (!target) {
      this.failed = true;
      this.diagnostics.push(diag("LV2013", imp.path.span, { name: imp.path.value }, { hint: "Imports are paths relative to the importing file (\"./common.lv\") or stdlib modules (\"stdlib/recipe\")." }));
      return;
    }
    const open = this.importing.indexOf(target);
    if (open >= 0) {
      this.diagnostics.push(diag("LV2034", imp.path.span, { chain: [...this.importing.slice(open), target].map((p) => this.show(p)).join(" → ") }));
      return;
    }
    if (this.byPath.has(target) || this.unreadable.has(target)) return;
    if (this.importing.length >= MAX_IMPORT_DEPTH) {
      // Each link is a level of recursion; a chain this long is generated, not written.
      this.failed = true;
      const [first, second] = this.importing;
      this.diagnostics.push(diag("LV2047", imp.path.span, { max: MAX_IMPORT_DEPTH, chain: `${this.show(first!)} → ${this.show(second!)} → … → ${this.show(target)}` }));
      return;
    }
    const mod = readLv(target, this.reader, this.sources, this.diagnostics, imp.path.span);
    if (!mod) {
      this.failed = true;
      this.unreadable.add(target);
      return;
    }
    this.byPath.set(target, mod);
    this.modules.push(mod);
    this.importing.push(target);
    for (const i of mod.imports) this.importFile(i, target);
    this.importing.pop();
  }
}

/** The file an `import` names: relative to the importing file, or a stdlib module (`"stdlib/recipe"`). */
export function resolveModule(spec: string, from: string, reader: FileReader): string | null {
  const candidates = spec.startsWith("stdlib/")
    ? [join(stdlibDir(), spec.slice("stdlib/".length))]
    : [resolvePath(dirname(from), spec)];
  for (const c of candidates) for (const p of [c, `${c}.lv`]) if (reader.exists(p) && extname(p) === ".lv") return p;
  return null;
}

/** A module or base experiment, read where `namedAt` (the string of its `import` or `extends`) names it. */
function readLv(path: string, reader: FileReader, sources: SourceFile[], diagnostics: Diagnostic[], namedAt: Span): A.File | null {
  let text: string;
  try {
    text = reader.readFile(path);
  } catch (e) {
    diagnostics.push(diag("LV1011", namedAt, { detail: `${path}: ${(e as Error).message}` }));
    return null;
  }
  sources.push(new SourceFile(path, text));
  const r = parse(text, path);
  diagnostics.push(...r.diagnostics);
  return r.ast;
}
