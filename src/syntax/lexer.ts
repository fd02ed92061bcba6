import type { ILexingResult, IToken, Lexer as LexerType } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import { allTokens } from "./tokens.js";

/** The `.lv` lexer: chevrotain's, with every token's `endOffset` (the offset of its last character). */
export interface LvLexer {
  tokenize(text: string): ILexingResult;
}

let instance: LvLexer | undefined;

/** One lexer per process, built on first use (building it analyses the token set, which costs start-up time). */
export function lvLexer(): LvLexer {
  return (instance ??= offsetLexer(
    new Lexer(allTokens, {
      // Offsets only: with lines and columns tracked, lexing took three to five times as long (53 against 11-17 ms
      // for the 0.36 MB of bench/parseThroughput.ts). Spans are offsets; the grammar's same-line rules read the
      // text between tokens (lineBreaks.ts), and diagnostics compute lines when rendered.
      positionTracking: "onlyOffset",
      // LAVISC_VALIDATE_GRAMMAR=1 (test/syntax/parserSetup.test.ts) runs chevrotain's checks of the token set, and
      // fails if a token defeats the first-character optimization; a normal run skips them (start-up time).
      ensureOptimizations: process.env.LAVISC_VALIDATE_GRAMMAR === "1",
      skipValidations: process.env.LAVISC_VALIDATE_GRAMMAR !== "1",
    }),
  ));
}

/** chevrotain's offset-only tokens carry `startOffset` alone; the end is where the image ends. */
function offsetLexer(lexer: LexerType): LvLexer {
  return {
    tokenize(text: string): ILexingResult {
      const result = lexer.tokenize(text);
      addEndOffsets(result.tokens);
      for (const group of Object.values(result.groups)) addEndOffsets(group);
      return result;
    },
  };
}

function addEndOffsets(tokens: IToken[]): void {
  for (const t of tokens) t.endOffset = t.startOffset + t.image.length - 1;
}
