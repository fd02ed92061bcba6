import { test } from "uvu";
import * as assert from "uvu/assert";
import { groupDigits } from "../../src/diagnostics/index.js";

test("groupDigits writes what toLocaleString('en-US') writes for whole numbers", () => {
  const values = [0, 7, 999, 1000, 12345, 999999, 1000000, 57600, 113287, 1234567890, -1, -1000, -987654321, Number.MAX_SAFE_INTEGER];
  for (const v of values) assert.is(groupDigits(v), v.toLocaleString("en-US"), String(v));
});

test.run();
