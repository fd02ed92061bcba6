// Downloads: annotation files (LAVIS's _download_ann) land at their `storage` path, model weights named by URL in
// $LAVISC_CACHE/weights/. Both are written to a temp file and renamed only once complete and verified, so an
// interrupted or corrupt download is never read.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { copyFile, mkdir, rename, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { DatasetSpec } from "../runSpec.js";
import { DataError } from "./dataError.js";

export interface AnnotationSource { readonly url?: string; readonly storage: string; readonly md5?: string; readonly sha256?: string }

/** `$LAVISC_CACHE`, else ~/.cache/lavisc. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["LAVISC_CACHE"] || join(homedir(), ".cache", "lavisc");
}

/** Absolute path of an annotation's `storage` (relative paths join the dataset's storage root, as LAVIS joins cache_root). */
export function resolveStorage(dataset: Pick<DatasetSpec, "storageRoot">, storage: string): string {
  return isAbsolute(storage) ? storage : join(dataset.storageRoot ?? cacheDir(), storage);
}

async function fileDigests(path: string): Promise<{ md5: string; sha256: string }> {
  const md5 = createHash("md5"), sha256 = createHash("sha256");
  for await (const chunk of createReadStream(path)) { md5.update(chunk as Buffer); sha256.update(chunk as Buffer); }
  return { md5: md5.digest("hex"), sha256: sha256.digest("hex") };
}

/** null when every given checksum matches; else a sentence naming the mismatch. */
async function checksumProblem(path: string, src: AnnotationSource): Promise<string | null> {
  if (!src.md5 && !src.sha256) return null;
  const got = await fileDigests(path);
  if (src.sha256 && got.sha256 !== src.sha256.toLowerCase()) return `sha256 is ${got.sha256}, expected ${src.sha256}`;
  if (src.md5 && got.md5 !== src.md5.toLowerCase()) return `md5 is ${got.md5}, expected ${src.md5}`;
  return null;
}

const isRemote = (url: string): boolean => /^https?:\/\//i.test(url);

async function fetchInto(url: string, tmp: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow" });
  } catch (e) {
    throw new DataError("download-failed", `cannot download ${url}: ${(e as Error).message}`);
  }
  if (!response.ok || !response.body) throw new DataError("download-failed", `cannot download ${url}: HTTP ${response.status}`);
  const expected = Number(response.headers.get("content-length") ?? NaN);
  const sink = createWriteStream(tmp);
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>), sink);
  } catch (e) {
    throw new DataError("download-failed", `download of ${url} was interrupted: ${(e as Error).message}`);
  }
  if (Number.isFinite(expected) && sink.bytesWritten !== expected) {
    throw new DataError("download-failed", `download of ${url} is truncated: got ${sink.bytesWritten} of ${expected} bytes`);
  }
}

export interface EnsuredFile { readonly path: string; readonly fetched: boolean }

/**
 * Makes `src.storage` exist and match its checksums: an existing verified file is reused; otherwise `url` (http(s),
 * file:// or a local path, which LAVIS copies) is fetched. Throws DataError for anything the user must fix.
 */
export async function ensureAnnotationFile(dataset: Pick<DatasetSpec, "storageRoot">, src: AnnotationSource): Promise<EnsuredFile> {
  const dest = resolveStorage(dataset, src.storage);
  if (existsSync(dest)) {
    const problem = await checksumProblem(dest, src);
    if (!problem) return { path: dest, fetched: false };
    if (!src.url) throw new DataError("checksum-mismatch", `${dest}: ${problem}`, dest);
  } else if (!src.url) {
    throw new DataError("missing-file", `annotation file ${dest} does not exist and has no url to download it from`, dest);
  }
  const url = src.url!;
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}-${randomUUID()}`;
  try {
    if (isRemote(url)) await fetchInto(url, tmp);
    else {
      const local = url.startsWith("file:") ? fileURLToPath(url) : url;
      if (!existsSync(local)) throw new DataError("missing-file", `annotation url ${url} is neither http(s) nor an existing file`, local);
      await copyFile(local, tmp);
    }
    const problem = await checksumProblem(tmp, src);
    if (problem) throw new DataError("checksum-mismatch", `downloaded ${url}: ${problem}; the file was discarded`, dest);
    await rename(tmp, dest);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return { path: dest, fetched: true };
}

/**
 * The local path of model weights (`pretrained`/`finetuned`): a path as it is; an http(s) or file:// URL of a
 * `.safetensors` file is fetched once into $LAVISC_CACHE/weights/<hash of the URL>/ and reused. A PyTorch `.pth` URL is
 * returned unchanged, for the checkpoint reader to refuse with the conversion instructions before any download.
 */
export async function ensureWeightsFile(location: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const isUrl = isRemote(location) || location.startsWith("file:");
  if (!isUrl) return location;
  const name = basename(new URL(location).pathname);
  if (/\.(pth|pt|bin)$/i.test(name)) return location;
  if (!name.endsWith(".safetensors")) {
    throw new DataError("unsupported", `weights URL ${location}: lavisc downloads safetensors files (.safetensors); for a LAVIS .pth see docs/checkpoints.md`);
  }
  const dest = join(cacheDir(env), "weights", createHash("sha256").update(location).digest("hex").slice(0, 16), name);
  if (existsSync(dest)) return dest;
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}-${randomUUID()}`;
  try {
    if (isRemote(location)) await fetchInto(location, tmp);
    else {
      const local = fileURLToPath(location);
      if (!existsSync(local)) throw new DataError("missing-file", `weights ${location} do not exist`, local);
      await copyFile(local, tmp);
    }
    await rename(tmp, dest);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return dest;
}
