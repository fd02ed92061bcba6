import { test } from "uvu";
import * as assert from "uvu/assert";
import { yamlInt } from "../../src/semantic/yamlNumbers.js";
import { seededRandom } from "../harness/seededRandom.js";

// yamlInt reads short decimals without BigInt; the result must be what PyYAML's int means, exactly.

test("ints as PyYAML reads them: signs, -0, octal, hex, binary, underscores, sexagesimal, beyond 2^53", () => {
  const cases: [string, number, string?][] = [
    ["0", 0], ["-0", 0], ["+0", 0], ["+5", 5], ["-5", -5], ["007", 7], ["1_000", 1000], ["0x1f", 31], ["0b11", 3], ["1:30", 90],
    ["123456789012345", 123456789012345], ["-999999999999999", -999999999999999], ["1234567890123456", 1234567890123456],
    ["9007199254740993", 9007199254740992, "9007199254740993"], ["-9007199254740993", -9007199254740992, "-9007199254740993"],
  ];
  for (const [text, value, exact] of cases) {
    const r = yamlInt(text);
    assert.ok(Object.is(r.value, value), `${text}: ${r.value}`);
    assert.is(r.exact, exact, text);
  }
});

test("every decimal of up to 17 digits: the value is the nearest double of the exact int", () => {
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const digits = 1 + Math.floor(random() * 17);
    let text = String(1 + Math.floor(random() * 9));
    for (let d = 1; d < digits; d++) text += String(Math.floor(random() * 10));
    if (random() < 0.3) text = `-${text}`;
    const exact = BigInt(text);
    const r = yamlInt(text);
    assert.is(r.value, Number(exact), text);
    assert.is(r.exact, Number.isSafeInteger(Number(exact)) ? undefined : exact.toString(), text);
  }
});

test.run();
