// How deep a file may nest. Every stage after the lexer walks the tree recursively (parser, AST builder, lowering,
// resolver, merge, checker, formatter, explain, export), so a hostile file with 10,000 nested `{` would end in
// "Maximum call stack size exceeded"; the readers refuse such a file up front (nestingDepth.ts for `.lv`, the YAML
// readers for YAML). Kept apart from nestingDepth.ts so that a YAML check does not load the lexer's tokens.

/** Levels of `{`, `[`, `(`, `${` and prefix operators a `.lv` value may nest; LAVIS configs need fewer than ten. */
export const MAX_NESTING = 64;
/** Levels of YAML mappings and lists: two fewer, so that its migrated `.lv` (inside `experiment` and a section) fits. */
export const MAX_YAML_NESTING = MAX_NESTING - 2;
/** Depth of the AST itself (each bracket level is a few nodes; a long `a + b + ...` chain is one level per operator). */
export const MAX_AST_DEPTH = 8 * MAX_NESTING;
