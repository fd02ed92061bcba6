import { basename, resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
import { parse } from "../../syntax/index.js";
import { format } from "../../format/index.js";
import { SourceSet, SourceFile, diag, renderDiagnostics, sortDiagnostics } from "../../diagnostics/index.js";
import { UsageError } from "../main.js";

export interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
}

/**
 * `lavisc fmt`: prints the canonical layout (one file), checks it (`--check`), or rewrites files atomically (`--write`).
 * A file with syntax errors is never touched: its errors are printed instead.
 */
export async function fmtCommand(host: Host, files: readonly string[], o: FmtOptions): Promise<number> {
  if (o.check && o.write) throw new UsageError("--check and --write cannot be used together");
  if (!o.check && !o.write && files.length > 1) throw new UsageError("formatting several files needs --write or --check");
  let status: number = ExitCode.Ok;
  const unformatted: string[] = [];
  for (const f of files) {
    const path = resolve(host.cwd, f);
    let text: string;
    try {
      text = host.readFile(path);
    } catch (e) {
      host.stderr(`error: cannot read ${f}: ${(e as Error).message}\n`);
      status = ExitCode.Diagnostics;
      continue;
    }
    if (!path.endsWith(".lv")) throw new UsageError(`${f} is not a .lv file (use \`lavisc migrate\` for LAVIS YAML)`);
    const parsed = parse(text, path);
    const errors = parsed.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) {
      const sources = new SourceSet();
      sources.add(new SourceFile(path, text));
      host.stderr(renderDiagnostics(sortDiagnostics(errors), sources, { color: host.color, cwd: host.cwd }));
      host.stderr(`${f} was not formatted because it has syntax errors.\n`);
      status = ExitCode.Diagnostics;
      continue;
    }
    if (!parsed.ast.imports.length && !parsed.ast.declarations.length) {
      // Nothing to lay out: most likely the wrong file (every command says so, see project/loadExperiment.ts).
      const sources = new SourceSet();
      sources.add(new SourceFile(path, text));
      host.stderr(renderDiagnostics([diag("LV2032", { file: path, start: 0, end: 0 }, { file: basename(path) })], sources, { color: host.color, cwd: host.cwd }));
      status = ExitCode.Diagnostics;
      continue;
    }
    const out = format(parsed.ast, text);
    if (o.check) {
      if (out !== text) unformatted.push(f);
    } else if (o.write) {
      if (out !== text) host.writeFileAtomic(path, out);
    } else {
      host.stdout(out);
    }
  }
  if (o.check && unformatted.length) {
    for (const f of unformatted) host.stdout(`${f}: not formatted\n`);
    host.stdout(`${unformatted.length} file${unformatted.length === 1 ? "" : "s"} would be reformatted; run \`lavisc fmt --write\`.\n`);
    return ExitCode.Diagnostics;
  }
  return status;
}
