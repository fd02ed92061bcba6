/** A file's text with a lazily built line index, so offsets turn into 1-based line/column only when needed. */
export class SourceFile {
  private lineStarts: number[] | undefined;
  private loaded: string | undefined;
  /** `text` may be a function: the stdlib's sources are only read when a diagnostic shows one of their lines. */
  constructor(readonly path: string, private readonly source: string | (() => string)) {}

  get text(): string {
    return (this.loaded ??= typeof this.source === "string" ? this.source : this.source());
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      // A lone `\r` ends a line too, as in editors (the protocol's line terminators are \n, \r\n and \r) and YAML.
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  }

  lineCount(): number {
    return this.starts().length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const s = starts[line - 1];
    if (s === undefined) return "";
    const e = line < starts.length ? starts[line]! - 1 : this.text.length;
    return this.text.slice(s, e).replace(/\r$/, "");
  }

  /** Offset of a 1-based line and column. */
  offsetAt(line: number, column: number): number {
    const starts = this.starts();
    const s = starts[Math.max(0, Math.min(line - 1, starts.length - 1))]!;
    return Math.min(this.text.length, s + Math.max(0, column - 1));
  }
}

/** Every file a run has read, by path, so renderers can show code frames. */
export class SourceSet {
  private readonly files = new Map<string, SourceFile>();
  add(file: SourceFile): SourceFile {
    this.files.set(file.path, file);
    return file;
  }
  get(path: string): SourceFile | undefined {
    return this.files.get(path);
  }
}
