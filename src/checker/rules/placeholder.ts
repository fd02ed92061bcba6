import { diag } from "../../diagnostics/index.js";
import { describeOrigin, forEachLeaf } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

/**
 * Template values people forget to fill in (LAVIS's own projects ship `/path/to/vicuna-7b`, forks `path/to/json`, and
 * MiniGPT-4 `please set this value to the path of vicuna model`, which users ran: MiniGPT-4#403, SkyEyeGPT#7).
 * An angle-bracketed value is a placeholder when it reads as words (`<path_to_ckpt>`), not a token like `</s>`.
 */
const PLACEHOLDER = /^\/?path\/to\/|^<[^>/]*[\s_-][^>]*>$|^(TODO|FIXME|CHANGEME)$|^please (set|fill in|change|specify|replace) (this|it|your)\b/i;

/**
 * LV4017 (warning): a placeholder, not a real path. Written by the user, at the value; inherited from one of LAVIS's
 * default configs (X-InstructBLIP's model types ship `llm_model: "/path/to/vicuna-7b"`), at the nearest place the
 * experiment writes, since it is the experiment that must set the key. A fork's own default file is the user's: it
 * gets the warning itself when checked, not again in every experiment that uses it.
 */
export const placeholderRule: Rule = (ctx) => {
  forEachLeaf(ctx.root, (path, node) => {
    if (node.kind !== "scalar" || typeof node.value !== "string" || !PLACEHOLDER.test(node.value)) return;
    const kind = node.origin.kind;
    const dotted = path.join(".");
    if (ctx.isUserValue(node)) {
      ctx.report(diag("LV4017", node.span ?? node.keySpan, { path: dotted, value: node.value }, { path: dotted }));
    } else if ((kind === "model-default" || kind === "dataset-default") && node.span?.file.startsWith("stdlib/")) {
      ctx.report(diag("LV4017", ctx.spanFor(path), { path: dotted, value: node.value }, {
        path: dotted,
        related: node.span ? [{ span: node.span, message: "the default it comes from" }] : [],
        hint: `It comes from ${describeOrigin(node.origin)}: set \`${path.at(-1)}\` in the experiment to the real path before running.`,
      }));
    }
  });
};
