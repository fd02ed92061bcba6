import { test } from "uvu";
import * as assert from "uvu/assert";
import { fmt3, lavisJobId } from "../../src/runtime/train/outputFiles.js";
import { pyDumps, pyInt } from "../../src/runtime/train/pyJson.js";

test('"{:.3f}" as Python formats it', () => {
  assert.is(fmt3(2.34549), "2.345");
  assert.is(fmt3(1e-5), "0.000");
  assert.is(fmt3(2.0625), "2.062"); // exact binary tie → even
  assert.is(fmt3(2.0635), "2.063"); // 2.0635 is stored below the tie
  assert.is(fmt3(0.0005), "0.001"); // stored above the tie
  assert.is(fmt3(-1.5), "-1.500");
  assert.is(fmt3(NaN), "nan");
});

test("json.dumps formatting of log lines", () => {
  assert.is(pyDumps({ val_txt_r1: 100, val_r_mean: 20.833333333333332, val_best_epoch: pyInt(3), small: 1e-7 }),
    '{"val_txt_r1": 100.0, "val_r_mean": 20.833333333333332, "val_best_epoch": 3, "small": 1e-07}');
});

test("job id is %Y%m%d%H%M without its last digit", () => {
  assert.is(lavisJobId(new Date(2024, 0, 18, 14, 37)), "20240118143");
});

test.run();
