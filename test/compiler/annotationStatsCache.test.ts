// Split sizes counted in local annotation files are remembered (src/compiler/annotationStatsCache.ts): in the process,
// and in $LAVISC_CACHE/annotation-stats/ under a fingerprint of each file, so a check with COCO's ~90 MB annotations
// present does not parse them again for every rule, project, edit or command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_COUNTED_FILE_BYTES, readLocalBytes, splitStats } from "../../src/compiler/annotationStats.js";
import { forgetRememberedSplitStats, forgetSplitStatsOf, lookedUpAnnotations, rememberedSplitStats, splitStatsCacheDir } from "../../src/compiler/annotationStatsCache.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-split-stats-"));
const saved = process.env["LAVISC_CACHE"];
const cache = join(root, "cache");

test.before.each(() => {
  process.env["LAVISC_CACHE"] = cache;
  forgetRememberedSplitStats();
});
test.after.each(() => {
  if (saved === undefined) delete process.env["LAVISC_CACHE"];
  else process.env["LAVISC_CACHE"] = saved;
});

const records = (n: number, tag = "a") => JSON.stringify(Array.from({ length: n }, (_, i) => ({ image: `${tag}${i % 3}.jpg`, caption: `caption ${i}` })));
// Its storage root is given, so no environment is read: splitStats gets an empty one.
const dataset = (file: string) => ({ splits: [{ split: "train", annotations: [{ storage: file }] }], storageRoot: root });
const entries = () => readdirSync(splitStatsCacheDir()).filter((f) => f.endsWith(".json"));

test("a split's files are counted once: the same files again come from the process, then from the cache folder", () => {
  const file = join(root, "once.json");
  writeFileSync(file, records(7));
  let counted = 0;
  const count = () => (counted++, splitStats(dataset(file), "train", {}, (p) => readFileSync(p, "utf8")));
  const first = rememberedSplitStats([file], count);
  assert.equal(first, { records: 7, images: 3, texts: 7, files: [file], stringCaptions: { count: 7, file, index: 0 } });
  assert.equal(rememberedSplitStats([file], count), first);
  forgetRememberedSplitStats();
  assert.equal(rememberedSplitStats([file], count), first, "read back from the cache folder");
  assert.is(counted, 1);
  assert.is(entries().length, 1);
});

test("splitStats on the machine's files goes through the cache; the stored count is what it returns", () => {
  const file = join(root, "stored.json");
  writeFileSync(file, records(5));
  assert.is(splitStats(dataset(file), "train", {})?.records, 5);
  // Proof that a later process reads the folder, not the file: a stored count it did not compute itself.
  const [entry] = entries().filter((f) => readFileSync(join(splitStatsCacheDir(), f), "utf8").includes(file));
  const path = join(splitStatsCacheDir(), entry!);
  const stored = JSON.parse(readFileSync(path, "utf8"));
  writeFileSync(path, JSON.stringify({ ...stored, stats: { ...stored.stats, records: 12345 } }));
  forgetRememberedSplitStats();
  assert.is(splitStats(dataset(file), "train", {})?.records, 12345);
});

test("a file that changes is counted again, even at the same size and modification time", () => {
  const file = join(root, "changes.json");
  const sameTime = 1_700_000_000; // seconds: a whole second, which utimes sets exactly
  writeFileSync(file, records(4, "a"));
  utimesSync(file, sameTime, sameTime);
  assert.is(splitStats(dataset(file), "train", {})?.images, 3);
  const before = statSync(file);
  writeFileSync(file, records(4, "b"), { flag: "r+" }); // same length, new content
  utimesSync(file, sameTime, sameTime);
  assert.is(statSync(file).size, before.size);
  assert.is(statSync(file).mtimeMs, before.mtimeMs);
  let counted = 0;
  const again = rememberedSplitStats([file], () => (counted++, splitStats(dataset(file), "train", {}, (p) => readFileSync(p, "utf8"))));
  assert.is(counted, 1, "the rewritten file is counted again");
  assert.is(again?.records, 4);
  writeFileSync(file, records(9));
  assert.is(splitStats(dataset(file), "train", {})?.records, 9);
});

