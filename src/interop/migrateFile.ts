import { readerWithText } from "../project/readerWithText.js";
import { basename, dirname, extname, join } from "node:path";
import { checkFile, type FileReader, type Resolved } from "../index.js";
import type { Diagnostic, SourceFile, Span } from "../diagnostics/index.js";
import { parse } from "../syntax/index.js";
import { format } from "../format/index.js";
import { minimalLayer } from "./minimalLayer.js";
import { applyEdits, unusedIgnoreCodesEdit } from "../fixes/index.js";
import { codeFallbackPins } from "./codeFallbackPins.js";
import { collectGarbageFor } from "./collectGarbage.js";
import { experimentName, yamlToLv, type FragmentTarget, type MigrateContext } from "./migrate.js";
import { usesOfDefaultFile } from "../semantic/defaultFiles.js";
import type { ExperimentInput } from "../semantic/resolve.js";
import type { Registry } from "../semantic/registry.js";
import { getPath } from "../semantic/configTree.js";

// One YAML file through migration: check it (so a fork's YAML is still translated, with its problems reported), write
// the `.lv`, put it in canonical layout, and check the result the way `lavisc check` would.

export interface MigrateOptions {
  readonly minimal?: boolean;
}

export interface MigrateOutcome {
  /** The `.lv` text, or null when the YAML does not parse. */
  readonly lv: string | null;
  /** Where the `.lv` is meant to live (diagnostics of the output point there). */
  readonly lvPath: string;
  /** Parse errors of the YAML when refused; otherwise the diagnostics of checking the migrated `.lv`. */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
  /** Keys the YAML leaves to LAVIS's code that the `.lv` writes with LAVIS's value (`run.test_splits`; codeFallbackPins.ts). */
  readonly pinned: readonly string[];
  /**
   * Codes of the YAML's `lavisc: ignore` comments left out of the `.lv` because they silence nothing there (the YAML's
   * warning was about a key the `.lv` now writes, such as a pinned one), so the `.lv` checks as clean as the YAML.
   */
  readonly droppedIgnores: readonly string[];
  /** The experiments the YAML and the `.lv` resolve to (null when resolution stopped early). */
  readonly yamlResolved: Resolved | null;
  readonly lvResolved: Resolved | null;
}

export function lvPathFor(yamlPath: string): string {
  return join(dirname(yamlPath), `${basename(yamlPath, extname(yamlPath))}.lv`);
}

export function migrateFile(path: string, reader: FileReader, opts: MigrateOptions = {}, lvPath = lvPathFor(path)): MigrateOutcome {
  const checked = checkFile(path, reader);
  const input = checked.loaded.input;
  // Text that is not YAML, or a document lavisc cannot build (nested too deep, aliases beyond the budget): no `.lv`.
  const parseErrors = checked.diagnostics.filter((d) => d.severity === "error" && (d.code < "LV1009" || d.code === "LV1013" || d.code === "LV1014"));
  if (!input || parseErrors.length) {
    return { lv: null, lvPath, diagnostics: checked.diagnostics.filter((d) => d.severity === "error"), sources: checked.sources, pinned: [], droppedIgnores: [], yamlResolved: checked.resolved, lvResolved: null };
  }
  const text = reader.readFile(path);
  collectGarbageFor(text.length);
  const registry = checked.loaded.registry;
  const resolved = checked.resolved;
  const keep = opts.minimal && resolved ? minimalLayer(input, registry) : undefined;
  const fragment = fragmentTarget(input, registry);
  // What LAVIS's code falls back to where the YAML leaves a key out and lavisc documents another default (LV4019).
  const pins = resolved ? codeFallbackPins(resolved) : [];
  const carried = formattedLv(text, path, lvPath, { registry, fieldAt: (p) => resolved?.fieldAt(p) ?? null, pins, ...(keep && !fragment ? { keep } : {}), ...(fragment ? { fragment } : {}) });
  collectGarbageFor(carried.length);
  const { lv, out, dropped } = withoutStaleIgnores(carried, lvPath, reader, unusedCodes(checked.diagnostics, path, text));
  // Problems of the YAML text itself (duplicate keys, YAML features LAVIS rejects) do not carry over to the `.lv`.
  // An interpolation lavisc cannot read (LV3005: a resolver, a malformed `${`) is kept as text in the `.lv`, so the
  // YAML's report of it is kept.
  const yamlOnly = checked.diagnostics.filter((d) => d.span?.file === path && (d.code < "LV2000" || d.code === "LV3005"));
  const pinned = pins.map((p) => p.path.join("."));
  return { lv, lvPath, diagnostics: [...yamlOnly, ...out.diagnostics], sources: [...checked.sources, ...out.sources], pinned, droppedIgnores: dropped, yamlResolved: resolved, lvResolved: out.resolved };
}

