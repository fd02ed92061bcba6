import { Lexer } from "./chevrotain.js";
import { allTokens } from "./tokens.js";

/** One lexer per process (building it validates the token set, which costs start-up time). */
export const lvLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
  skipValidations: process.env.LAVISC_VALIDATE_GRAMMAR !== "1",
});
