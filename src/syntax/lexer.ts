import type { Lexer as LexerType } from "chevrotain";
import { Lexer } from "./chevrotain.js";
import { allTokens } from "./tokens.js";

let instance: LexerType | undefined;

/** One lexer per process, built on first use (building it analyses the token set, which costs start-up time). */
export function lvLexer(): LexerType {
  return (instance ??= new Lexer(allTokens, {
    positionTracking: "full",
    // LAVISC_VALIDATE_GRAMMAR=1 (test/syntax/parserSetup.test.ts) runs chevrotain's checks of the token set, and
    // fails if a token defeats the first-character optimization; a normal run skips them (start-up time).
    ensureOptimizations: process.env.LAVISC_VALIDATE_GRAMMAR === "1",
    skipValidations: process.env.LAVISC_VALIDATE_GRAMMAR !== "1",
  }));
}
