/** A half-open range [start, end) of character offsets in one file. Lines and columns are computed only when printing. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export function spanOf(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
