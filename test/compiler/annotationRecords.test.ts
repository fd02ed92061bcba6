import { test } from "uvu";
import * as assert from "uvu/assert";
import { scanRecords } from "../../src/compiler/annotationRecords.js";
import { DistinctImages } from "../../src/compiler/distinctImages.js";
import { splitStats } from "../../src/compiler/annotationStats.js";
import { seededRandom } from "../harness/seededRandom.js";

// Annotation files are counted from their bytes (annotationRecords.ts), not with JSON.parse. What they give must be
// what JSON.parse of the UTF-8-decoded text gives, for every input: the reference below is that, written plainly.

interface Reference {
  readonly valid: boolean;
  readonly array: boolean;
  readonly records: number;
  readonly texts: number;
  readonly allStrings: boolean;
  readonly images: Set<string>;
  readonly uncaptioned: number;
  readonly firstUncaptioned: number;
  readonly stringCaptions: number;
  readonly firstStringCaption: number;
  readonly listCaptions: number;
  readonly firstListCaption: number;
}

const NO_SHAPES = { stringCaptions: 0, firstStringCaption: -1, listCaptions: 0, firstListCaption: -1 };

function reference(bytes: Buffer): Reference {
  const images = new Set<string>();
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { valid: false, array: false, records: 0, texts: 0, allStrings: false, images, uncaptioned: 0, firstUncaptioned: -1, ...NO_SHAPES };
  }
  if (!Array.isArray(data)) return { valid: true, array: false, records: 0, texts: 0, allStrings: false, images, uncaptioned: 0, firstUncaptioned: -1, ...NO_SHAPES };
  let texts = 0, uncaptioned = 0, firstUncaptioned = -1;
  let stringCaptions = 0, firstStringCaption = -1, listCaptions = 0, firstListCaption = -1;
  for (const [index, r] of data.entries()) {
    const rec = r as Record<string, unknown>;
    if (typeof rec?.["image"] === "string") images.add(rec["image"]);
    const cap = rec?.["caption"];
    texts += Array.isArray(cap) ? cap.length : typeof cap === "string" ? 1 : 0;
    if (Array.isArray(cap) && cap.length === 0 && uncaptioned++ === 0) firstUncaptioned = index;
    if (typeof cap === "string" && stringCaptions++ === 0) firstStringCaption = index;
    if (Array.isArray(cap) && listCaptions++ === 0) firstListCaption = index;
  }
  return {
    valid: true, array: true, records: data.length, texts, allStrings: data.every((x) => typeof x === "string"), images, uncaptioned, firstUncaptioned,
    stringCaptions, firstStringCaption, listCaptions, firstListCaption,
  };
}

function assertSame(bytes: Buffer, what: string): void {
  const want = reference(bytes);
  const images = new DistinctImages(bytes);
  const got = scanRecords(bytes, images);
  if (!want.valid) return assert.is(got, null, `${what}: JSON.parse rejects it`);
  assert.ok(got, `${what}: JSON.parse accepts it`);
  if (!want.array) return assert.equal(got, { array: false }, what);
  assert.equal(got, { array: true, records: want.records, texts: want.texts, allStrings: want.allStrings, uncaptioned: want.uncaptioned, firstUncaptioned: want.firstUncaptioned,
    stringCaptions: want.stringCaptions, firstStringCaption: want.firstStringCaption, listCaptions: want.listCaptions, firstListCaption: want.firstListCaption,
  }, what);
  assert.is(images.size, want.images.size, `${what}: distinct images`);
  assert.equal(new Set(images.strings()), want.images, `${what}: the images themselves`);
}

