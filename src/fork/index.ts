// Entry point of the fork stage: a LAVIS-family repository in, its stdlib extension out. `scanRepository(dir)` reads
// the repository statically (Python registrations, default files, the keys its files use) and returns the text of
// `DIR/.lavisc/registry.lv`, the model behind it and what it noticed (diagnostics with spans in the Python and YAML).
import { join } from "node:path";
import { SourceFile, type Diagnostic } from "../diagnostics/index.js";
import type { Registry } from "../semantic/registry.js";
import { readRepository, type RepositoryReader } from "./repositoryFiles.js";
import { findRegistrations } from "./registrations.js";
import { buildExtensionModel, KIND_WORDS, type ExtensionModel } from "./extensionModel.js";
import { extensionText, type Provenance } from "./extensionText.js";
import { gitInfo } from "./gitInfo.js";
import { diag } from "../diagnostics/index.js";

export type { RepositoryReader } from "./repositoryFiles.js";

export interface ScanResult {
  readonly text: string;
  readonly path: string;
  readonly model: ExtensionModel;
  readonly provenance: Provenance;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
  readonly counts: { readonly pythonFiles: number; readonly yamlFiles: number; readonly registrations: number };
  /** Folders or files the scan could not read (reported as LV1011): the extension would miss what they register. */
  readonly unreadable: number;
}

export interface ScanOptions {
  readonly repository?: string;
  readonly commit?: string;
}

export const EXTENSION_FILE = join(".lavisc", "registry.lv");

export function scanRepository(dir: string, reader: RepositoryReader, std: Registry, opts: ScanOptions = {}): ScanResult {
  const files = readRepository(dir, reader);
  const { registrations, unevaluated } = findRegistrations(files.modules);
  const diagnostics: Diagnostic[] = [];
  // A YAML file the scan could not read as UTF-8 (LAVIS cannot load it either); other YAML problems are `check`'s.
  for (const y of files.yaml) diagnostics.push(...y.diagnostics.filter((d) => d.code === "LV1011"));
  diagnostics.push(...files.unreadable);
  for (const u of unevaluated) {
    diagnostics.push(diag("LV2030", { file: files.modulePaths.get(u.file) ?? join(dir, u.file), start: u.start, end: u.end }, { what: u.what, text: u.text }));
  }
  const model = buildExtensionModel(dir, files, registrations, std, diagnostics);
  for (const r of model.redefined) {
    const reg = registrations.find((x) => x.kind === r.kind && x.name === r.name)!;
    diagnostics.push(diag("LV2027", { file: files.modulePaths.get(reg.file) ?? join(dir, reg.file), start: reg.start, end: reg.end }, { kind: KIND_WORDS[r.kind], name: r.name }));
  }
  const git = gitInfo(dir, reader);
  const provenance = { repository: opts.repository ?? git.repository, commit: opts.commit ?? git.commit };
  const path = join(dir, EXTENSION_FILE);
  return {
    text: extensionText(model, provenance, path),
    path,
    model,
    provenance,
    diagnostics,
    sources: [...files.sources].map(([p, t]) => new SourceFile(p, t)),
    counts: { pythonFiles: files.modules.length, yamlFiles: files.yaml.length, registrations: registrations.length },
    unreadable: files.unreadable.length,
  };
}
