/**
 * Accumulates formatted output line by line. Indentation is applied when the first text of a line is written, so
 * callers never emit trailing whitespace; `blank()` asks for one empty line before the next text, never more.
 */
export class LineWriter {
  private readonly lines: string[] = [];
  private current = "";
  private started = false;
  private blankPending = false;
  private continuation = false;
  level = 0;

  /** Appends text to the current line; multi-line text (a block comment) is copied verbatim after its first line. */
  text(s: string): void {
    if (!this.started) {
      if (this.blankPending && this.lines.length) this.lines.push("");
      this.blankPending = false;
      this.current = "  ".repeat(this.level + (this.continuation ? 1 : 0));
      this.started = true;
      this.continuation = false;
    }
    const parts = s.split("\n");
    this.current += parts[0];
    for (let i = 1; i < parts.length; i++) {
      this.lines.push(this.current.trimEnd());
      this.current = parts[i]!;
    }
  }

  /** Ends the current line; a no-op on an empty line, so callers may call it defensively. */
  line(): void {
    if (!this.started) return;
    this.lines.push(this.current.trimEnd());
    this.current = "";
    this.started = false;
  }

  /** Ends the line; the next one is indented one level deeper, as the rest of a construct broken by a comment. */
  continueOnNextLine(): void {
    this.line();
    this.continuation = true;
  }

  /** One empty line before the next text (ignored at the start of the output). */
  blank(): void {
    this.line();
    this.blankPending = true;
  }

  /** Forgets a requested blank line: nothing blank directly after `{` or before `}`. */
  noBlank(): void {
    this.blankPending = false;
  }

  /** True when nothing but indentation has been written on the current line. */
  atLineStart(): boolean {
    return !this.started;
  }

  /** True when the current line ends in a space (so a comment written next needs no separating space). */
  endsWithSpace(): boolean {
    return this.started && this.current.endsWith(" ");
  }

  /** The column the next text lands on (0-based), counting the indentation a fresh line will get. */
  column(): number {
    return this.started ? this.current.length : 2 * (this.level + (this.continuation ? 1 : 0));
  }

  toString(): string {
    this.line();
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }
}
