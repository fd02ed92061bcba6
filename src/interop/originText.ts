import { relative } from "node:path";
import type { SourceSet, Span } from "../diagnostics/index.js";
import type { Origin } from "../semantic/configTree.js";
import { packageRoot } from "../project/paths.js";
import { valueText } from "../semantic/valueText.js";

// Where a resolved value came from, in words (`set at a.yaml:17`, `model default blip_caption(base_coco) (...)`).

export interface OriginWhere {
  readonly file: string | null;
  readonly line: number | null;
}

export function originWhere(span: Span | null | undefined, sources: SourceSet, cwd: string): OriginWhere {
  if (!span) return { file: null, line: null };
  const pos = sources.get(span.file)?.position(span.start);
  return { file: displayPath(span.file, cwd), line: pos?.line ?? null };
}

export function originText(o: Origin, sources: SourceSet, cwd: string): string {
  const w = originWhere(o.span, sources, cwd);
  const at = w.file ? `${w.file}${w.line !== null ? `:${w.line}` : ""}` : "";
  const where = at ? ` (${at})` : "";
  switch (o.kind) {
    case "file": return `set at ${at || "the file"}`;
    case "override": return o.from ?? "override";
    case "schema-default": return `default${o.from ? ` "${o.from}"` : ""}${where}`;
    case "code-default": return `LAVIS's code fallback (${o.from ?? ""})${where}`;
    case "model-default": return `model default ${o.from ?? ""}${where}`;
    case "dataset-default": return `dataset default ${o.from ?? ""}${where}`;
    case "derived": return `derived "${o.from ?? ""}"${where}`;
  }
}

/**
 * The values one origin text names, with the values they are computed from in turn. A string built from strings
 * (`s2: ${s1}${s1}`) names twice as many at each step; past this many the text ends in `; ...`.
 */
const MAX_ORIGIN_DEPS = 64;

/** `lavisc explain`'s words for where a value comes from (the editor's hover shows the same). */
export function explainOriginText(o: Origin, sources: SourceSet, cwd: string, budget = { left: MAX_ORIGIN_DEPS }): string {
  const w = originWhere(o.span, sources, cwd);
  const at = w.file ? `${w.file}:${w.line ?? ""}` : "";
  // A value computed from other keys (`${model.arch}` in a file, a stdlib formula) names where each of them comes from.
  const deps = depsText(o.deps ?? [], sources, cwd, budget);
  switch (o.kind) {
    case "file": return `set at ${at}${deps}`;
    case "override": return `${o.from ?? "override"}`;
    case "schema-default": return o.from?.startsWith("task ") ? `default of ${o.from} (${at})` : `default (${at})`;
    // A YAML that leaves the key out means what LAVIS's code does; a `.lv` would take the documented default.
    case "code-default": return `LAVIS's code fallback in ${o.from ?? ""} (${at}), as the YAML leaves it out${o.documented ? `; a .lv takes lavisc's documented default, ${valueText(o.documented)}` : ""}`;
    case "model-default": return `model default ${o.from ?? ""} (${at})`;
    case "dataset-default": return `dataset default ${o.from ?? ""} (${at})`;
    case "derived": return `default "${o.from ?? ""}" (${at})${deps}`;
  }
}

function depsText(deps: NonNullable<Origin["deps"]>, sources: SourceSet, cwd: string, budget: { left: number }): string {
  let text = "";
  for (const d of deps) {
    if (budget.left-- <= 0) return `${text}; ...`;
    text += `; ${d.path.split(".").at(-1)} ${explainOriginText(d.origin, sources, cwd, budget)}`;
  }
  return text;
}

export function displayPath(p: string, cwd: string): string {
  const pkg = packageRoot();
  if (p.startsWith(pkg + "/stdlib/")) return p.slice(pkg.length + 1);
  if (p.startsWith("<")) return p;
  const rel = relative(cwd, p);
  return rel.startsWith("..") ? p : rel;
}