test("a file over the size limit is not read, so its split's size is unknown", () => {
  const file = join(root, "big.json");
  writeFileSync(file, records(3));
  const size = statSync(file).size;
  assert.ok(readLocalBytes(file, size)?.equals(readFileSync(file)));
  assert.is(readLocalBytes(file, size - 1), null);
  assert.ok(MAX_COUNTED_FILE_BYTES >= 256 * 2 ** 20, "COCO's 90 MB files are counted");
  truncateSync(file, MAX_COUNTED_FILE_BYTES + 1); // sparse: no disk is used
  assert.is(splitStats(dataset(file), "train", {}), null);
});

test("a missing file is unknown and stores nothing; an unreadable or foreign cache entry is counted around", () => {
  const missing = join(root, "missing.json");
  assert.is(splitStats(dataset(missing), "train", {}), null);
  assert.is(rememberedSplitStats([missing], () => assert.unreachable("a missing file is not counted") as never), null);
  const file = join(root, "corrupt.json");
  writeFileSync(file, records(3));
  assert.is(splitStats(dataset(file), "train", {})?.records, 3);
  for (const f of entries()) writeFileSync(join(splitStatsCacheDir(), f), "{not json");
  forgetRememberedSplitStats();
  assert.is(splitStats(dataset(file), "train", {})?.records, 3);
  for (const f of entries()) writeFileSync(join(splitStatsCacheDir(), f), JSON.stringify({ format: 1, files: [], stats: { records: 1, images: 1, texts: 1, files: [] } }));
  forgetRememberedSplitStats();
  assert.is(splitStats(dataset(file), "train", {})?.records, 3, "an entry for other files is not used");
});

test("a cache folder that cannot be written: counted each process, never an error", () => {
  const blocker = join(root, "not-a-folder");
  writeFileSync(blocker, "a file where the cache folder would be");
  process.env["LAVISC_CACHE"] = blocker;
  const file = join(root, "nocache.json");
  writeFileSync(file, records(6));
  assert.is(splitStats(dataset(file), "train", {})?.records, 6);
  forgetRememberedSplitStats();
  assert.is(splitStats(dataset(file), "train", {})?.records, 6);
});

test("a file reported changed is counted again, in this process and the next, even under its old fingerprint", () => {
  // A count made for the file's current fingerprint stands for an older version's (a timestamp too coarse to tell a
  // same-size rewrite apart): the editor's watcher says the file changed, and that count must not come back.
  const file = join(root, "watched.json"), other = join(root, "other.json");
  writeFileSync(file, records(5));
  writeFileSync(other, records(2));
  const stale = { records: 999, images: 1, texts: 1, files: [file] };
  let counted = 0;
  const count = () => (counted++, splitStats(dataset(file), "train", {}, (p) => readFileSync(p, "utf8")));
  assert.equal(rememberedSplitStats([file], () => stale), stale);
  assert.is(rememberedSplitStats([other], () => splitStats(dataset(other), "train", {}, (p) => readFileSync(p, "utf8")))?.records, 2);
  assert.equal(rememberedSplitStats([file], count), stale, "remembered under the fingerprint");
  forgetSplitStatsOf((p) => p === other);
  assert.equal(rememberedSplitStats([file], count), stale, "another file's change forgets nothing of this one");
  forgetSplitStatsOf((p) => p === file);
  assert.is(rememberedSplitStats([file], count)?.records, 5, "counted again");
  forgetRememberedSplitStats();
  assert.is(rememberedSplitStats([file], count)?.records, 5, "the stored count is the new one");
  assert.is(counted, 1);
});

test("lookedUpAnnotations says which files a check looked up, missing ones too, also to an enclosing recording", () => {
  const file = join(root, "looked.json"), missing = join(root, "not-there.json");
  writeFileSync(file, records(3));
  const outer = lookedUpAnnotations(() => {
    const inner = lookedUpAnnotations(() => splitStats(dataset(missing), "train", {}));
    assert.is(inner.result, null);
    assert.equal(inner.paths, [missing]);
    return splitStats(dataset(file), "train", {})?.records;
  });
  assert.is(outer.result, 3);
  assert.equal(outer.paths.sort(), [file, missing].sort());
  assert.is(rememberedSplitStats([file], () => null)?.records, 3, "nothing is recorded outside a recording (and nothing breaks)");
});

test.run();
