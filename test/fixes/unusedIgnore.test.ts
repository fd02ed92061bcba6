import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyEdits, unusedIgnoreCodesEdit, unusedIgnoreEdit } from "../../src/fixes/index.js";

// Removing unused `lavisc: ignore` codes: one code, several of one list at once, the whole comment.

function starts(text: string, ...codes: string[]): number[] {
  return codes.map((c) => text.indexOf(c));
}

test("one unused code of a list goes with its comma", () => {
  const text = "x = 1 // lavisc: ignore[LV4010, LV4019]\n";
  const [s] = starts(text, "LV4010");
  assert.is(applyEdits(text, [unusedIgnoreEdit(text, s!, s! + 6)!]), "x = 1 // lavisc: ignore[LV4019]\n");
});

test("two unused codes of one list are one edit; the comment goes when none is left", () => {
  const text = "run:  # lavisc: ignore[LV4010, LV5006, LV4019]\r\nnext: 1\n";
  const some = starts(text, "LV4010", "LV4019");
  assert.is(applyEdits(text, [unusedIgnoreCodesEdit(text, some, some[1]! + 6)!]), "run:  # lavisc: ignore[LV5006]\r\nnext: 1\n");
  const all = starts(text, "LV4010", "LV5006", "LV4019");
  assert.is(applyEdits(text, [unusedIgnoreCodesEdit(text, all, all[2]! + 6)!]), "run:\r\nnext: 1\n");
});

test("a comment alone on its line (an ignore-next-line) goes with its line", () => {
  const text = "run:\n  # lavisc: ignore-next-line[LV4010]\n  seed: 1\n";
  const [s] = starts(text, "LV4010");
  assert.is(applyEdits(text, [unusedIgnoreEdit(text, s!, s! + 6)!]), "run:\n  seed: 1\n");
});

test("a code outside a list on its line gives no edit", () => {
  const text = "x = 1 // LV4010\n";
  assert.is(unusedIgnoreEdit(text, 9, 15), null);
});

test.run();
