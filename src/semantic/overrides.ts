import { parseExpression } from "../syntax/parse.js";
import { MAX_NESTING } from "../syntax/limits.js";
import { plainLiteral } from "../syntax/plainLiteral.js";
import { SourceFile, diag, type Diagnostic } from "../diagnostics/index.js";
import { lowerExpr } from "./fromLv.js";
import { readYaml, resolvePlainScalar, scalarOrInterpolation, unreadableScalar } from "./fromYaml.js";
import type { CNode, Origin } from "./configTree.js";
import { SECTIONS, type Override } from "./resolve.js";
import { asOneDotlist } from "./dotlist.js";
import { unacceptableCharacter } from "./yamlCharacters.js";

// Command-line overrides, the highest layer. `--set recipe.init_lr=3e-5` takes lavisc's value syntax and section names;
// `--options run.init_lr=3e-5` takes LAVIS's (values read as OmegaConf reads them, both of its spellings accepted).
// Each override becomes a small virtual source file, so its diagnostics show the text the user typed.

export interface OverrideResult {
  readonly overrides: Override[];
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceFile[];
}

function splitKey(text: string, flag: string, diagnostics: Diagnostic[], file: string): { path: string[]; valueText: string; valueStart: number } | null {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    diagnostics.push(diag("LV2022", { file, start: 0, end: text.length }, { text }, { hint: `Write ${flag} KEY=VALUE, e.g. ${flag} recipe.init_lr=3e-5.` }));
    return null;
  }
  const key = text.slice(0, eq).trim();
  const path = key.split(".");
  const section = SECTIONS[path[0]!];
  if (!section || path.length < 2) {
    diagnostics.push(diag("LV2023", { file, start: 0, end: eq }, { section: path[0]!, key }));
    return null;
  }
  if (path.length > MAX_NESTING) {
    // Each segment is a level of the config tree, as in a `.lv` file's dotted key (limits.ts).
    diagnostics.push(diag("LV1013", { file, start: 0, end: eq }, { max: MAX_NESTING, what: "the segments of a key" }));
    return null;
  }
  return { path: [section, ...path.slice(1)], valueText: text.slice(eq + 1), valueStart: eq + 1 };
}

export function parseOverrides(sets: readonly string[], options: readonly string[]): OverrideResult {
  const overrides: Override[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];

  sets.forEach((text, i) => {
    const file = `<--set #${i + 1}>`;
    sources.push(new SourceFile(file, text));
    const k = splitKey(text, "--set", diagnostics, file);
    if (!k) return;
    const origin: Origin = { kind: "override", span: { file, start: 0, end: text.length }, from: `--set ${text}` };
    // A plain literal or name is read without building the `.lv` lexer and parser (most of what --set costs a cold command).
    const plain = plainLiteral(k.valueText, file);
    const parsed = plain ? { expr: plain, diagnostics: [] } : parseExpression(k.valueText, file);
    if (parsed.diagnostics.length) {
      // Shift spans: the value starts after `=`.
      for (const d of parsed.diagnostics) diagnostics.push(d.span ? { ...d, span: { ...d.span, start: d.span.start + k.valueStart, end: d.span.end + k.valueStart } } : d);
      return;
    }
    const node = lowerExpr(offsetExpr(parsed.expr, k.valueStart), k.path.slice(0, -1), origin, { kind: "override", diagnostics, where: "--set" }, { file, start: 0, end: k.valueStart - 1 });
    overrides.push({ path: k.path, node, text, style: "set" });
  });

  // LAVIS: if the first token has `=`, every token is KEY=VALUE; otherwise tokens pair up as KEY VALUE.
  const tokens = [...options];
  const pairs = tokens.length && !tokens[0]!.includes("=") ? pairUp(tokens) : tokens;
  const optionOverrides: Override[] = [];
  pairs.forEach((text, i) => {
    const file = `<--options #${i + 1}>`;
    sources.push(new SourceFile(file, text));
    const k = splitKey(text, "--options", diagnostics, file);
    if (!k) return;
    const origin: Origin = { kind: "override", span: { file, start: k.valueStart, end: text.length }, from: `--options ${text}` };
    const span = { file, start: k.valueStart, end: text.length };
    // OmegaConf.from_dotlist reads the value with PyYAML, whose reader refuses DEL and the controls as in a file.
    const refused = unacceptableCharacter(k.valueText, file);
    if (refused) {
      diagnostics.push({ ...refused, span: { file, start: refused.span!.start + k.valueStart, end: refused.span!.end + k.valueStart } });
      return;
    }
    let node: CNode;
    const v = k.valueText.trim();
    if (/^[[{]/.test(v)) {
      const y = readYaml(`v: ${v}`, file, "override");
      const inner = y.root?.entries.get("v");
      if (!inner || y.diagnostics.length) {
        diagnostics.push(diag("LV2022", span, { text }));
        return;
      }
      node = { ...inner, origin, span } as CNode;
    } else {
      const r = /^(['"]).*\1$/.test(v) ? { type: "string" as const, value: v.slice(1, -1) } : resolvePlainScalar(v);
      // OmegaConf.from_dotlist reads the value with the same YAML loader: LAVIS stops on it too.
      const unreadable = unreadableScalar(r, v, span, k.path);
      if (unreadable) diagnostics.push(unreadable);
      // OmegaConf.from_dotlist reads `${...}` in a value as an interpolation, as in a file.
      node = scalarOrInterpolation(r.value, r.type, origin, span, { file, start: 0, end: k.valueStart - 1 }, k.path, diagnostics, "exact" in r ? r.exact : undefined);
    }
    optionOverrides.push({ path: k.path, node, text, style: "options" });
  });
  return { overrides: [...overrides, ...asOneDotlist(optionOverrides, diagnostics)], diagnostics, sources };
}

function pairUp(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) out.push(`${tokens[i]}=${tokens[i + 1]}`);
  return out;
}

/** Moves every span of an expression parsed from the value part to its place in the whole `KEY=VALUE` text. */
export function offsetExpr<T>(e: T, by: number): T {
  if (Array.isArray(e)) return e.map((x) => offsetExpr(x, by)) as T;
  if (e && typeof e === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === "span" && v && typeof v === "object") {
        const s = v as { file: string; start: number; end: number };
        out[k] = { file: s.file, start: s.start + by, end: s.end + by };
      } else out[k] = offsetExpr(v, by);
    }
    return out as T;
  }
  return e;
}
