import { diag } from "../../diagnostics/index.js";
import type { EntryInfo } from "../../semantic/registry.js";
import { isAuthorPath } from "../../semantic/authorPath.js";
import type { Rule, RuleContext } from "../context.js";

/**
 * LV4079 (warning): the experiment leaves out a key whose default, declared by a repository's stdlib extension (a
 * `.lavisc/` file `lavisc registry scan` writes from the code's fallback), is an absolute path on the author's machine
 * (TimeChat's instruct builders fall back to `/mnt/workspace/ckpt/vicuna-13b/` for `tokenizer_name`).
 * LAVIS's own stdlib declares no such default, so its entries are not looked at.
 */
export const authorPathFallbackRule: Rule = (ctx) => {
  const arch = ctx.at(["model", "arch"]);
  if (arch?.kind === "scalar" && typeof arch.value === "string") leftOut(ctx, ctx.registry.archs.get(arch.value), ["model"]);
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") for (const name of datasets.entries.keys()) leftOut(ctx, ctx.registry.builders.get(name), ["datasets", name]);
};

function leftOut(ctx: RuleContext, entry: EntryInfo | undefined, section: readonly string[]): void {
  if (!entry || !fromExtension(entry.decl.span?.file)) return;
  for (const field of entry.schema.fields.values()) {
    if (field.default?.kind !== "StringLit" || !isAuthorPath(field.default.value) || !fromExtension(field.span.file)) continue;
    const node = ctx.at([...section, field.name]);
    if (node && ctx.isUserValue(node)) continue;
    const path = [...section, field.name];
    ctx.report(diag("LV4079", ctx.at(section)?.keySpan ?? ctx.spanFor(path), { path: path.join("."), value: field.default.value }, {
      path: path.join("."),
      related: [{ span: field.default.span ?? field.span, message: "the repository's fallback, as its stdlib extension declares it" }],
    }));
  }
}

const fromExtension = (file: string | undefined): boolean => !!file && /(^|[/\\])\.lavisc[/\\]/.test(file);
