import type { DistinctImages } from "./distinctImages.js";

// The records of one annotation file, counted from its bytes without building them. COCO's training captions are
// 78 MB of JSON: decoding them to a string and `JSON.parse`-ing them took ~1.5 s and doubled a check's peak memory;
// this scan walks the bytes and keeps only what the split sizes need (annotationStats.ts). It validates the whole
// file as `JSON.parse` does, so a file JSON.parse rejects is rejected here too, and what it reports is what
// `JSON.parse` of the UTF-8-decoded text gives: the number of elements of a top-level array, the distinct `image`
// strings of its object elements (the last `image` key of an object wins, as in JSON.parse), and their caption counts,
// with the records whose `caption` is an empty list (an evaluated retrieval image with nothing to retrieve).

/** What countRecords needs of one file: null when the file is not valid JSON. */
export type RecordScan =
  | { readonly array: false }
  | {
    readonly array: true; readonly records: number; readonly texts: number; readonly allStrings: boolean;
    /** Records whose (last) `caption` is `[]`, and the position of the first (-1: none). */
    readonly uncaptioned: number; readonly firstUncaptioned: number;
    /** Records whose `caption` is a string, and those whose `caption` is a list: each how many and the first. */
    readonly stringCaptions: number; readonly firstStringCaption: number;
    readonly listCaptions: number; readonly firstListCaption: number;
  };

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;
const IN_ARRAY = 0, IN_OBJECT = 1;
const IMAGE = [..."image"].map((c) => c.charCodeAt(0));
const CAPTION = [..."caption"].map((c) => c.charCodeAt(0));
const LITERALS = ["true", "false", "null"].map((w) => [...w].map((c) => c.charCodeAt(0)));

/**
 * Scans `b` (a file's bytes). For a top-level array, adds the `image` strings of its object elements to `images` (a
 * table over `b`) and counts its elements and their captions (a list counts its length, a string one); `allStrings`
 * says whether every element is a string (an answer list).
 */
export function scanRecords(b: Buffer, images: DistinctImages): RecordScan | null {
  const n = b.length;
  let i = skipSpace(b, 0);
  if (i >= n) return null;
  if (b[i] !== OPEN_BRACKET) {
    const end = skipValue(b, i);
    return end >= 0 && skipSpace(b, end) === n ? { array: false } : null;
  }
  let records = 0, texts = 0, allStrings = true, uncaptioned = 0, firstUncaptioned = -1;
  let stringCaptions = 0, firstStringCaption = -1, listCaptions = 0, firstListCaption = -1;
  i = skipSpace(b, i + 1);
  if (b[i] !== CLOSE_BRACKET) {
    for (;;) {
      records++;
      const c = b[i];
      if (c === OPEN_BRACE) {
        allStrings = false;
        const r = scanRecord(b, i, images);
        if (r < 0) return null;
        i = r;
        texts += lastCaptions;
        if (lastCaptionListIsEmpty && uncaptioned++ === 0) firstUncaptioned = records - 1;
        if (lastCaptionShape === STRING_CAPTION && stringCaptions++ === 0) firstStringCaption = records - 1;
        if (lastCaptionShape === LIST_CAPTION && listCaptions++ === 0) firstListCaption = records - 1;
      } else {
        if (c !== QUOTE) allStrings = false;
        i = skipValue(b, i);
        if (i < 0) return null;
      }
      i = skipSpace(b, i);
      if (b[i] === COMMA) i = skipSpace(b, i + 1);
      else if (b[i] === CLOSE_BRACKET) break;
      else return null;
    }
  }
  return skipSpace(b, i + 1) === n ? {
    array: true, records, texts, allStrings, uncaptioned, firstUncaptioned, stringCaptions, firstStringCaption, listCaptions, firstListCaption,
  } : null;
}

/** The captions of the object scanRecord read last (set by it: one number, not an object per record). */
let lastCaptions = 0;
/** Whether that object's `caption` is an empty list (not absent). */
let lastCaptionListIsEmpty = false;
/** What that object's `caption` is: none (absent or neither), a string or a list. */
const NO_CAPTION = 0, STRING_CAPTION = 1, LIST_CAPTION = 2;
let lastCaptionShape = NO_CAPTION;

