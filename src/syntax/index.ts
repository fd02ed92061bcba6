// Entry point of the syntax stage: `.lv` text in, a readonly AST with spans and syntax diagnostics out.
// The chevrotain CST stays private to this folder.
export { parse, parseExpression, parseSweepValues, type ParseResult } from "./parse.js";
export * as ast from "./ast.js";
export type * from "./ast.js";
