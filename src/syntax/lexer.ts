import type { ILexingResult, IToken, Lexer as LexerType, TokenType } from "chevrotain";
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

/**
 * chevrotain's offset-only tokens carry `startOffset` alone; these are built with their end (where the image ends) in
 * the same object literal. Adding `endOffset` to each token afterwards gave every token a second allocation (V8 keeps
 * a property added to a literal's object in a separate backing store) while all the file's tokens were alive, which
 * the young-generation collections then copied.
 */
function offsetLexer(lexer: LexerType): LvLexer {
  const tokens = lexer as unknown as { createTokenInstance: TokenFactory };
  tokens.createTokenInstance = createOffsetToken;
  return lexer;
}

/** The signature chevrotain's lexer calls its token factory with (`tokenizeInternal`). */
type TokenFactory = (image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType, line: number | undefined, column: number | undefined, imageLength: number) => IToken;

const createOffsetToken: TokenFactory = (image, startOffset, tokenTypeIdx, tokenType, _line, _column, imageLength) =>
  ({ image, startOffset, endOffset: startOffset + imageLength - 1, tokenTypeIdx, tokenType }) as IToken;
