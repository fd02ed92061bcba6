// The distinct `image` strings of an annotation file, counted without making a string of each: COCO's training file
// names one of 113,287 images in each of its 566,747 records, and making those strings (Buffer to string, ~0.3 us
// each) and adding them to a Set took longer than scanning the whole file. Plain ASCII strings (almost all) are kept
// as their byte ranges in the file, in an open-addressing table keyed by a hash of the bytes and compared byte by
// byte, so the count is exact; a string with an escape or a byte outside ASCII is decoded and kept as text.

const EMPTY = -1;
/** FNV-1a, 32 bits (as int32, which the table stores). */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export class DistinctImages {
  /** Start and end offsets (in `bytes`) of each distinct plain string; a slot's start is EMPTY when unused. (Int32:
   * annotationStats.ts reads no file over 512 MiB.) */
  private ranges = new Int32Array(2 * 1024).fill(EMPTY);
  private hashes = new Int32Array(1024);
  private plainCount = 0;
  /** Decoded strings: those with a character outside ASCII (no plain string equals one), and ASCII ones that were
   * escaped in the file and equal no plain string seen before them. */
  private readonly decoded = new Set<string>();

  constructor(private readonly bytes: Buffer) {}

  get size(): number {
    return this.plainCount + this.decoded.size;
  }

  /** Adds the string whose bytes, ASCII without escapes, are bytes[start, end). */
  addPlain(start: number, end: number): void {
    const b = this.bytes;
    let h = FNV_OFFSET;
    for (let k = start; k < end; k++) h = Math.imul(h ^ b[k]!, FNV_PRIME);
    this.insert(h, start, end, null);
  }

  /** Adds a string decoded from an escaped or non-ASCII JSON string. */
  addDecoded(text: string): void {
    let h = FNV_OFFSET;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80) return void this.decoded.add(text);
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    this.insert(h, -1, -1, text);
  }

  /** Every distinct string, as text (to merge the images of several files). */
  *strings(): IterableIterator<string> {
    for (let s = 0; s < this.hashes.length; s++) {
      const start = this.ranges[2 * s]!;
      if (start !== EMPTY) yield this.bytes.toString("latin1", start, this.ranges[2 * s + 1]!);
    }
    yield* this.decoded;
  }

  /** Adds bytes[start, end), or `text` (ASCII) when given, unless an equal string is in the table. */
  private insert(hash: number, start: number, end: number, text: string | null): void {
    const mask = this.hashes.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const at = this.ranges[2 * s]!;
      if (at === EMPTY) break;
      if (this.hashes[s] === hash && this.equal(at, this.ranges[2 * s + 1]!, start, end, text)) return;
    }
    // A decoded ASCII string not in the table is kept with the decoded ones (a plain string added later looks there too).
    if (text !== null) {
      this.decoded.add(text);
      return;
    }
    if (this.decodedHas(start, end)) return;
    let s = hash & mask;
    while (this.ranges[2 * s] !== EMPTY) s = (s + 1) & mask;
    this.ranges[2 * s] = start;
    this.ranges[2 * s + 1] = end;
    this.hashes[s] = hash;
    if (++this.plainCount * 2 > this.hashes.length) this.grow();
  }

  private decodedHas(start: number, end: number): boolean {
    return this.decoded.size > 0 && this.decoded.has(this.bytes.toString("latin1", start, end));
  }

  private equal(at: number, atEnd: number, start: number, end: number, text: string | null): boolean {
    const b = this.bytes;
    const length = atEnd - at;
    if (text !== null) {
      if (text.length !== length) return false;
      for (let k = 0; k < length; k++) if (b[at + k] !== text.charCodeAt(k)) return false;
      return true;
    }
    if (end - start !== length) return false;
    for (let k = 0; k < length; k++) if (b[at + k] !== b[start + k]) return false;
    return true;
  }

  private grow(): void {
    const { ranges, hashes } = this;
    this.ranges = new Int32Array(2 * 2 * hashes.length).fill(EMPTY);
    this.hashes = new Int32Array(2 * hashes.length);
    const mask = this.hashes.length - 1;
    for (let s = 0; s < hashes.length; s++) {
      if (ranges[2 * s] === EMPTY) continue;
      let t = hashes[s]! & mask;
      while (this.ranges[2 * t] !== EMPTY) t = (t + 1) & mask;
      this.ranges[2 * t] = ranges[2 * s]!;
      this.ranges[2 * t + 1] = ranges[2 * s + 1]!;
      this.hashes[t] = hashes[s]!;
    }
  }
}
