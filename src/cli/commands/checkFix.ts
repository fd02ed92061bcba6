import type { CompileOptions } from "../../index.js";
import { fixText, type AppliedFix, type RefusedFix } from "../../fixes/index.js";
import { relative, resolve } from "node:path";
import type { Host } from "../host.js";
import { configFilesIn } from "./checkSummary.js";

export type { AppliedFix, RefusedFix } from "../../fixes/index.js";

// `lavisc check --fix`: each file's text fixed by fixText (src/fixes/fixText.ts), written once, atomically, when
// anything changed, before the files are checked; then each fix made and each one left, with its reason.

export function fixFile(host: Host, path: string, opts: CompileOptions): { applied: AppliedFix[]; refused: RefusedFix[] } {
  let text: string;
  try {
    text = host.readFile(path);
  } catch {
    return { applied: [], refused: [] }; // the check reports it
  }
  const r = fixText(path, text, host, opts);
  if (r.text !== text) host.writeFileAtomic(path, r.text);
  return { applied: r.applied, refused: r.refused };
}

export interface Fixes {
  readonly applied: AppliedFix[];
  readonly refused: RefusedFix[];
  /** The lines `check` prints after the diagnostics. */
  text(cwd: string): string;
}

/** `--fix` on every file named and every config in the folders named. */
export function fixAll(host: Host, args: readonly string[], o: { sets: string[]; options: string[] }): Fixes {
  const applied: AppliedFix[] = [], refused: RefusedFix[] = [];
  for (const a of args) {
    const path = resolve(host.cwd, a);
    const paths = host.isDirectory(path) ? configFilesIn(host, path).files : [path];
    for (const p of paths) {
      const r = fixFile(host, p, { sets: o.sets, options: o.options });
      applied.push(...r.applied);
      refused.push(...r.refused);
    }
  }
  return { applied, refused, text: (cwd) => fixedText(applied, refused, cwd) };
}

/** Each fix made, each one left with its reason (never silent), then the count. */
function fixedText(fixed: readonly AppliedFix[], notFixed: readonly RefusedFix[], cwd: string): string {
  const files = new Set(fixed.map((f) => f.file)).size;
  const where = (f: AppliedFix) => `${relative(cwd, f.file)}:${f.line}:${f.column} ${f.code}: ${f.title}`;
  const lines = [...fixed.map((f) => `fixed ${where(f)}\n`), ...notFixed.map((f) => `not fixed ${where(f)}: ${f.why}\n`)];
  return `${lines.join("")}${fixed.length ? `${fixed.length} problem${fixed.length === 1 ? "" : "s"} fixed in ${files} file${files === 1 ? "" : "s"}` : "nothing to fix"}\n`;
}