/**
 * The `.lv` checked, less the `lavisc: ignore` codes that silence something in the YAML but nothing in the `.lv`
 * (LV1022 there and not in the YAML): a code that was already unused in the YAML stays, reported in both.
 */
function withoutStaleIgnores(lv: string, lvPath: string, reader: FileReader, unusedInYaml: ReadonlySet<string>) {
  const check = (text: string) => checkFile(lvPath, readerWithText(reader, lvPath, text));
  const out = check(lv);
  const stale = [...unusedCodes(out.diagnostics, lvPath, lv)].filter((c) => !unusedInYaml.has(c));
  // The stale codes by line: one edit per comment.
  const byLine = new Map<number, Span[]>();
  for (const d of out.diagnostics) {
    if (d.code !== "LV1022" || d.span?.file !== lvPath || !stale.includes(lv.slice(d.span.start, d.span.end))) continue;
    const line = lv.lastIndexOf("\n", d.span.start);
    byLine.set(line, [...(byLine.get(line) ?? []), d.span]);
  }
  const edits = [...byLine.values()].flatMap((s) => unusedIgnoreCodesEdit(lv, s.map((x) => x.start), Math.max(...s.map((x) => x.end))) ?? []);
  if (edits.length === 0) return { lv, out, dropped: [] };
  const text = applyEdits(lv, edits);
  return { lv: text, out: check(text), dropped: stale };
}

/** The codes that LV1022 reports as silencing nothing in one file. */
function unusedCodes(diagnostics: readonly Diagnostic[], file: string, text: string): Set<string> {
  return new Set(diagnostics.flatMap((d) => d.code === "LV1022" && d.span?.file === file ? [text.slice(d.span.start, d.span.end)] : []));
}

/**
 * The YAML written as `.lv`, in canonical layout. Its own function so that the unformatted text and its syntax tree
 * are garbage before the `.lv` is checked: for a 5 MB file each is hundreds of MB at its peak.
 */
function formattedLv(text: string, path: string, lvPath: string, ctx: MigrateContext): string {
  const raw = yamlToLv(text, path, ctx);
  collectGarbageFor(raw.length);
  const parsed = parse(raw, lvPath);
  const syntax = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length) throw new Error(`migrate produced invalid .lv for ${path}: ${syntax[0]!.message}\n${raw.slice(0, 2000)}`);
  return format(parsed.ast, raw);
}

/**
 * A default file migrates to the declaration of the type that loads it. When the registry already declares that type
 * (the stdlib, or a fork's scanned extension), the migrated one is named after the file, so importing it adds a type
 * instead of clashing with the one there.
 */
function fragmentTarget(input: ExperimentInput, registry: Registry): FragmentTarget | undefined {
  if (input.role !== "dataset-defaults" && input.role !== "model-defaults") return undefined;
  const kind = input.role === "model-defaults" ? "arch" : "builder";
  const use = usesOfDefaultFile(registry, input.file).find((u) => u.kind === kind);
  const stem = experimentName(input.file);
  const archNode = getPath(input.root, ["model", "arch"]);
  const entry = kind === "arch" ? use?.entry.name ?? (archNode?.kind === "scalar" ? String(archNode.value) : null) : null;
  const datasets = getPath(input.root, ["datasets"]);
  // `datasets:` may hold anything in a broken file (a scalar, a list): then it names no builder.
  const builders = datasets?.kind === "map" ? [...datasets.entries.keys()] : [];
  const taken = (type: string) => kind === "arch"
    ? !!registry.archs.get(entry ?? "")?.types.has(type)
    : builders.some((b) => registry.builders.get(b)?.types.has(type));
  const type = use && !taken(use.type) ? use.type : !use && !taken("default") && kind === "builder" ? "default" : stem;
  return { kind, entry, type, defaultConfig: use?.path ?? basename(input.file) };
}
