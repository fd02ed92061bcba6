import { extname } from "node:path";
import { checkFile, type CheckResult, type FileReader } from "../index.js";
import { SourceSet, sortDiagnostics, dedupeDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { resolveExperiment, type Resolved } from "../semantic/resolve.js";
import type { Registry } from "../semantic/registry.js";
import type { CMap } from "../semantic/configTree.js";
import { readYaml } from "../semantic/fromYaml.js";
import { fileRole } from "../semantic/fileRole.js";
import type * as A from "../syntax/ast.js";
import { lookedUpAnnotations } from "../compiler/annotationStatsCache.js";
import { recordingReader } from "./recordingReader.js";

// One analysis of an open document: what `lavisc check` reports for it, plus what the editor features read (the file
// layer with spans, the resolved experiment even when the file has syntax errors, the registry, the `.lv` AST).

export interface Analysis {
  readonly path: string;
  readonly text: string;
  readonly format: "lv" | "yaml";
  /**
   * Exactly `lavisc check`'s diagnostics for this file (deduplicated and sorted as the CLI prints them), once the
   * split sizes it reads are counted: before, without the checks that need them (splitCounting.ts).
   */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceSet;
  readonly registry: Registry;
  /** The file's own layer ({model, datasets, run}), whose nodes carry spans in this file. */
  readonly fileLayer: CMap | null;
  /** The resolved experiment; computed despite syntax errors, so hover and completion keep working while typing. */
  readonly resolved: Resolved | null;
  readonly ast: A.File | null;
  /**
   * Paths the analysis asked about besides the stdlib and the file itself: files read (imports, extends targets, a
   * `.lavisc/` extension), files and folders looked for and missing (a base not written yet) and folders listed, so a
   * dependent is checked again when one of them changes, appears or goes. The annotation files below are among them.
   */
  readonly dependencies: readonly string[];
  /**
   * The local annotation files whose records the split-size checks counted or looked for (missing ones too): the
   * server asks the client to watch them, as the check reads them from the disk, never from the editor.
   */
  readonly annotationFiles: readonly string[];
  readonly check: CheckResult;
}

/** A LAVIS section's name anywhere: text without one is no LAVIS YAML, and is not parsed to find out. */
const SECTION_NAME = /\b(?:model|datasets|run|preprocess|env)\b/;
/** A LAVIS section's name as a top-level key in text (after a BOM, `---`, `{` or `?`; quoted or not). */
const SECTION_KEY = /^\uFEFF?(?:---[ \t]*)?[{?]?\s*["']?(?:model|datasets|run|preprocess|env)["']?\s*:/m;

/**
 * LAVIS YAML as `lavisc check` decides it: the parsed top-level keys include a LAVIS section (fileRole is not
 * "not-lavis"), however they are written (quoted, flow style, `? key`). Other YAML in the workspace is left alone, and
 * so is an empty file; YAML that does not parse (mid-edit) counts when a section's name stands as a top-level key.
 */
export function isLavisYaml(text: string): boolean {
  if (!SECTION_NAME.test(text)) return false;
  const { root } = readYaml(text, "document.yaml");
  return root ? root.entries.size > 0 && fileRole(root) !== "not-lavis" : SECTION_KEY.test(text);
}

export function analyze(path: string, reader: FileReader): Analysis {
  const recording = recordingReader(reader);
  const { result: check, paths: annotationFiles } = lookedUpAnnotations(() => checkFile(path, recording.reader));
  const sources = new SourceSet();
  for (const s of check.sources) sources.add(s);
  const loaded = check.loaded;
  let resolved = check.resolved;
  if (!resolved && loaded.input) {
    try {
      resolved = resolveExperiment(loaded.input, loaded.registry);
    } catch {
      resolved = null; // a file broken enough to confuse the resolver still gets its diagnostics
    }
  }
  const text = sources.get(path)?.text ?? "";
  const format = /\.ya?ml$/i.test(extname(path)) ? "yaml" : "lv";
  const asked = new Set([...recording.asked, ...check.sources.map((s) => s.path), ...annotationFiles]);
  const dependencies = [...asked].filter((p) => p !== path && !p.startsWith("stdlib/"));
  return {
    path, text, format,
    diagnostics: sortDiagnostics(dedupeDiagnostics(check.diagnostics)),
    sources, registry: loaded.registry, fileLayer: loaded.input?.root ?? null, resolved, ast: loaded.ast, dependencies, annotationFiles, check,
  };
}
