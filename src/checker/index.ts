// Entry point of the checker stage: a resolved experiment in, diagnostics out. One rule per file in rules/.
export { check } from "./check.js";
export type { Rule, RuleContext } from "./context.js";
export { specifiedRules } from "./rules/index.js";
export { typeOf, describeType, typeToString, type Type } from "./types.js";
