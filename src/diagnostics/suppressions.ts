import { diag, type Diagnostic } from "./diagnostic.js";
import { messages } from "./messages.js";
import { bestMatches, didYouMeanNames } from "./suggest.js";
import type { SourceFile } from "./sourceFile.js";
import type { Span } from "./span.js";

// `lavisc: ignore[LV4019]` in a comment silences that warning on the comment's line, `lavisc: ignore-next-line[LV4019]`
// on the line after it (as ESLint's `eslint-disable-next-line`, for a comment on a line of its own), and
// `lavisc: ignore-file[LV4019]` in the whole file (`# ...` in YAML, `// ...` in a .lv), as `# type: ignore[code]` does
// for mypy and `# noqa: F401` for Ruff. Codes are required; errors are never silenced (they are what LAVIS or the run would stop on). So that a
// suppression cannot outlive its reason and hide a later problem, one that silences nothing is itself a warning
// (LV1022), once the file checks without errors (an error stops the stages whose warnings it may be meant for).

type Kind = "ignore" | "ignore-next-line" | "ignore-file";

interface Suppression {
  readonly kind: Kind;
  readonly code: string;
  /** The 1-based line it covers; null for the whole file. */
  readonly line: number | null;
  /** The code's text in the comment (where LV1021-LV1023 point). */
  readonly span: Span;
  used: boolean;
  /** It met an error of its code, which it does not silence (LV1023). */
  metError: boolean;
}

const COMMENT: Record<"yaml" | "lv", RegExp> = {
  yaml: /(?:^|[ \t])#[ \t]*lavisc:[ \t]*(ignore-file|ignore-next-line|ignore)\b(\[[^\]\n]*\]?)?/gm,
  lv: /\/\/[ \t]*lavisc:[ \t]*(ignore-file|ignore-next-line|ignore)\b(\[[^\]\n]*\]?)?/g,
};

/** A file's comments by what they cover: `code\nline`, or the code alone for `ignore-file`. */
type Index = Map<string, Suppression>;

/** At most this many problems with one file's comments are reported, and codes read (a generated file could have millions). */
const MOST_PROBLEMS = 100;
const MOST_CODES = 10_000;

/** The problems with the entry file's comments: the first MOST_PROBLEMS, and how many more. */
class Problems {
  readonly shown: Diagnostic[] = [];
  more = 0;
  add(d: Diagnostic): void {
    if (this.shown.length < MOST_PROBLEMS) this.shown.push(d);
    else this.more++;
  }
}

/** The `lavisc: ignore` comments of the files an experiment was read from, applied to its diagnostics. */
export class Suppressions {
  private readonly byFile = new Map<string, { list: Suppression[]; index: Index; file: SourceFile }>();
  private readonly found = new Problems();

  /** `entry`: the file checked; problems with its comments are reported (a file it extends is checked on its own). */
  constructor(sources: readonly SourceFile[], private readonly entry: string) {
    for (const f of sources) {
      const syntax = commentSyntax(f.path);
      if (!syntax || !f.text.includes("lavisc:")) continue;
      const list = read(f, syntax, f.path === entry ? this.found : new Problems());
      const index: Index = new Map();
      for (const x of list) {
        const key = x.line === null ? x.code : `${x.code}\n${x.line}`;
        if (!index.has(key)) index.set(key, x);
      }
      this.byFile.set(f.path, { list, index, file: f });
    }
  }

  /** The diagnostics without the warnings a comment silences (each comment that does is marked used). */
  filter(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    if (!this.byFile.size) return [...diagnostics];
    return diagnostics.filter((d) => {
      const comments = d.span ? this.byFile.get(d.span.file) : undefined;
      if (!comments) return true;
      const line = comments.file.position(d.span!.start).line;
      const s = comments.index.get(`${d.code}\n${line}`) ?? comments.index.get(d.code);
      if (!s) return true;
      if (d.severity === "error") {
        s.metError = true;
        return true;
      }
      s.used = true;
      return false;
    });
  }

  /** LV1020-LV1023 for the entry file's comments; `unused`: also those that silenced nothing (LV1022). */
  problems(unused: boolean): Diagnostic[] {
    const out = new Problems();
    for (const d of this.found.shown) out.add(d);
    out.more += this.found.more;
    for (const s of this.byFile.get(this.entry)?.list ?? []) {
      if (s.metError) out.add(diag("LV1023", s.span, { code: s.code }));
      else if (unused && !s.used) out.add(diag("LV1022", s.span, { kind: s.kind, code: s.code, where: s.line === null ? "this file" : s.kind === "ignore-next-line" ? "the next line" : "this line" }));
    }
    if (!out.more) return out.shown;
    return [...out.shown, diag("LV1024", { file: this.entry, start: 0, end: 0 }, { count: out.more })];
  }
}

/** checkFile's use: the diagnostics filtered, then the comments' own problems (unused ones once nothing is an error). */
export function applySuppressions(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], entry: string): Diagnostic[] {
  const s = new Suppressions(sources, entry);
  const kept = s.filter(diagnostics);
  return [...kept, ...s.problems(!kept.some((d) => d.severity === "error"))];
}

function commentSyntax(path: string): "yaml" | "lv" | null {
  if (path.startsWith("stdlib/")) return null;
  if (/\.ya?ml$/i.test(path)) return "yaml";
  return path.endsWith(".lv") ? "lv" : null;
}

function read(f: SourceFile, syntax: "yaml" | "lv", problems: Problems): Suppression[] {
  const out: Suppression[] = [];
  const text = f.text;
  const pattern = new RegExp(COMMENT[syntax]);
  let codesRead = 0;
  for (let m = pattern.exec(text); m && codesRead < MOST_CODES; m = pattern.exec(text)) {
    const kind = m[1] as Kind;
    const at = m.index + m[0].indexOf("lavisc:");
    const line = kind === "ignore-file" ? null : f.position(at).line + (kind === "ignore-next-line" ? 1 : 0);
    const list = m[2];
    const codesAt = m.index + m[0].length - (list?.length ?? 0) + 1;
    const codes = list?.endsWith("]") ? splitCodes(list.slice(1, -1), codesAt, MOST_CODES - codesRead) : [];
    codesRead += Math.max(1, codes.length);
    if (!codes.length) problems.add(diag("LV1020", { file: f.path, start: at, end: m.index + m[0].length }, { kind }));
    for (const c of codes) {
      const span = { file: f.path, start: c.start, end: c.start + c.code.length };
      if (c.code in messages) out.push({ kind, code: c.code, line, span, used: false, metError: false });
      else {
        // Every code as close as the nearest is named (`LV2010` is one edit from LV2001 and LV2011): one name is a fix.
        const near = didYouMeanNames(bestMatches(c.code, Object.keys(messages)));
        problems.add(diag("LV1021", span, { code: c.code, kind }, near ? { hint: near } : {}));
      }
    }
  }
  return out;
}

function splitCodes(list: string, offset: number, most: number): { code: string; start: number }[] {
  const out: { code: string; start: number }[] = [];
  for (const m of list.matchAll(/[^,\s]+/g)) {
    if (out.length === most) break;
    out.push({ code: m[0], start: offset + m.index! });
  }
  return out;
}
