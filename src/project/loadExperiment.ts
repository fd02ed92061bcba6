import { basename, dirname, extname, relative, resolve as resolvePath, join } from "node:path";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import { SourceFile, diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import type { Registry } from "../semantic/registry.js";
import { lowerExperiment } from "../semantic/fromLv.js";
import { readYaml } from "../semantic/fromYaml.js";
import { merge, type CMap } from "../semantic/configTree.js";
import { fileRole } from "../semantic/fileRole.js";
import type { ExperimentInput } from "../semantic/resolve.js";
import { loadStdlib, layerOnStdlib, type Stdlib } from "./stdlib.js";
import { extendStdlib, extensionFilesFor, type ExtensionReader, type Replacement } from "./stdlibExtension.js";
import { stdlibDir } from "./paths.js";

// Reads one experiment file (`.lv` or LAVIS YAML) with everything it imports and extends. The only stage that touches
// the file system, through the given reader.

export interface FileReader extends ExtensionReader {
  readFile(path: string): string;
  exists(path: string): boolean;
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
  // Imports bring declarations (schemas, archs, builders, ...) into the registry; extends layers a base experiment.
  const modules: A.File[] = [];
  const seen = new Set<string>([resolvePath(path)]);
  let importFailed = false;
  const show = (p: string) => relative(dirname(resolvePath(path)), p) || basename(p);
  // The files being imported, outermost first: an import of one of them closes a cycle.
  const importing: string[] = [resolvePath(path)];
  const importFile = (imp: A.Import, from: string) => {
    const target = resolveModule(imp.path.value, from, reader);
    if (!target) {
      importFailed = true;
      diagnostics.push(diag("LV2013", imp.path.span, { name: imp.path.value }, { hint: "Imports are paths relative to the importing file (\"./common.lv\") or stdlib modules (\"stdlib/recipe\")." }));
      return;
    }
    const open = importing.indexOf(target);
    if (open >= 0) {
      diagnostics.push(diag("LV2034", imp.path.span, { chain: [...importing.slice(open), target].map(show).join(" → ") }));
      return;
    }
    if (seen.has(target)) return;
    if (importing.length >= MAX_IMPORT_DEPTH) {
      // Each link is a level of recursion; a chain this long is generated, not written.
      importFailed = true;
      diagnostics.push(diag("LV2047", imp.path.span, { max: MAX_IMPORT_DEPTH, chain: `${show(importing[0]!)} → ${show(importing[1]!)} → … → ${show(target)}` }));
      return;
    }
    seen.add(target);
    const mod = readLv(target, reader, sources, diagnostics, imp.path.span);
    if (!mod) {
      importFailed = true;
      return;
    }
    modules.push(mod);
    importing.push(target);
    for (const i of mod.imports) importFile(i, target);
    importing.pop();
  };
  for (const imp of parsed.ast.imports) importFile(imp, path);

  // The user's own declarations (in imported modules and in the file) are layered on the stdlib.
  const userFiles = modules.length || parsed.ast.declarations.some((d) => d.kind !== "ExperimentDecl") ? [...modules, parsed.ast] : [];
  const layered = layerOnStdlib(std, userFiles);
  diagnostics.push(...layered.diagnostics);
  const registry = layered.registry;

  const experiments = parsed.ast.declarations.filter((d): d is A.ExperimentDecl => d.kind === "ExperimentDecl");
  if (experiments.length !== 1) {
    // A module without an experiment is fine to check on its own; two experiments in one file are ambiguous.
    if (experiments.length > 1) diagnostics.push(diag("LV2019", experiments[1]!.name.span, { count: experiments.length }));
    return { input: null, registry, sources, diagnostics, ast: parsed.ast, extension };
  }
  const decl = experiments[0]!;
  const root = layerExtends(decl, path, parsed.ast, modules, reader, sources, diagnostics, [{ key: extendsKey(path, decl), name: decl.name.name, file: basename(path) }], importFailed);
  // One root cause, one error: when a module or a base experiment did not load, what seems missing may be in it.
  const incomplete = importFailed || root.incomplete;
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

/** The experiment's file layer over the layers of what it extends (a base's values are overridden key by key). */
/** An experiment in an `extends` chain: where it is declared and its name. */
interface ChainLink {
  readonly key: string;
  readonly name: string;
  readonly file: string;
}

/** `a → b → a`, with each experiment's file when the chain goes through several files. */
function chainText(links: readonly ChainLink[]): string {
  const oneFile = links.every((l) => l.file === links[0]!.file);
  return links.map((l) => (oneFile ? l.name : `${l.name} (${l.file})`)).join(" → ");
}

/** The longest chain of imports followed, one module importing the next. */
const MAX_IMPORT_DEPTH = 64;

/** The longest `extends` chain followed (each link is a level of recursion; LAVIS experiments need a handful). */
const MAX_EXTENDS = 64;

const extendsKey = (path: string, decl: A.ExperimentDecl) => `${resolvePath(path)}#${decl.name.name}`;

function layerExtends(
  decl: A.ExperimentDecl, path: string, file: A.File, modules: readonly A.File[], reader: FileReader,
  sources: SourceFile[], diagnostics: Diagnostic[], chain: readonly ChainLink[], importFailed: boolean,
): { root: CMap; constraints: A.Constraint[]; sweep: A.SweepClause | null; incomplete: boolean } {
  const own = { ...lowerExperiment(decl, diagnostics), incomplete: false };
  const ext = decl.extends;
  if (!ext) return own;
  const failed = { ...own, incomplete: true };
  let base: { decl: A.ExperimentDecl; path: string; file: A.File } | null = null;
  let span: Span;
  if (Array.isArray(ext)) {
    const name = ext.map((i) => i.name).join(".");
    span = { file: path, start: ext[0]!.span.start, end: ext.at(-1)!.span.end };
    for (const f of [file, ...modules]) {
      const d = f.declarations.find((x): x is A.ExperimentDecl => x.kind === "ExperimentDecl" && x.name.name === name && x !== decl);
      if (d) { base = { decl: d, path: f.path, file: f }; break; }
    }
    // `experiment a extends a`: the shortest cycle.
    if (!base && name === decl.name.name) base = { decl, path, file };
  } else {
    span = ext.span;
    const target = resolvePath(dirname(path), ext.value);
    // A folder (`extends "."`, `extends ""`) holds no experiment: it is not found, as a missing file.
    if (reader.exists(target) && !reader.isDirectory?.(target)) {
      const f = readLv(target, reader, sources, diagnostics, span);
      // A base that cannot be read has its error (LV1011) at the string that names it.
      if (!f) return failed;
      const d = f.declarations.find((x): x is A.ExperimentDecl => x.kind === "ExperimentDecl");
      if (d) base = { decl: d, path: target, file: f };
      // A base file with syntax errors has been reported; its experiment is not layered.
      if (diagnostics.some((x) => x.severity === "error" && x.span?.file === target)) return failed;
    } else if (/\.ya?ml$/i.test(target)) {
      diagnostics.push(diag("LV2014", span, { name: ext.value }, { hint: "A YAML file can be extended after `lavisc migrate` turns it into `.lv`." }));
      return failed;
    }
  }
  if (!base) {
    // A base named after a module that failed to import is that module's error, not a second one.
    if (Array.isArray(ext) && importFailed) return failed;
    diagnostics.push(diag("LV2014", span, { name: Array.isArray(ext) ? ext.map((i) => i.name).join(".") : ext.value }));
    return failed;
  }
  const link: ChainLink = { key: extendsKey(base.path, base.decl), name: base.decl.name.name, file: basename(base.path) };
  const open = chain.findIndex((c) => c.key === link.key);
  if (open >= 0) {
    diagnostics.push(diag("LV2035", span, { chain: chainText([...chain.slice(open), link]) }));
    return failed;
  }
  if (chain.length >= MAX_EXTENDS) {
    const [first, second, last] = chainText([chain[0]!, chain[1]!, link]).split(" → ");
    diagnostics.push(diag("LV2037", span, { max: MAX_EXTENDS, chain: `${first} → ${second} → … → ${last}` }));
    return failed;
  }
  const parent = layerExtends(base.decl, base.path, base.file, modules, reader, sources, diagnostics, [...chain, link], importFailed);
  // A sweep of the extending file replaces the base's whole sweep.
  return { root: merge(parent.root, own.root) as CMap, constraints: [...parent.constraints, ...own.constraints], sweep: own.sweep ?? parent.sweep, incomplete: parent.incomplete };
}
