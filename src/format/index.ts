// Entry point of the formatter: a parsed file (and its text, for comments and blank lines) in, canonical text out.
import type { File } from "../syntax/index.js";
import { Printer } from "./printer.js";

export { maxWidth } from "./printer.js";

/** Prints `ast` in the one canonical layout. Call it only on files that parsed without errors. */
export function format(ast: File, text: string): string {
  return new Printer(ast, text).print();
}
