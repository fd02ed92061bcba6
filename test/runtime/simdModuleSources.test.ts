// lavisc's own wasm SIMD modules are embedded as base64 next to their .wat sources; the embedded bytes must be exactly
// what `wat2wasm` makes of the source, so that an edit of one without the other fails here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WABT, testWith } from "../harness/requires.js";
import { fromRoot } from "../harness/repoRoot.js";
import { WASM_BASE64 as GELU } from "../../src/runtime/backend/simdGelu.js";
import { WASM_BASE64 as LAYER_NORM } from "../../src/runtime/backend/simdLayerNorm.js";
import { WASM_BASE64 as MATMUL } from "../../src/runtime/backend/simdMatMul.js";
import { WASM_BASE64 as GEMM } from "../../src/runtime/backend/simdGemm.js";
import { WASM_BASE64 as COLUMN_SUM } from "../../src/runtime/backend/simdColumnSum.js";
import { WASM_BASE64 as UPDATES } from "../../src/runtime/backend/simdUpdates.js";

const withWabt = testWith(test, WABT);

for (const [name, embedded] of [["simdGelu", GELU], ["simdLayerNorm", LAYER_NORM], ["simdMatMul", MATMUL], ["simdGemm", GEMM], ["simdColumnSum", COLUMN_SUM], ["simdUpdates", UPDATES]] as const) {
  withWabt(`${name}.ts embeds what wat2wasm makes of ${name}.wat`, () => {
    const dir = mkdtempSync(join(tmpdir(), "lavisc-wat-"));
    try {
      const out = join(dir, `${name}.wasm`);
      const r = spawnSync("wat2wasm", [fromRoot("src", "runtime", "backend", `${name}.wat`), "-o", out], { encoding: "utf8" });
      assert.is(r.status, 0, r.stderr);
      assert.is(readFileSync(out).toString("base64"), embedded, `regenerate: wat2wasm src/runtime/backend/${name}.wat, then base64 into ${name}.ts`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
