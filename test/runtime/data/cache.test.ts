import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir, ensureAnnotationFile, ensureWeightsFile, resolveStorage } from "../../../src/runtime/data/cache.js";
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

test("a stale temp file is ignored and a corrupt cached file is fetched again", async () => {
  const root = freshRoot();
  writeFileSync(join(root, "ann.json.part-1-stale"), "[{\"partial");
  writeFileSync(join(root, "ann.json"), "corrupt");
  const got = await ensureAnnotationFile({ storageRoot: root }, { url: `${base}/ann.json`, storage: "ann.json", sha256: sha256(BODY) });
  assert.is(got.fetched, true);
  assert.is(readFileSync(got.path, "utf8"), BODY);
  // Without a url, a mismatching local file is an error rather than silently used.
  writeFileSync(join(root, "local.json"), "changed");
  try {
    await ensureAnnotationFile({ storageRoot: root }, { storage: "local.json", md5: md5(BODY) });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.ok(e instanceof DataError && e.code === "checksum-mismatch");
  }
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
  const first = await ensureWeightsFile(url, env);
  assert.ok(first.startsWith(join(env.LAVISC_CACHE, "weights")), first);
  assert.is(readFileSync(first, "utf8"), WEIGHTS);
  assert.is(await ensureWeightsFile(url, env), first);
  assert.is(hits["/w/model.safetensors"], 1, "the second call reuses the cached file");
  assert.is(await ensureWeightsFile("/some/local.safetensors", env), "/some/local.safetensors");
  // LAVIS's own URLs are PyTorch pickles: not fetched, left for the reader to refuse with the conversion line.
  const pth = "https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/model_base_capfilt_large.pth";
  assert.is(await ensureWeightsFile(pth, env), pth);
  try {
    await ensureWeightsFile(`${base}/w/model.bin.gz`, env);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /safetensors/);
  }
});

test.run();
