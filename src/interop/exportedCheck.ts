import { readerWithText } from "../project/readerWithText.js";
import { basename, dirname, join } from "node:path";
import type { Host } from "../cli/host.js";
import { checkFile, type FileReader, type Resolved } from "../index.js";
import { codeDefaultDifferences } from "../semantic/facts.js";
import { SourceSet, renderDiagnostics, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";

// The YAML that `export` and `run --engine lavis` hand LAVIS writes every value out, the defaults included. A LAVIS
// YAML source already has LAVIS's code fallback for each key it leaves out (semantic/codeFallbacks.ts), but for a key
// whose fallback no written value means (RunnerBase trains on `train` without `train_splits`; VQA looks up `val` for
// its answers without `valid_splits`), where it has lavisc's documented default (LV4019 names each such key); a `.lv`
// has the documented defaults. So the exported text is checked as LAVIS would get it, and an error there stops the
// command before LAVIS starts a run that fails (the export's `valid_splits: []` leaves VQA's ranking without
// answers). Unknown keys are left out of that check: the export's only keys the source did not judge come from
// LAVIS's own default configs, which LAVIS's code ignores.

/** What the exported file's own check reports as errors. */
export interface ExportedFindings {
  readonly errors: readonly Diagnostic[];
  readonly sources: SourceSet;
}

/** Checks `text`, the export of `source`, as a LAVIS YAML file beside it (read from memory, never written). */
export function checkExported(text: string, source: string, reader: FileReader): ExportedFindings {
  const path = join(dirname(source), `${basename(source).replace(/\.(lv|ya?ml)$/i, "")}.exported.yaml`);
  const r = checkFile(path, readerWithText(reader, path, text));
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  return { errors: r.diagnostics.filter((d) => d.severity === "error" && d.code !== "LV2001"), sources };
}

/**
 * Prints the exported file's errors and what to do, for a command that stops because of them. The usual cause: keys
 * the source (resolved as `source`) leaves to a documented default that LAVIS's code does not share (LV4019).
 */
export function reportExportedErrors(host: Host, file: string, found: ExportedFindings, source: Resolved): void {
  const relied = codeDefaultDifferences(source).filter((d) => d.taken === "documented").map((d) => d.path.join("."));
  host.stderr(renderDiagnostics(sortDiagnostics([...found.errors]), found.sources, { color: host.color, cwd: host.cwd }));
  const cause = relied.length
    ? ` It writes lavisc's documented default for ${relied.map((k) => `\`${k}\``).join(", ")}, which ${file} leaves out and LAVIS's code would not use (warning LV4019): write the value you mean in ${file}${/\.ya?ml$/i.test(file) ? ` (\`lavisc migrate ${file}\` writes LAVIS's values for them into a .lv)` : ""}.`
    : ` It writes lavisc's documented default for every key ${file} leaves out, where LAVIS's code may read an absent key its own way (a VQA task looks up \`valid_splits\` as ["val"] for its answer list): write the value you mean in ${file}.`;
  host.stderr(`The LAVIS YAML written from ${file} (every value explicit) has errors that LAVIS would stop on.${cause}\n`);
}
