import { test } from "uvu";
import * as assert from "uvu/assert";
import { jsonSource, measureChevrotainJson } from "../../bench/chevrotainCalibration.js";

// bench:compile's scale for (d): chevrotain's JSON example grammar, built with and without a tree, must parse the
// whole calibration text (a grammar that stopped at the first token would report a huge rate).

test("the calibration text is JSON of about the .lv benchmark's size", () => {
  const text = jsonSource();
  assert.ok(Array.isArray(JSON.parse(text)));
  assert.ok(text.length >= 360_000 && text.length < 400_000, `${text.length} bytes`);
});

test("both builds of the JSON grammar parse the whole text", () => {
  for (const build of ["tree", "noTree"] as const) {
    const r = measureChevrotainJson(build, 1);
    assert.ok(r.tokens > 50_000, `${build}: ${r.tokens} tokens`);
    assert.ok(r.mbPerSec > 0 && Number.isFinite(r.mbPerSec), `${build}: ${r.mbPerSec} MB/s`);
  }
});

test.run();
