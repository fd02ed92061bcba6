import { diag } from "../../diagnostics/index.js";
import { forEachLeaf } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

/**
 * Template values people forget to fill in (LAVIS's own projects ship `/path/to/vicuna-7b`, forks `path/to/json`).
 * An angle-bracketed value is a placeholder when it reads as words (`<path_to_ckpt>`), not a token like `</s>`.
 */
const PLACEHOLDER = /^\/?path\/to\/|^<[^>/]*[\s_-][^>]*>$|^(TODO|FIXME|CHANGEME)$/i;

/** LV4017 (warning): a value the user wrote that is a placeholder, not a real path. */
export const placeholderRule: Rule = (ctx) => {
  forEachLeaf(ctx.root, (path, node) => {
    if (node.kind !== "scalar" || typeof node.value !== "string" || !ctx.isUserValue(node)) return;
    if (!PLACEHOLDER.test(node.value)) return;
    const dotted = path.join(".");
    ctx.report(diag("LV4017", node.span ?? node.keySpan, { path: dotted, value: node.value }, { path: dotted }));
  });
};
