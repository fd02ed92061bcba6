import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { annotationAction, cacheDir, ensureAnnotationFile, ensureWeightsFile, resolveStorage } from "../../../src/runtime/data/cache.js";
import { DataError } from "../../../src/runtime/data/dataError.js";

const WEIGHTS = "not really safetensors, but bytes to cache";
const BODY = JSON.stringify([{ image: "a.png", caption: "a red circle", image_id: 1 }]);
const md5 = (s: string): string => createHash("md5").update(s).digest("hex");
const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

let server: Server;
let base = "";
const hits: Record<string, number> = {};

const test = suite("download cache (loopback server)");

test.before(async () => {
  server = createServer((req, res) => {
    hits[req.url!] = (hits[req.url!] ?? 0) + 1;
    if (req.url === "/w/model.safetensors") { res.writeHead(200); res.end(WEIGHTS); return; }
    if (req.url === "/ann.json") { res.writeHead(200, { "content-type": "application/json" }); res.end(BODY); return; }
    if (req.url === "/truncated.json") {
      // Promise more bytes than are sent, then drop the connection: a partial download.
      res.writeHead(200, { "content-length": String(BODY.length * 2) });
      res.write(BODY);
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(404); res.end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const freshRoot = (): string => mkdtempSync(join(tmpdir(), "lavisc-cache-"));
const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes(".part-"));

test("downloads into storage with checksums verified, then reuses the cached file", async () => {
  const root = freshRoot();
  const src = { url: `${base}/ann.json`, storage: "coco/annotations/ann.json", md5: md5(BODY), sha256: sha256(BODY) };
  const first = await ensureAnnotationFile({ storageRoot: root }, src);
  assert.is(first.fetched, true);
  assert.is(first.path, join(root, "coco/annotations/ann.json"));
  assert.is(readFileSync(first.path, "utf8"), BODY);
  const before = hits["/ann.json"];
  const second = await ensureAnnotationFile({ storageRoot: root }, src);
  assert.is(second.fetched, false);
  assert.is(hits["/ann.json"], before, "no second request");
});

test("checksum mismatch is rejected and leaves no file behind", async () => {
  const root = freshRoot();
  try {
    await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/ann.json`, storage: "ann.json", md5: "0".repeat(32) });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.ok(e instanceof DataError && e.code === "checksum-mismatch", String(e));
    assert.match((e as Error).message, /md5 is [0-9a-f]{32}, expected 0{32}/);
  }
  assert.not.ok(existsSync(join(root, "ann.json")));
  assert.equal(leftovers(root), []);
});

test("a truncated download is never used, and an HTTP error is a download failure", async () => {
  const root = freshRoot();
  try {
    await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/truncated.json`, storage: "t.json" });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.ok(e instanceof DataError && e.code === "download-failed", String(e));
  }
  assert.not.ok(existsSync(join(root, "t.json")));
  assert.equal(leftovers(root), []);
  try {
    await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/nope.json`, storage: "n.json" });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.match(String(e), /HTTP 404/);
  }
});

test("an existing annotation file is the user's: used as it is, never checksummed against md5, never replaced (as LAVIS)", async () => {
  const root = freshRoot();
  writeFileSync(join(root, "ann.json.part-1-stale"), "[{\"partial");
  const mine = "[{\"image\": \"mine.png\", \"caption\": \"my own data\", \"image_id\": 7}]";
  writeFileSync(join(root, "ann.json"), mine);
  const before = hits["/ann.json"] ?? 0;
  // A standard builder's default url and md5 kept, storage pointed at the user's own file.
  const got = await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/ann.json`, storage: "ann.json", md5: md5(BODY) });
  assert.is(got.fetched, false);
  assert.is(readFileSync(got.path, "utf8"), mine, "the user's file is untouched");
  assert.is(hits["/ann.json"] ?? 0, before, "nothing was downloaded");
  // Without a url too; a sha256 (lavisc's own key, never a LAVIS default) is still verified.
  assert.is((await ensureAnnotationFile({ storageRoot: root }, { storage: "ann.json", md5: "0".repeat(32) })).path, join(root, "ann.json"));
  try {
    await ensureAnnotationFile({ storageRoot: root }, { storage: "ann.json", sha256: sha256(BODY) });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.ok(e instanceof DataError && e.code === "checksum-mismatch", String(e));
  }
});

test("a storage path outside the storage root is read when it exists and never written", async () => {
  const root = freshRoot();
  const elsewhere = freshRoot();
  const victim = join(elsewhere, "important.json");
  writeFileSync(victim, "precious");
  // The attack of issue 18: an existing file outside the root, a url and the matching md5.
  const got = await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/ann.json`, storage: victim, md5: md5(BODY) });
  assert.is(got.fetched, false);
  assert.is(readFileSync(victim, "utf8"), "precious");
  for (const storage of [join(elsewhere, "new.json"), "../escape.json", "sub/../../escape2.json"]) {
    try {
      await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/ann.json`, storage });
      assert.unreachable(`should have refused ${storage}`);
    } catch (e) {
      assert.ok(e instanceof DataError && e.code === "refused-write", String(e));
      assert.match((e as Error).message, /downloads only into its storage root/);
    }
  }
  assert.equal(readdirSync(elsewhere), ["important.json"]);
  assert.not.ok(existsSync(join(root, "..", "escape.json")));
  // A link inside the root that leads out of it does not make its target "inside".
  symlinkSync(elsewhere, join(root, "link"));
  assert.is(annotationAction(root, { url: `${base}/ann.json`, storage: "link/via-link.json" }).kind, "outside-root");
  mkdirSync(join(root, "real"));
  assert.is(annotationAction(root, { url: `${base}/ann.json`, storage: "real/ok.json" }).kind, "download");
  assert.is(annotationAction(root, { storage: "real/none.json" }).kind, "missing");
});

