import type { Span } from "./span.js";
import { messages, type DiagnosticCode } from "./messages.js";

export type Severity = "error" | "warning" | "info";

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

/** The one diagnostic type of every stage: syntax, names, types, graph, runtime preflight. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span | null;
  /** Dotted configuration path the diagnostic is about, in LAVIS's names (`run.min_len`), or null. */
  readonly path: string | null;
  readonly related: readonly RelatedInfo[];
  readonly hint: string | null;
}

export type MessageArgs = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders of a catalog template. */
export function fillMessage(template: string, args: MessageArgs): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? clipArgument(String(args[k])) : m));
}

/** A value longer than this (a generated key, a hostile `--set`) is shown by its start and end. */
const LONGEST_ARGUMENT = 500;

function clipArgument(text: string): string {
  return text.length <= LONGEST_ARGUMENT ? text : `${text.slice(0, 400)}…(${text.length - 460} characters)…${text.slice(-60)}`;
}

/** Builds a diagnostic from the catalog: the code decides the sentence and the default severity. */
export function diag(
  code: DiagnosticCode,
  span: Span | null,
  args: MessageArgs = {},
  extra: { path?: string | null; related?: readonly RelatedInfo[]; hint?: string | null; severity?: Severity } = {},
): Diagnostic {
  const entry: { severity: Severity; message: string; hint?: string } = messages[code];
  return {
    code,
    severity: extra.severity ?? entry.severity,
    message: fillMessage(entry.message, args),
    span,
    path: extra.path ?? null,
    related: extra.related ?? [],
    hint: extra.hint !== undefined ? extra.hint : entry.hint ? fillMessage(entry.hint, args) : null,
  };
}

export function countBySeverity(diags: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0, warnings = 0;
  for (const d of diags) {
    if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
  }
  return { errors, warnings };
}

/**
 * The same problem found twice (an override read by two rules, a stdlib or extension note per file) is shown once.
 * `spannedOnly`: diagnostics without a location are all kept (each belongs to the file it was found with).
 */
export function dedupeDiagnostics(diags: readonly Diagnostic[], spannedOnly = false): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    if (spannedOnly && !d.span) return true;
    const k = `${d.code}|${d.span?.file}|${d.span?.start}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Stable order for output: by file, then position, then code. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.span?.file ?? "", fb = b.span?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.span?.start ?? -1, sb = b.span?.start ?? -1;
    if (sa !== sb) return sa - sb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