const CASES = [
  `[]`, ` [ ] `, `[{}]`, `[{"image":"a.jpg","caption":"x"},{"image":"a.jpg","caption":["p","q"]},{"image":"b.jpg"}]`,
  `[{"image":"a","image":5},{"image":5,"image":"b"},{"caption":[],"caption":"only the last"}]`,
  `[{"im\\u0061ge":"a"},{"image":"a"},{"image":"\\u0061"},{"\\u0063aption":[1,2,3]}]`,
  `[{"image":"val\\/1.jpg"},{"image":"val/1.jpg"},{"image":"val/2.jpg"},{"image":"val\\/2.jpg"}]`,
  `[{"image":"caf\u00e9.jpg"},{"image":"caf\\u00e9.jpg"},{"image":"\ud83d\ude00"},{"image":"\\ud83d"}]`,
  `["yes","no"]`, `["yes",1]`, `[null,true,false,0,-0,1.5e3,-2E-2,[],{},[[{"image":"nested"}]]]`,
  `{"image":"a"}`, `"text"`, `12`, `null`, `{"a":[1,{"b":null}]}`,
  `[{"image":"a","caption":{"not":"a list"}},{"caption":null},{"image":null}]`,
  `[{"__proto__":{"image":"x"}},{"constructor":"y"}]`,
  `[{"image":"a","caption":["x"]},{"image":"b","caption":[ ]},{"caption":"x","caption":[]},{"caption":[],"caption":["y"]},{"captions":[]}]`,
  // Not JSON: each is rejected by JSON.parse.
  ``, ` `, `[`, `[1,]`, `[,1]`, `[1 2]`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{1:2}`, `[01]`, `[1.]`, `[.5]`, `[1e]`, `[-]`,
  `[+1]`, `[0x10]`, `[NaN]`, `[tru]`, `[nulll]`, `["a\\x"]`, `["\\u12g4"]`, `["tab\there"]`, `["line\nbreak"]`, `['a']`,
  `[] []`, `[]x`, `{"a":1}}`, `[{"image":"a"]`, `[{"image" "a"}]`, `/* c */ []`, `\ufeff[]`,
];

test("each hand-written case gives what JSON.parse gives", () => {
  for (const c of CASES) assertSame(Buffer.from(c, "utf8"), JSON.stringify(c));
});

test("bytes that are not UTF-8 count as JSON.parse of their decoded text counts them", () => {
  const parts = (...xs: (string | number[])[]) => Buffer.concat(xs.map((x) => (typeof x === "string" ? Buffer.from(x) : Buffer.from(x))));
  assertSame(parts(`[{"image":"a`, [0xff], `"},{"image":"a`, [0xfe], `"},{"image":"a\\ufffd"}]`), "invalid bytes decode to U+FFFD");
  assertSame(parts(`[{"image":"`, [0xe2, 0x82], `"},{"image":"`, [0xe2], `"}]`), "truncated sequences");
  assertSame(parts(`[`, [0xc3, 0xa9], `]`), "a letter outside a string");
  assertSame(parts([0xef, 0xbb, 0xbf], `[]`), "a byte order mark");
});

const PIECES = ["image", "caption", "a.jpg", "b.jpg", "\\/", "\\u0061", "\u00e9", "\\n", " ", "\t", "x"];

function generated(next: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const text = () => `"${Array.from({ length: Math.floor(next() * 3) }, () => pick(PIECES)).join("")}"`;
  const kind = depth > 3 ? Math.floor(next() * 3) : Math.floor(next() * 6);
  if (kind === 0) return text();
  if (kind === 1) return pick(["0", "-1", "2.5", "1e9", "true", "false", "null"]);
  if (kind === 2) return `"${pick(["a.jpg", "b.jpg", "c.jpg"])}"`;
  if (kind === 3) return `[${Array.from({ length: Math.floor(next() * 4) }, () => generated(next, depth + 1)).join(",")}]`;
  const keys = () => pick(["image", "caption", "im\\u0061ge", "other", "image_id"]);
  return `{${Array.from({ length: Math.floor(next() * 4) }, () => `"${keys()}" : ${generated(next, depth + 1)}`).join(", ")}}`;
}

/** Breaks valid JSON the ways files break: cut short, a byte dropped, doubled or replaced. */
function mutated(next: () => number, text: string): string {
  const at = Math.floor(next() * (text.length + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  switch (Math.floor(next() * 4)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + text.slice(at + 1);
    case 2: return text.slice(0, at) + text[at] + text.slice(at);
    default: return text.slice(0, at) + pick([",", "]", "}", "\"", "\\", ":", "\n", "0", "-", "e", "."]) + text.slice(at + 1);
  }
}

test("5,000 generated arrays of records, and 5,000 broken ones, give what JSON.parse gives", () => {
  const next = seededRandom(13);
  for (let n = 0; n < 5000; n++) {
    const records = Array.from({ length: Math.floor(next() * 6) }, () => generated(next, 1));
    const text = `[${records.join(next() < 0.5 ? "," : " ,\n ")}]`;
    assertSame(Buffer.from(text), `case ${n}: ${text}`);
    const broken = mutated(next, text);
    assertSame(Buffer.from(broken), `broken case ${n}: ${broken}`);
  }
});

test("the table of distinct images grows, and an escaped image equals its plain spelling", () => {
  const names = Array.from({ length: 5000 }, (_, i) => `val2014/COCO_${i % 1700}.jpg`);
  const records = names.map((n, i) => ({ image: i % 3 === 0 ? n.replace("/", "\\/") : n }));
  const text = JSON.stringify(records).replaceAll("\\\\/", "\\/");
  assertSame(Buffer.from(text), "5,000 records, 1,700 images, a third of them escaped");
  assert.is(reference(Buffer.from(text)).images.size, 1700);
});

test("a split of several files counts the union of their images, and skips an answer list after the records", () => {
  const files: Record<string, string> = {
    "/a.json": JSON.stringify([{ image: "x.jpg", caption: "1" }, { image: "y.jpg", caption: ["2", "3"] }]),
    "/b.json": JSON.stringify([{ image: "y.jpg", caption: "4" }, { image: "z.jpg" }]),
    "/answers.json": JSON.stringify(["yes", "no"]),
    "/coco_format.json": JSON.stringify({ annotations: [] }),
  };
  const ds = (...paths: string[]) => ({ splits: [{ split: "train", annotations: paths.map((storage) => ({ storage })) }], storageRoot: "/" });
  const read = (p: string) => files[p] ?? null;
  const env = {}; // the storage root is given: no environment is read
  assert.equal(splitStats(ds("/a.json", "/b.json", "/answers.json", "/coco_format.json"), "train", env, read), {
    records: 4, images: 3, texts: 4, files: ["/a.json", "/b.json"],
    stringCaptions: { count: 2, file: "/a.json", index: 0 }, listCaptions: { count: 1, file: "/a.json", index: 1 },
  });
  assert.is(splitStats(ds("/coco_format.json", "/a.json"), "train", env, read), null, "records must come first");
  assert.is(splitStats(ds("/a.json", "/missing.json"), "train", env, read), null);
  assert.equal(splitStats(ds("/answers.json"), "train", env, read), { records: 2, images: 0, texts: 0, files: ["/answers.json"] });
});

test.run();
