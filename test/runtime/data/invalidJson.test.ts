import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readJsonFile } from "../../../src/runtime/data/annotations.js";
import { pythonJsonConstant } from "../../../src/runtime/data/invalidJson.js";
import { scanRecords } from "../../../src/compiler/annotationRecords.js";
import { DistinctImages } from "../../../src/compiler/distinctImages.js";

// Python's json.load (LAVIS's BaseDataset) accepts NaN, Infinity and -Infinity; lavisc refuses them, says where, and
// says why. The runtime (JSON.parse) and check's byte scanner agree: neither reads such a file.
const test = suite("annotation files that are not JSON");

async function messageOf(text: string): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "lavisc-json-")), "ann.json");
  writeFileSync(path, text);
  try {
    await readJsonFile(path);
  } catch (e) {
    return (e as Error).message.replace(path, "ann.json");
  }
  throw new Error("read a file that is not JSON");
}

test("NaN, Infinity and -Infinity: located, with what Python would do and why lavisc does not", async () => {
  for (const [constant, col] of [["NaN", 31], ["Infinity", 31], ["-Infinity", 31]] as const) {
    const text = `[\n  {"image": "a.png", "caption": ["a NaN cat"]},\n  {"image": "b.png", "label": ${constant}}\n]`;
    const message = await messageOf(text);
    assert.match(message, new RegExp(`^ann\\.json:3:${col}: \`${constant}\` is not JSON\\. Python's json\\.load, which LAVIS reads annotations with, accepts NaN, Infinity and -Infinity; lavisc does not`), constant);
    assert.is(scanRecords(Buffer.from(text), new DistinctImages(Buffer.from(text))), null, `the scanner rejects ${constant} too`);
  }
});

test("a NaN inside a string is text, not the constant; other errors keep JSON.parse's reason, located when it gives a position", async () => {
  assert.is(pythonJsonConstant('["NaN", "a \\" Infinity"]'), null);
  assert.match(await messageOf('[1,\n 2'), /^ann\.json:2:3 is not valid JSON: /);
  assert.match(await messageOf('[1, x]'), /^ann\.json is not valid JSON: Unexpected token/);
});

test.run();
