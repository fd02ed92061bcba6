import { parse } from "../syntax/parse.js";
import { format } from "../format/index.js";
import { lvKey, lvName, lvString } from "../interop/lvText.js";
import type { EntryModel, ExtensionModel, FieldModel, SchemaModel } from "./extensionModel.js";

// The extension model as `.lv` text in the canonical layout: a header naming the repository and commit, the
// opt-in to stdlib/forks.lv's keys, then one declaration per registered name, sorted by kind and name.

export interface Provenance {
  readonly repository: string;
  readonly commit: string | null;
}

const ORDER = ["arch", "builder", "processor", "task", "runner", "scheduler"];

export function extensionText(model: ExtensionModel, from: Provenance, path: string): string {
  const out: string[] = [
    `// Stdlib extension of ${oneLine(from.repository)} @ ${oneLine(from.commit ?? "(commit unknown)")}, written by \`lavisc registry scan\``,
    "// from the repository's Python registrations and YAML files, read statically (nothing was imported or run).",
    "// Rerun the scan after changing them. A key the scan could not type is `any`, with the reason in its doc comment.",
    `// Registry: ${oneLine(model.registryModule ?? "(no registration found)")}${model.sharesLavisRegistry ? " (LAVIS's own)" : " (the repository's own: its entries replace LAVIS's entries of the same name for files under this folder)"}.`,
    "",
  ];
  for (const s of model.schemas) out.push(...schemaLines(s), "");
  const entries = [...model.entries].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) out.push(...entryLines(e), "");
  const raw = out.join("\n");
  const parsed = parse(raw, path);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`registry scan produced invalid .lv (${errors[0]!.message})\n${raw}`);
  return format(parsed.ast, raw);
}

function docLines(text: string): string[] {
  return text ? [`/// ${oneLine(text)}`] : [];
}

/**
 * Text from outside (a folder name, `--repository`, `--commit`, a Python string) inside a `//` comment: a line break
 * would end the comment and make the rest `.lv` source, so each is written as a space.
 */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}

function fieldLines(f: FieldModel): string[] {
  return [...docLines(f.doc), `${lvKey(f.key)}: ${f.type}${f.default !== null ? ` = ${f.default}` : ""}`];
}

function schemaLines(s: SchemaModel): string[] {
  return [...docLines(s.doc), `schema ${s.name} : ${s.base} {`, ...s.fields.flatMap(fieldLines), "}"];
}

function entryLines(e: EntryModel): string[] {
  const lines = [...e.doc.map((d) => `/// ${d}`), `${e.kind} ${lvName(e.name)}${e.base ? ` : ${e.base}` : ""} {`];
  if (e.reads) lines.push(`reads = [${e.reads.join(", ")}]`);
  for (const f of e.fields) lines.push(...fieldLines(f));
  for (const t of e.types) {
    lines.push(`/// Default config: ${t.path}.${t.note ? ` ${t.note}` : ""}`, `type ${lvName(t.name)} {`);
    if (t.invalid) lines.push(`invalid = ${lvString(t.invalid)}`);
    if (t.defaultKey) lines.push(`default_key = ${lvString(t.defaultKey)}`);
    lines.push(...t.members, "}");
  }
  lines.push(...e.constraints, "}");
  return lines;
}
