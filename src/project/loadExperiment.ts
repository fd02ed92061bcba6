import { basename, extname, resolve as resolvePath } from "node:path";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import { SourceFile, diag, type Diagnostic } from "../diagnostics/index.js";
import type { Registry } from "../semantic/registry.js";
import { readYaml } from "../semantic/fromYaml.js";
import { fileRole } from "../semantic/fileRole.js";
import type { ExperimentInput } from "../semantic/resolve.js";
import { loadStdlib, layerOnStdlib, type Stdlib } from "./stdlib.js";
import { extendStdlib, extensionFilesFor, type ExtensionReader, type Replacement } from "./stdlibExtension.js";
import { ModuleSet } from "./moduleSet.js";
import { chainLink, layerExtends } from "./extendsChain.js";

// Reads one experiment file (`.lv` or LAVIS YAML) with everything it imports and extends. The only stage that touches
// the file system, through the given reader.

export interface FileReader extends ExtensionReader {
  readFile(path: string): string;
  exists(path: string): boolean;
  /**
   * The environment of the command (a Host's `env`): the checks that count local annotation files find them under its
   * $LAVISC_DATA and $LAVISC_CACHE. Absent (a reader that is not a host): the process's.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The environment the checks of a file read with `reader` count local annotation files under (FileReader.env). */
export function readerEnv(reader: FileReader): NodeJS.ProcessEnv {
  return reader.env ?? process.env;
}

export interface LoadedExperiment {
  readonly input: ExperimentInput | null;
  readonly registry: Registry;
  readonly sources: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** The parsed `.lv` file (null for YAML), for tools that need the AST (fmt, migrate). */
  readonly ast: A.File | null;
  /** The stdlib extension the file was checked with (a fork's `.lavisc/`), or null. */
  readonly extension: { readonly files: readonly string[]; readonly replaced: readonly Replacement[] } | null;
}

export function loadExperiment(path: string, reader: FileReader): LoadedExperiment {
  const { std, extension } = stdlibFor(path, reader);
  const sources: SourceFile[] = [...std.sources];
  const diagnostics: Diagnostic[] = [...std.diagnostics];
  let text: string;
  try {
    text = reader.readFile(path);
  } catch (e) {
    // A name that is not UTF-8 reaches lavisc with U+FFFD in it, and no file has that name.
    const why = path.includes("\ufffd") && (e as NodeJS.ErrnoException).code === "ENOENT"
      ? "its name is not UTF-8 text, so it cannot be opened by the name lavisc was given; rename the file"
      : (e as Error).message.replace(/^ENOENT: /, "");
    diagnostics.push(diag("LV1011", null, { detail: `${path}: ${why}` }));
    return { input: null, registry: std.registry, sources, diagnostics, ast: null, extension };
  }
  sources.push(new SourceFile(path, text));
  const ext = extname(path).toLowerCase();

  if (ext === ".yaml" || ext === ".yml") {
    const y = readYaml(text, path);
    diagnostics.push(...y.diagnostics);
    const input = y.root ? { file: path, format: "yaml" as const, root: y.root, constraints: [], role: fileRole(y.root), reader } : null;
    return { input, registry: std.registry, sources, diagnostics, ast: null, extension };
  }
  if (ext !== ".lv") {
    diagnostics.push(diag("LV1012", { file: path, start: 0, end: 0 }, { ext: ext || "(none)" }));
    return { input: null, registry: std.registry, sources, diagnostics, ast: null, extension };
  }

  const parsed = parse(text, path);
  // An extension file checked on its own is the extension (already bound above), not a module declaring it again.
  if (extension?.files.includes(resolvePath(path))) return { input: null, registry: std.registry, sources: sources.filter((s, i) => sources.findIndex((x) => x.path === s.path) === i), diagnostics, ast: parsed.ast, extension };
  diagnostics.push(...parsed.diagnostics);
  const isEmpty = !parsed.ast.imports.length && !parsed.ast.declarations.length && !parsed.diagnostics.some((d) => d.severity === "error");
  if (isEmpty) diagnostics.push(diag("LV2032", { file: path, start: 0, end: 0 }, { file: basename(path) }));
  // Imports bring declarations (schemas, archs, builders, ...) into the registry; extends layers a base experiment
  // (and a file extended by path comes in as an import of it would).
  const modules = new ModuleSet(parsed.ast, path, reader, sources, diagnostics);
  modules.importAll();

  const experiments = parsed.ast.declarations.filter((d): d is A.ExperimentDecl => d.kind === "ExperimentDecl");
  // A module without an experiment is fine to check on its own; two experiments in one file are ambiguous.
  if (experiments.length > 1) diagnostics.push(diag("LV2019", experiments[1]!.name.span, { count: experiments.length }));
  const decl = experiments.length === 1 ? experiments[0]! : null;
  const root = decl ? layerExtends(decl, parsed.ast, modules, reader, diagnostics, [chainLink(parsed.ast, decl)]) : null;

  // The user's own declarations (in imported and extended modules and in the file) are layered on the stdlib.
  const userFiles = modules.modules.length || parsed.ast.declarations.some((d) => d.kind !== "ExperimentDecl") ? [...modules.modules, parsed.ast] : [];
  const layered = layerOnStdlib(std, userFiles);
  diagnostics.push(...layered.diagnostics);
  const registry = layered.registry;
  if (!root) return { input: null, registry, sources, diagnostics, ast: parsed.ast, extension };
  // One root cause, one error: when a module or a base experiment did not load, what seems missing may be in it.
  const incomplete = modules.failed || root.incomplete;
  return { input: { file: path, format: "lv", root: root.root, constraints: root.constraints, sweep: root.sweep, reader, ...(incomplete ? { incomplete } : {}) }, registry, sources, diagnostics, ast: parsed.ast, extension };
}

/** The stdlib, with the stdlib extension that applies to `path` (a fork's `.lavisc/`, or `--stdlib-ext`) layered over it. */
function stdlibFor(path: string, reader: FileReader): { std: Stdlib; extension: LoadedExperiment["extension"] } {
  const base = loadStdlib();
  const files = extensionFilesFor(path, reader);
  if (!files.length) return { std: base, extension: null };
  const ext = extendStdlib(base, files, reader);
  return { std: ext, extension: { files: ext.extensionFiles, replaced: ext.replaced } };
}
