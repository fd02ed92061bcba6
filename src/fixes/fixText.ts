import { readerWithText } from "../project/readerWithText.js";
import { checkFile, type CompileOptions } from "../index.js";
import { SourceFile, type Diagnostic } from "../diagnostics/index.js";
import type { FileReader } from "../project/loadExperiment.js";
import { fixOf, applyEdits, type Fix } from "./index.js";

// A file's text with its certain fixes made (`check --fix`, the editor's "fix all"): its own fixable problems are
// fixed one at a time, and a fix is kept only when its problem is then gone and no new error appears (a rename onto a
// key the mapping already has, or onto a key that rejects the value, is left as it was); warnings it brings to light
// are reported after it, as check reports them.

export interface AppliedFix {
  readonly file: string;
  readonly code: string;
  /** 1-based, in the text as it was before this fix. */
  readonly line: number;
  readonly column: number;
  readonly title: string;
}

/** A fix that was not made, and why: what it would have brought (`LV1009`: a duplicate key), or that its problem stayed. */
export interface RefusedFix extends AppliedFix {
  readonly why: string;
}

/** Rounds of "try each fix, keep the first that helps": a file gets at most this many fixes. */
const MOST_FIXES = 200;

/** `text` in place of the file at `path` (other files through `reader`), fixed; nothing is written. */
export function fixText(path: string, text: string, reader: FileReader, opts: CompileOptions = {}): { text: string; applied: AppliedFix[]; refused: RefusedFix[] } {
  const checkText = (t: string) => checkFile(path, readerWithText(reader, path, t), opts).diagnostics;
  let current = checkText(text);
  const applied: AppliedFix[] = [];
  const refused = new Map<string, string>(); // fixes that did not help, by what they would write where: why
  while (applied.length < MOST_FIXES) {
    let kept = false;
    for (const d of current) {
      if (d.span?.file !== path) continue;
      const fix = fixOf(d, text);
      if (!fix) continue;
      const key = keyOf(d, fix, text);
      if (refused.has(key)) continue;
      const next = applyEdits(text, fix.edits);
      const after = checkText(next);
      const why = hindrance(d, current, after);
      if (why) {
        refused.set(key, why);
        continue;
      }
      applied.push({ file: path, code: d.code, ...placeOf(path, text, d.span.start), title: fix.title });
      text = next;
      current = after;
      kept = true;
      break;
    }
    if (!kept) break;
  }
  return { text, applied, refused: stillRefused(path, text, current, refused) };
}

/** The refused fixes whose problems are still there, in the final text's places. */
function stillRefused(path: string, text: string, current: readonly Diagnostic[], refused: ReadonlyMap<string, string>): RefusedFix[] {
  const out: RefusedFix[] = [];
  for (const d of current) {
    if (d.span?.file !== path) continue;
    const fix = fixOf(d, text);
    const why = fix && refused.get(keyOf(d, fix, text));
    if (fix && why) out.push({ file: path, code: d.code, ...placeOf(path, text, d.span.start), title: fix.title, why });
  }
  return out;
}

/**
 * Why a fix does not help, or null when it does: it helps when the problem it fixes is gone (one fewer of its kind at
 * its path) and no error appears that was not there. Counting problems would not do: an error that stops the check
 * early (a duplicate key) hides the others.
 */
function hindrance(fixed: Diagnostic, before: readonly Diagnostic[], after: readonly Diagnostic[]): string | null {
  const tally = (ds: readonly Diagnostic[], errorsOnly: boolean) => {
    const m = new Map<string, number>();
    for (const d of ds) if (!errorsOnly || d.severity === "error") m.set(identity(d), (m.get(identity(d)) ?? 0) + 1);
    return m;
  };
  const was = tally(before, false), now = tally(after, true);
  const brought = after.filter((d) => d.severity === "error" && (now.get(identity(d)) ?? 0) > (was.get(identity(d)) ?? 0));
  if (brought.length) return `it would bring ${[...new Set(brought.map((d) => d.code))].join(", ")}: ${brought[0]!.message}`;
  if ((tally(after, false).get(identity(fixed)) ?? 0) >= (was.get(identity(fixed)) ?? 0)) return "the problem would stay";
  return null;
}

/** A problem across edits of its file: spans move, its code and configuration path (or message) do not. */
function identity(d: Diagnostic): string {
  return `${d.code}|${d.severity}|${d.path ?? d.message}`;
}

/** A fix across rounds (its problem's offsets move as other fixes are made): its code, its line's text, its edits. */
function keyOf(d: Diagnostic, fix: Fix, text: string): string {
  const file = new SourceFile("", text);
  const line = file.lineText(file.position(d.span!.start).line);
  return `${d.code}|${line}|${JSON.stringify(fix.edits.map((e) => [text.slice(e.start, e.end), e.newText]))}`;
}

function placeOf(path: string, text: string, offset: number): { line: number; column: number } {
  return new SourceFile(path, text).position(offset);
}
