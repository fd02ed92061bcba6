import type { Hover } from "vscode-languageserver";
import { getPath, type CNode } from "../semantic/configTree.js";
import { valueText } from "../semantic/valueText.js";
import { explainOriginText } from "../interop/originText.js";
import type { Span } from "../diagnostics/index.js";
import type { Analysis } from "./analysis.js";
import { targetAt } from "./locate.js";
import { rangeOf } from "./convert.js";
import { fieldMarkdown, nameMarkdown, nameRefAt } from "./describe.js";
import { referenceAt, type InterpolationTarget } from "./interpolations.js";
import { ignoreCodeHover } from "./ignoreComments.js";

// Hover: on a key, its declared type, default and doc, and its resolved value with `lavisc explain`'s origin; on an
// arch, model type, builder, dataset type, processor, task, scheduler or runner name, its doc and its declaration
// (for a model or dataset type, the default config it loads); on a `${key}` inside a value, the key it reads; on a
// code in a `lavisc: ignore[...]` comment, what the code means.

export function hoverAt(a: Analysis, offset: number, cwd: string): Hover | null {
  const code = ignoreCodeHover(a, offset);
  if (code) return code;
  const reference = referenceAt(a, offset);
  if (reference) return referenceHover(a, reference, cwd);
  const target = targetAt(a, offset);
  if (!target) return null;
  const parts: string[] = [];
  const reg = a.registry;
  const path = target.path;

  if (target.kind === "value" && target.node.kind === "scalar" && typeof target.node.value === "string") {
    const ref = nameRefAt(path, target.node.value, a.resolved, reg);
    const named = ref && nameMarkdown(ref, reg, a.sources);
    if (named) parts.push(named);
  }
  if (target.kind === "key" && path[0] === "datasets" && path.length === 2) {
    const builder = nameMarkdown({ kind: "builder", name: path[1]! }, reg, a.sources);
    if (builder) parts.push(builder);
  }
  parts.push(...keyParts(a, path, cwd, !parts.length));
  return markdownHover(a, parts, target.span);
}

/** On `${model.arch}` inside a value: the key it reads, and that key's value with its origin. */
function referenceHover(a: Analysis, ref: InterpolationTarget, cwd: string): Hover | null {
  if (ref.env) return markdownHover(a, [environmentLine(ref.env)], ref.span);
  return markdownHover(a, keyParts(a, ref.path, cwd, true), ref.span);
}

/** A key's declaration (type, default, doc; when `withField`) and its resolved value with where it comes from. */
function keyParts(a: Analysis, path: readonly string[], cwd: string, withField: boolean): string[] {
  const parts: string[] = [];
  const field = withField ? a.resolved?.fieldAt(path) : null;
  if (field) parts.push(fieldMarkdown(path.at(-1)!, field, a.registry, a.sources));
  const value = a.resolved ? getPath(a.resolved.root, path) : undefined;
  if (value && value.kind !== "map") parts.push(valueLine(path, value, a, cwd));
  return parts;
}

function markdownHover(a: Analysis, parts: readonly string[], span: Span): Hover | null {
  return parts.length ? { contents: { kind: "markdown", value: parts.join("\n\n---\n\n") }, range: rangeOf(span, a.sources) } : null;
}

/** `$DATA = "/data"` from the server's environment (the one `lavisc check` would see), or the default it falls back to. */
function environmentLine(env: NonNullable<InterpolationTarget["env"]>): string {
  const value = process.env[env.name];
  if (value !== undefined) return `\`$${env.name} = ${JSON.stringify(value)}\`  \nfrom the environment (OmegaConf's \`oc.env\`; LAVIS reads it where it runs)`;
  if (env.fallback !== undefined) return `\`$${env.name}\` is not set: the default \`${env.fallback ?? "null"}\` applies`;
  return `\`$${env.name}\` is not set, and there is no default: OmegaConf stops when LAVIS reads this value`;
}

/** `run.init_lr = 1e-05`, and where it comes from, in `lavisc explain`'s words. */
function valueLine(path: readonly string[], n: CNode, a: Analysis, cwd: string): string {
  return `\`${path.join(".")} = ${valueText(n)}\`  \n${explainOriginText(n.origin, a.sources, cwd)}`;
}