test("local urls are copied (as LAVIS does) and LAVISC_CACHE is the default storage root", async () => {
  const root = freshRoot();
  const local = join(root, "source.json");
  writeFileSync(local, BODY);
  const got = await ensureAnnotationFile({ storageRoot: root }, { url: local, storage: "copied/ann.json", md5: md5(BODY) });
  assert.is(readFileSync(got.path, "utf8"), BODY);
  assert.is(cacheDir({ LAVISC_CACHE: "/x/cache" }), "/x/cache");
  assert.is(resolveStorage({}, "/abs/file.json"), "/abs/file.json");
  assert.is(resolveStorage({ storageRoot: "/r" }, "a/b.json"), "/r/a/b.json");
});

test("weights URLs: a .safetensors file is downloaded once into the cache; paths and .pth URLs pass through", async () => {
  const env = { LAVISC_CACHE: mkdtempSync(join(tmpdir(), "lavisc-weights-")) };
  const url = `${base}/w/model.safetensors`;
  const opts = { env, allowHttp: true };
  const first = await ensureWeightsFile(url, opts);
  assert.ok(first.startsWith(join(env.LAVISC_CACHE, "weights")), first);
  assert.is(readFileSync(first, "utf8"), WEIGHTS);
  assert.is(await ensureWeightsFile(url, opts), first);
  assert.is(hits["/w/model.safetensors"], 1, "the second call reuses the cached file");
  assert.is(await ensureWeightsFile("/some/local.safetensors", opts), "/some/local.safetensors");
  // LAVIS's own URLs are PyTorch pickles: not fetched, left for the reader to refuse with the conversion line.
  const pth = "https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/model_base_capfilt_large.pth";
  assert.is(await ensureWeightsFile(pth, opts), pth);
  try {
    await ensureWeightsFile(`${base}/w/model.bin.gz`, opts);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /safetensors/);
  }
});

test("weights by URL: https only unless allowed, and a given sha256 is verified before use", async () => {
  const env = { LAVISC_CACHE: mkdtempSync(join(tmpdir(), "lavisc-weights-")) };
  const url = `${base}/w/model.safetensors`;
  const fails = async (p: Promise<unknown>, code: string, pattern: RegExp) => {
    try {
      await p;
      assert.unreachable("should have thrown");
    } catch (e) {
      assert.ok(e instanceof DataError && e.code === code, String(e));
      assert.match((e as Error).message, pattern);
    }
  };
  const before = hits["/w/model.safetensors"] ?? 0;
  await fails(ensureWeightsFile(url, { env }), "refused-download", /plain http.*--allow-http/);
  assert.is(hits["/w/model.safetensors"] ?? 0, before, "refused before any request");
  await fails(ensureWeightsFile(url, { env, allowHttp: true, sha256: "ab".repeat(32) }), "checksum-mismatch", /sha256 is [0-9a-f]{64}, expected (ab){32}/);
  assert.not.ok(existsSync(join(env.LAVISC_CACHE, "weights")) && readdirSync(join(env.LAVISC_CACHE, "weights")).some((d) => readdirSync(join(env.LAVISC_CACHE, "weights", d)).some((f) => !f.includes(".part-"))), "a mismatching download is not cached");
  const good = await ensureWeightsFile(url, { env, allowHttp: true, sha256: sha256(WEIGHTS) });
  assert.is(readFileSync(good, "utf8"), WEIGHTS);
  // The cached copy is checked too, so a changed pin cannot be satisfied by an old file.
  await fails(ensureWeightsFile(url, { env, allowHttp: true, sha256: "cd".repeat(32) }), "checksum-mismatch", /expected (cd){32}/);
  const local = join(env.LAVISC_CACHE, "local.safetensors");
  writeFileSync(local, "other bytes");
  await fails(ensureWeightsFile(local, { env, sha256: sha256(WEIGHTS) }), "checksum-mismatch", /local\.safetensors/);
  assert.is(await ensureWeightsFile(local, { env, sha256: sha256("other bytes") }), local);
  await fails(ensureWeightsFile(local, { env, sha256: "xyz" }), "unsupported", /64 hexadecimal digits/);
});

test.run();