/** Reads the object at `i` (`{`): adds its last `image` string to `images`, sets lastCaptions; the end, or -1. */
function scanRecord(b: Buffer, i: number, images: DistinctImages): number {
  // The last `image` string: its range, quotes included (imageStart -1: none), and whether it has to be decoded.
  let imageStart = -1, imageEnd = -1, imageIsNotAscii = false;
  let captions = 0, emptyList = false, shape = NO_CAPTION;
  i = skipSpace(b, i + 1);
  if (b[i] === CLOSE_BRACE) {
    lastCaptions = 0;
    lastCaptionListIsEmpty = false;
    lastCaptionShape = NO_CAPTION;
    return i + 1;
  }
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    const keyStart = i;
    i = skipString(b, i);
    if (i < 0) return -1;
    const key = keyIs(b, keyStart, i);
    i = skipSpace(b, i);
    if (b[i] !== COLON) return -1;
    i = skipSpace(b, i + 1);
    const valueStart = i;
    i = skipValue(b, i);
    if (i < 0) return -1;
    if (key === IMAGE) {
      imageStart = b[valueStart] === QUOTE ? valueStart : -1;
      imageEnd = i;
      imageIsNotAscii = lastStringIsNotAscii;
    } else if (key === CAPTION) {
      captions = b[valueStart] === QUOTE ? 1 : b[valueStart] === OPEN_BRACKET ? elementCount(b, valueStart) : 0;
      emptyList = b[valueStart] === OPEN_BRACKET && captions === 0;
      shape = b[valueStart] === QUOTE ? STRING_CAPTION : b[valueStart] === OPEN_BRACKET ? LIST_CAPTION : NO_CAPTION;
    }
    i = skipSpace(b, i);
    if (b[i] === COMMA) i = skipSpace(b, i + 1);
    else if (b[i] === CLOSE_BRACE) break;
    else return -1;
  }
  if (imageStart >= 0 && imageIsNotAscii) images.addDecoded(JSON.parse(b.toString("utf8", imageStart, imageEnd)) as string);
  else if (imageStart >= 0) images.addPlain(imageStart + 1, imageEnd - 1);
  lastCaptions = captions;
  lastCaptionListIsEmpty = emptyList;
  lastCaptionShape = shape;
  return i + 1;
}

/** IMAGE or CAPTION when the key string at [start, end) (quotes included; skipString just read it) is that name. */
function keyIs(b: Buffer, start: number, end: number): readonly number[] | null {
  if (lastStringIsNotAscii) {
    const name = JSON.parse(b.toString("utf8", start, end)) as string;
    return name === "image" ? IMAGE : name === "caption" ? CAPTION : null;
  }
  const length = end - start - 2;
  if (length === IMAGE.length && bytesAre(b, start + 1, IMAGE)) return IMAGE;
  if (length === CAPTION.length && bytesAre(b, start + 1, CAPTION)) return CAPTION;
  return null;
}

function bytesAre(b: Uint8Array, at: number, word: readonly number[]): boolean {
  for (let k = 0; k < word.length; k++) if (b[at + k] !== word[k]) return false;
  return true;
}

/** The elements of the (valid) array at `i`. */
function elementCount(b: Uint8Array, i: number): number {
  i = skipSpace(b, i + 1);
  if (b[i] === CLOSE_BRACKET) return 0;
  let count = 0;
  for (;;) {
    count++;
    i = skipSpace(b, skipValue(b, i));
    if (b[i] !== COMMA) return count;
    i = skipSpace(b, i + 1);
  }
}

function skipSpace(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i;
}

/**
 * The end of the JSON value at `i`, or -1 where the text is not JSON. Nested containers are followed with a stack of
 * their kinds, not recursion: any depth JSON.parse accepts is accepted here without exhausting the call stack.
 */
function skipValue(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  return c === OPEN_BRACE || c === OPEN_BRACKET ? skipNested(b, i) : skipScalar(b, i);
}

/** A number, `true`, `false` or `null` at `i`: its end, or -1. */
function skipScalar(b: Uint8Array, i: number): number {
  const c = b[i];
  return c === MINUS || (c !== undefined && c >= ZERO && c <= NINE) ? skipNumber(b, i) : skipLiteral(b, i);
}

/** skipValue of an object or a list. */
function skipNested(b: Uint8Array, i: number): number {
  const open: number[] = [];
  for (;;) {
    const c = b[i];
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      i = skipSpace(b, i + 1);
      if (b[i] === close) i++;
      else {
        open.push(c === OPEN_BRACE ? IN_OBJECT : IN_ARRAY);
        if (c === OPEN_BRACE && (i = skipKey(b, i)) < 0) return -1;
        continue;
      }
    } else if (c === QUOTE) i = skipString(b, i);
    else i = skipScalar(b, i);
    if (i < 0) return -1;
    // A value ended: close what it ends, or go on to the next element or member.
    for (;;) {
      if (!open.length) return i;
      i = skipSpace(b, i);
      const inObject = open[open.length - 1] === IN_OBJECT;
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        if (inObject && (i = skipKey(b, i)) < 0) return -1;
        break;
      }
      if (b[i] !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      open.pop();
      i++;
    }
  }
}

/** Past `"key" :` and the space after it, at the member's value; -1 where that is not there. */
function skipKey(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) return -1;
  i = skipString(b, i);
  if (i < 0) return -1;
  i = skipSpace(b, i);
  return b[i] === COLON ? skipSpace(b, i + 1) : -1;
}

/** Whether the string skipString read last has an escape or a byte outside ASCII (so its bytes are not its text). */
let lastStringIsNotAscii = false;

/** The end of the string at `i` (its opening quote), or -1: JSON strings hold no raw control characters. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  lastStringIsNotAscii = false;
  while (++i < n) {
    const c = b[i]!;
    if (c > BACKSLASH) {
      if (c >= 0x80) lastStringIsNotAscii = true;
      continue; // most of a string's bytes: lower-case letters, `_`, UTF-8
    }
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      lastStringIsNotAscii = true;
      const e = b[++i];
      if (e === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(b[i + k])) return -1;
        i += 4;
      } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/** The end of the number at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === DOT) {
    if (!isDigit(b[++i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

function skipLiteral(b: Uint8Array, i: number): number {
  for (const word of LITERALS) if (bytesAre(b, i, word)) return i + word.length;
  return -1;
}
