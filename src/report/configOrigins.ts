// The report's config table: every resolved value with where it came from, in `lavisc explain`'s words.
import { SourceFile, SourceSet } from "../diagnostics/index.js";
import { leaves } from "../semantic/configTree.js";
import { valueText } from "../semantic/valueText.js";
import { explainOriginText } from "../interop/originText.js";
import { loadStdlib } from "../project/stdlib.js";
import type { Resolved } from "../semantic/resolve.js";
import type { ConfigRow } from "./runRecords.js";

export function configRowsWithOrigins(resolved: Resolved, readFile: (path: string) => string, cwd: string): ConfigRow[] {
  const sources = new SourceSet();
  for (const s of loadStdlib().sources) sources.add(s);
  const rows: ConfigRow[] = [];
  for (const [path, node] of leaves(resolved.root)) {
    const file = node.origin.span?.file;
    if (file && !sources.get(file)) sources.add(new SourceFile(file, () => { try { return readFile(file); } catch { return ""; } }));
    rows.push({ key: path.join("."), value: valueText(node), origin: explainOriginText(node.origin, sources, cwd) });
  }
  return rows;
}
