// The measurement of docs/forks.md: each repository under ../shared/fork-configs is scanned and every YAML in it
// checked with the extension, in memory (nothing is written there). Prints the per-repository tables and every
// remaining error. Run: `npm run build && node dist/tools/forkReport.js [FORKS_DIR]`.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/main.js";
import { memoryHost } from "../src/cli/host.js";

export interface RepositoryReport {
  readonly name: string;
  readonly source: string;
  /** The scan's summary line, and its warnings and errors by code. */
  readonly scan: string;
  readonly scanCodes: Readonly<Record<string, number>>;
  /** The check's summary table (the lines after "N LAVIS config files checked"). */
  readonly table: readonly string[];
  readonly totals: { readonly files: number; readonly clean: number; readonly warningsOnly: number; readonly errors: number };
  /** Every error of the check: `file:line code message`. */
  readonly errors: readonly string[];
  readonly warnings: Readonly<Record<string, number>>;
}

export async function forkReport(forksDir: string): Promise<RepositoryReport[]> {
  const out: RepositoryReport[] = [];
  for (const name of readdirSync(forksDir).sort()) {
    const dir = join(forksDir, name);
    if (!existsSync(join(dir, "SOURCE.txt"))) continue;
    const source = readFileSync(join(dir, "SOURCE.txt"), "utf8").split(":")[0]!.trim();
    const [repository, commit] = source.split(" @ ");
    const h = memoryHost({}, forksDir);
    await runCli(["registry", "scan", dir, "--repository", repository!, "--commit", commit!], h);
    const scan = h.out.trim().split("\n").at(-1)!;
    const scanCodes = count(h.out, /^(?:warning|error)\[(LV\d+)\]/gm);
    h.out = "";
    await runCli(["check", dir], h);
    const lines = h.out.split("\n");
    const head = lines.findIndex((l) => / LAVIS config files? checked/.test(l));
    const table = lines.slice(head + 1).filter((l) => /^ {2}\s*(files|\d)/.test(l)).map((l) => l.trimEnd());
    const total = table.at(-1)!.trim().split(/\s+/).map(Number);
    const errors = [...h.out.matchAll(/^error\[(LV\d+)\]: ([^\n]*)\n\s*--> ([^\n]+)/gm)].map((m) => `${relative(name, m[3]!.replace(/:(\d+):\d+$/, ":$1"))} ${m[1]} ${m[2]}`);
    out.push({
      name, source, scan, scanCodes, table,
      totals: { files: total[0]!, clean: total[1]!, warningsOnly: total[2]!, errors: total[3]! },
      errors,
      warnings: count(h.out, /^warning\[(LV\d+)\]/gm),
    });
  }
  return out;
}

function count(text: string, re: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(re)) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  return out;
}

/** The reports as the markdown of docs/forks.md's measurement section. */
export function reportMarkdown(reports: readonly RepositoryReport[]): string {
  const rows = reports.map((r) => `| ${r.name} | ${r.totals.files} | ${r.totals.clean} | ${r.totals.warningsOnly} | ${r.totals.errors} |`);
  const out = ["| repository | files checked | clean | warnings only | errors |", "|---|---|---|---|---|", ...rows, ""];
  for (const r of reports) {
    out.push(`### ${r.name} (${r.source})`, "", "```text", r.scan, ...r.table, "```", "");
    out.push(`Scan: ${Object.entries(r.scanCodes).map(([c, n]) => `${c} ×${n}`).join(", ") || "no warnings"}. Check warnings: ${Object.entries(r.warnings).map(([c, n]) => `${c} ×${n}`).join(", ") || "none"}.`, "");
    out.push(...(r.errors.length ? r.errors.map((e) => `- \`${e.split(" ")[0]}\` ${e.split(" ").slice(1).join(" ")}`) : ["No errors."]), "");
  }
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(fileURLToPath(new URL("../..", import.meta.url)), "..", "shared", "fork-configs");
  process.stdout.write(reportMarkdown(await forkReport(dir)));
}
