import type { CompileOptions } from "../../index.js";
import { fixText, type AppliedFix, type RefusedFix } from "../../fixes/index.js";
import type { Host } from "../host.js";

export type { AppliedFix, RefusedFix } from "../../fixes/index.js";

// `lavisc check --fix` on one file: its text fixed by fixText (src/fixes/fixText.ts), written once, atomically,
// when anything changed.

export function fixFile(host: Host, path: string, opts: CompileOptions): { applied: AppliedFix[]; refused: RefusedFix[] } {
  let text: string;
  try {
    text = host.readFile(path);
  } catch {
    return { applied: [], refused: [] }; // the check reports it
  }
  const r = fixText(path, text, host, opts);
  if (r.text !== text) host.writeFileAtomic(path, r.text);
  return { applied: r.applied, refused: r.refused };
}
