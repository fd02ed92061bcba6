import { resolve, relative } from "node:path";
import type { Host } from "../cli/host.js";
import { ExitCode } from "../cli/exitCodes.js";
import { UsageError } from "../cli/main.js";
import { sameFile } from "../cli/overwriteGuard.js";
import { SourceSet, countBySeverity, renderDiagnostics, sortDiagnostics } from "../diagnostics/index.js";
import { lvPathFor, migrateFile } from "./migrateFile.js";

export interface MigrateCommandOptions {
  readonly output?: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly minimal?: boolean;
}

/**
 * `lavisc migrate`: one file prints its `.lv` (or writes it with -o); --write writes X.lv beside each X.yaml and prints
 * a summary line per file. Diagnostics go to stderr; a file with errors is still translated (and says so), but the
 * command exits 1; a YAML that does not parse is refused (exit 1). Inputs are never written.
 */
export async function migrateCommand(host: Host, files: readonly string[], o: MigrateCommandOptions): Promise<number> {
  if (o.output && o.write) throw new UsageError("-o and --write cannot be used together");
  if (o.output && files.length > 1) throw new UsageError("-o takes one input file; use --write for several");
  if (!o.output && !o.write && files.length > 1) throw new UsageError("migrating several files needs --write");
  if (o.force && !o.write && !o.output) throw new UsageError("--force only applies to --write or -o");
  const show = (p: string) => relative(host.cwd, p) || p;
  let refused = 0, withErrors = 0, withWarnings = 0, written = 0;
  const summary: string[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const path = resolve(host.cwd, f);
    if (!/\.ya?ml$/i.test(path)) throw new UsageError(`${f} is not a YAML file`);
    const out = o.output ? resolve(host.cwd, o.output) : lvPathFor(path);
    if (sameFile(host, out, path)) throw new UsageError(`refusing to overwrite the input ${f}`);
    if (o.output && !out.endsWith(".lv")) throw new UsageError(`-o ${o.output}: migrate writes .lv text, so the output's name ends in .lv`);
    if ((o.write || o.output) && !o.force && host.exists(out)) {
      host.stderr(`error: ${show(out)} already exists; use --force to overwrite it\n`);
      summary.push(`${f} → ${show(out)}: not written (exists)`);
      refused++;
      continue;
    }
    const r = migrateFile(path, host, { minimal: !!o.minimal }, out);
    const sources = new SourceSet();
    for (const s of r.sources) sources.add(s);
    if (r.diagnostics.length) host.stderr(renderDiagnostics(sortDiagnostics(r.diagnostics), sources, { color: host.color, cwd: host.cwd }));
    if (r.lv === null) {
      host.stderr(`${f} was not migrated: it is not valid YAML.\n`);
      summary.push(`${f}: not migrated (YAML error)`);
      refused++;
      continue;
    }
    const { errors, warnings } = countBySeverity(r.diagnostics);
    if (errors) withErrors++;
    else if (warnings) withWarnings++;
    if (o.output || o.write) {
      host.writeFileAtomic(out, r.lv);
      written++;
    } else {
      host.stdout(r.lv);
      if (errors) host.stderr(`${f} has ${errors} error${errors === 1 ? "" : "s"}; its translation was printed anyway.\n`);
    }
    const status = errors ? `${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}` : warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : "ok";
    const pinned = r.pinned.length ? `; LAVIS's own value written for ${r.pinned.map((k) => `\`${k}\``).join(", ")}, which the YAML leaves out` : "";
    const dropped = r.droppedIgnores.length ? `; \`lavisc: ignore\` left out for ${r.droppedIgnores.join(", ")}, which the .lv does not warn about` : "";
    if (dropped) notes.push(`note: ${f}${dropped}\n`);
    summary.push(`${f} → ${o.output || o.write ? show(out) : "stdout"}: ${status}${errors && (o.output || o.write) ? " (written anyway)" : ""}${pinned}${dropped}`);
  }
  if (o.write) {
    host.stdout(summary.map((l) => `${l}\n`).join(""));
    host.stdout(`${written} of ${files.length} file${files.length === 1 ? "" : "s"} migrated${refused ? `, ${refused} not migrated` : ""}; ${withErrors} with errors, ${withWarnings} with warnings only\n`);
  } else if (o.output) host.stderr(`${summary[0]}\n`);
  // Printed to stdout: the summary is not shown, but a comment left out of the .lv is never left out in silence.
  else for (const n of notes) host.stderr(n);
  return refused || withErrors ? ExitCode.Diagnostics : ExitCode.Ok;
}
