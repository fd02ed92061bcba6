import { test } from "uvu";
import * as assert from "uvu/assert";
import { measureCoreScaling } from "../../bench/coreScaling.js";

// bench:runtime's machine row runs lavisc's GELU module in worker threads; it broke once when the module began to
// import its memory. The numbers themselves are the benchmark's (never asserted here), only that they come out.
test("bench/coreScaling runs the SIMD module and the scalar loop on 2 threads and gives finite ratios", async () => {
  const r = await measureCoreScaling(2, 1);
  assert.is(r.threads, 2);
  assert.ok(Number.isFinite(r.simd) && r.simd > 0, String(r.simd));
  assert.ok(Number.isFinite(r.scalar) && r.scalar > 0, String(r.scalar));
});

test.run();
