import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { typedDifferences, typedJson, type TypedJson } from "../../src/interop/configCompare.js";
import { omegaConf } from "../interop/interopHarness.js";

// lavisc's YAML reader against the real OmegaConf (OmegaConf.load through /usr/bin/python3): shared by the YAML
// conformance tests, which run it under testWith(…, OMEGACONF).

const isError = (v: TypedJson | undefined) => !!v && typeof v === "object" && !Array.isArray(v) && "$error" in v;

/** `t` as JSON with every character JSON leaves raw outside printable ASCII spelled out (`<7f>`), so a failure shows it. */
const visible = (t: string) => JSON.stringify(t).replace(/[^\x20-\x7e]/gu, (c) => `<${c.codePointAt(0)!.toString(16)}>`);

/**
 * Writes each text to a file, loads them all with OmegaConf, and lists where lavisc reads a text differently: other
 * types or values, or one refuses what the other reads (`tolerated`: lavisc's error codes that may stand where
 * OmegaConf loads the file).
 */
export function differences(texts: readonly string[], tolerated: (codes: string[]) => boolean = () => false): string[] {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-yaml-oracle-"));
  try {
    const files = texts.map((t, i) => {
      const f = join(dir, `${i}.yaml`);
      writeFileSync(f, t);
      return f;
    });
    const oc = omegaConf("load", files);
    const problems: string[] = [];
    texts.forEach((t, i) => {
      const r = readYaml(t, files[i]!);
      const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
      const theirs = oc[files[i]!];
      if (errors.length && !isError(theirs) && tolerated(errors)) return;
      const lavisc = r.root && !errors.length ? typedJson(r.root) : null;
      if (lavisc === null || isError(theirs)) {
        if ((lavisc === null) !== isError(theirs)) problems.push(`${visible(t)}: lavisc ${lavisc === null ? errors.join(",") : JSON.stringify(lavisc)}, OmegaConf ${JSON.stringify(theirs)}`);
        return;
      }
      const d = typedDifferences(lavisc, theirs!);
      if (d.length) problems.push(`${visible(t)}: ${d.join("; ")}`);
    });
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
