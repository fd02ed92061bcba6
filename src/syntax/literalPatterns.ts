// The literal tokens' patterns, without chevrotain: tokens.ts builds the lexer from them, and plainLiteral.ts reads a
// command-line value with them without building the lexer.

/** A float: `1.5`, `.5`, `3e-5`, `1.0e3`, and `inf` and `nan` as in TOML (OmegaConf reads YAML's `.inf` and `.nan`). */
export const FLOAT_PATTERN = /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|(?:inf|nan)(?![A-Za-z0-9_]))/;
export const INT_PATTERN = /\d+/;
export const IDENTIFIER_PATTERN = /[A-Za-z_][A-Za-z0-9_]*/;

/** Words that are never names (the other keywords are soft: `model`, `type`, `log` are names too). */
export const RESERVED_WORDS: readonly string[] = ["and", "or", "not", "is", "in", "if", "then", "else", "true", "false", "null"];

/** The value of a FloatLiteral's text (`1e400` is inf, as in Python). */
export function floatLiteralValue(image: string): number {
  return image === "inf" ? Infinity : image === "nan" ? NaN : Number(image);
}
