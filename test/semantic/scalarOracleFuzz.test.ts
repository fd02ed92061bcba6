import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { typedDifferences, typedJson, type TypedJson } from "../../src/interop/configCompare.js";
import { omegaConf } from "../interop/interopHarness.js";
import { OMEGACONF, testWith } from "../harness/requires.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";

// lavisc's YAML reader against the real OmegaConf on random plain scalars built from the pieces YAML 1.1's resolvers
// care about (digits, signs, `_`, `:`, `0x`, `.inf`, booleans, ...): the same type and value, or both refuse the file.
// Seeded, so a failure reproduces. This is how `0x_` and `._` were found (OmegaConf.load raises; lavisc read a string
// and NaN).

const test = suite("YAML scalars against OmegaConf");
const PIECES = ["_", ".", "_", ".", "0", "1", "7", "9", "00", "12", ".", "e", "E", "+", "-", "_", ":", "x", "X", "o", "b", "0x", "0o", "0b", "inf", "Inf", "INF", "nan", "NaN", ".inf", ".nan", "true", "True", "yes", "No", "on", "OFF", "null", "Null", "~", " ", "a", "f", "60", "59", "1e5", "e-", "e+"];
const CASES = 1500;

function randomScalars(seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = seededPick(rnd);
  const out = new Set<string>();
  while (out.size < CASES) {
    const n = 1 + Math.floor(rnd() * 4);
    let s = "";
    for (let j = 0; j < n; j++) s += pick(PIECES);
    if (s.trim() === s && s !== "") out.add(s); // leading/trailing spaces are not part of a plain scalar
  }
  return [...out];
}

const isError = (v: TypedJson | undefined) => !!v && typeof v === "object" && !Array.isArray(v) && "$error" in v;

testWith(test, OMEGACONF)(`${CASES} random plain scalars read as OmegaConf.load reads them`, () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-scalars-"));
  try {
    const scalars = randomScalars(20261204);
    const files = scalars.map((s, i) => {
      const f = join(dir, `${i}.yaml`);
      writeFileSync(f, `k: ${s}\n`);
      return f;
    });
    const oc = omegaConf("load", files);
    const problems: string[] = [];
    scalars.forEach((s, i) => {
      const r = readYaml(`k: ${s}\n`, files[i]!);
      const lavisc = r.root && !r.diagnostics.some((d) => d.severity === "error") ? typedJson(r.root) : null;
      const theirs = oc[files[i]!];
      if (lavisc === null || isError(theirs)) {
        if ((lavisc === null) !== isError(theirs)) problems.push(`${JSON.stringify(s)}: lavisc ${lavisc === null ? r.diagnostics.map((d) => d.code).join(",") : JSON.stringify(lavisc)}, OmegaConf ${JSON.stringify(theirs)}`);
        return;
      }
      const d = typedDifferences(lavisc, theirs!);
      if (d.length) problems.push(`${JSON.stringify(s)}: ${d.join("; ")}`);
    });
    assert.equal(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
