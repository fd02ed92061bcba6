// Annotation files (LAVIS's _download_ann) and model weights named by URL. lavisc writes only inside the roots it owns:
// the dataset's storage root (LAVIS's cache_root) for annotations and $LAVISC_CACHE/weights/ for weights. An annotation
// file that already exists is the user's and is used as it is, as LAVIS does: never checksummed against the default
// `md5`, never replaced. Downloads go to a temp file that becomes the target only once complete and verified, and only
// if no file has appeared there meanwhile.
import { createHash, randomUUID } from "node:crypto";
import { constants, createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { copyFile, link, rename, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { DatasetSpec } from "../runSpec.js";
import { isInside, makeFolder, storageFault } from "../../storage/index.js";
import { DataError } from "./dataError.js";
import { fileProblem } from "./regularFile.js";

export interface AnnotationSource { readonly url?: string; readonly storage: string; readonly md5?: string; readonly sha256?: string }

/** `$LAVISC_CACHE`, else ~/.cache/lavisc. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["LAVISC_CACHE"] || join(homedir(), ".cache", "lavisc");
}

/** Absolute path of an annotation's `storage` (relative paths join the dataset's storage root, as LAVIS joins cache_root). */
export function resolveStorage(dataset: Pick<DatasetSpec, "storageRoot">, storage: string): string {
  return isAbsolute(storage) ? storage : join(dataset.storageRoot ?? cacheDir(), storage);
}

/** What lavisc does with one annotation file: the same answer for `plan` and for `run`. */
export type AnnotationAction =
  /** The file is there: used as it is (no md5 check, as LAVIS). */
  | { readonly kind: "exists"; readonly path: string }
  /** Absent: downloaded (or copied, for a local url) from `url` into `path`, inside the storage root. */
  | { readonly kind: "download"; readonly path: string; readonly url: string }
  /** Absent and no url. */
  | { readonly kind: "missing"; readonly path: string }
  /** Absent, and its `storage` lies outside the storage root: lavisc refuses to download there. */
  | { readonly kind: "outside-root"; readonly path: string; readonly url: string; readonly root: string };

/** Decides what happens to `src` given the storage root (`path` is `storage` resolved against it). */
export function annotationAction(root: string, src: AnnotationSource, path = isAbsolute(src.storage) ? src.storage : join(root, src.storage)): AnnotationAction {
  if (existsSync(path)) return { kind: "exists", path };
  if (!src.url) return { kind: "missing", path };
  if (!isInside(root, path)) return { kind: "outside-root", path, url: src.url, root: resolve(root) };
  return { kind: "download", path, url: src.url };
}

/** The sentence `run` and `plan` give for a refused download. */
export function outsideRootMessage(a: Extract<AnnotationAction, { kind: "outside-root" }>): string {
  return `annotation file ${a.path} does not exist, and lavisc downloads only into its storage root ${a.root}: download ${a.url} to ${a.path} yourself, or give a \`storage\` path relative to the root (--storage-root sets the root)`;
}

async function fileDigests(path: string): Promise<{ md5: string; sha256: string }> {
  const md5 = createHash("md5"), sha256 = createHash("sha256");
  for await (const chunk of createReadStream(path)) { md5.update(chunk as Buffer); sha256.update(chunk as Buffer); }
  return { md5: md5.digest("hex"), sha256: sha256.digest("hex") };
}

/** null when every given checksum matches; else a sentence naming the mismatch. */
async function checksumProblem(path: string, sums: { readonly md5?: string | undefined; readonly sha256?: string | undefined }): Promise<string | null> {
  if (!sums.md5 && !sums.sha256) return null;
  const got = await fileDigests(path);
  if (sums.sha256 && got.sha256 !== sums.sha256.toLowerCase()) return `sha256 is ${got.sha256}, expected ${sums.sha256}`;
  if (sums.md5 && got.md5 !== sums.md5.toLowerCase()) return `md5 is ${got.md5}, expected ${sums.md5}`;
  return null;
}

const isRemote = (url: string): boolean => /^https?:\/\//i.test(url);

async function fetchInto(url: string, tmp: string, dest: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow" });
  } catch (e) {
    throw new DataError("download-failed", `cannot download ${url}: ${(e as Error).message}`);
  }
  if (!response.ok || !response.body) throw new DataError("download-failed", `cannot download ${url}: HTTP ${response.status}`);
  const expected = Number(response.headers.get("content-length") ?? NaN);
  const sink = createWriteStream(tmp, { flags: "wx" });
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>), sink);
  } catch (e) {
    throw storageFault(e, dest, Number.isFinite(expected) ? expected : null) ?? new DataError("download-failed", `download of ${url} was interrupted: ${(e as Error).message}`);
  }
  if (Number.isFinite(expected) && sink.bytesWritten !== expected) {
    throw new DataError("download-failed", `download of ${url} is truncated: got ${sink.bytesWritten} of ${expected} bytes`);
  }
}

/** Fetches `url` (http(s), file:// or a local path, which LAVIS copies) into `dest` via a verified temp file. */
async function download(url: string, dest: string, sums: { readonly md5?: string | undefined; readonly sha256?: string | undefined }, replace: boolean): Promise<void> {
  makeFolder(dirname(dest));
  const tmp = `${dest}.part-${process.pid}-${randomUUID()}`;
  try {
    if (isRemote(url)) await fetchInto(url, tmp, dest);
    else {
      const local = url.startsWith("file:") ? fileURLToPath(url) : url;
      const problem = fileProblem(local);
      if (problem === "missing") throw new DataError("missing-file", `url ${url} is neither http(s) nor an existing file`, local);
      // copyFile would open a named pipe and wait for a writer for good.
      if (problem) throw new DataError("missing-file", `url ${url} is ${problem}, not a file to copy`, local);
      try { await copyFile(local, tmp, constants.COPYFILE_EXCL); } catch (e) { throw storageFault(e, dest, fileSize(local)) ?? e; }
    }
    const problem = await checksumProblem(tmp, sums);
    if (problem) throw new DataError("checksum-mismatch", `downloaded ${url}: ${problem}; the file was discarded`, dest);
    await commit(tmp, dest, replace);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Makes the verified temp file the target. Without `replace`, a file that appeared meanwhile is kept, never overwritten. */
async function commit(tmp: string, dest: string, replace: boolean): Promise<void> {
  if (replace) {
    try { await rename(tmp, dest); } catch (e) { throw storageFault(e, dest, fileSize(tmp)) ?? e; }
    return;
  }
  try {
    await link(tmp, dest); // fails with EEXIST instead of replacing
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") throw storageFault(e, dest, fileSize(tmp)) ?? e;
    try { await copyFile(tmp, dest, constants.COPYFILE_EXCL); } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === "EEXIST") return;
      throw storageFault(e2, dest, fileSize(tmp)) ?? e2;
    }
  }
}

function fileSize(path: string): number | null {
  try { return statSync(path).size; } catch { return null; }
}

export interface EnsuredFile { readonly path: string; readonly fetched: boolean }

/**
 * Makes an annotation file available: an existing file is used as it is (a `sha256`, lavisc's own key, is still
 * verified; LAVIS's `md5` is not); an absent one is downloaded when its target lies in the storage root. Throws
 * DataError for anything the user must fix and StorageError for faults of the machine.
 */
export async function ensureAnnotationFile(dataset: Pick<DatasetSpec, "storageRoot">, src: AnnotationSource): Promise<EnsuredFile> {
  const root = dataset.storageRoot ?? cacheDir();
  const action = annotationAction(root, src, resolveStorage(dataset, src.storage));
  switch (action.kind) {
    case "exists": {
      const kind = fileProblem(action.path);
      if (kind && kind !== "missing") throw new DataError("missing-file", `annotation file ${action.path} is ${kind}, not a file`, action.path);
      const problem = src.sha256 ? await checksumProblem(action.path, { sha256: src.sha256 }) : null;
      if (problem) throw new DataError("checksum-mismatch", `${action.path}: ${problem}`, action.path);
      return { path: action.path, fetched: false };
    }
    case "missing":
      throw new DataError("missing-file", `annotation file ${action.path} does not exist and has no url to download it from`, action.path);
    case "outside-root":
      throw new DataError("refused-write", outsideRootMessage(action), action.path);
    case "download":
      await download(action.url, action.path, src, false);
      return { path: action.path, fetched: true };
  }
}

export interface WeightsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Accept plain-http weight URLs (`lavisc run --allow-http`). */
  readonly allowHttp?: boolean;
  /** The weights' expected sha256 (`model.finetuned_sha256` / `pretrained_sha256`), verified before they are used. */
  readonly sha256?: string | null;
}

/** Where a weights URL is cached: $LAVISC_CACHE/weights/<hash of the URL>/<file name>; null when the name is unusable. */
export function weightsCachePath(location: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const name = basename(new URL(location).pathname);
  const root = join(cacheDir(env), "weights");
  const dest = join(root, createHash("sha256").update(location).digest("hex").slice(0, 16), name);
  return name.endsWith(".safetensors") && isInside(root, dest) ? dest : null;
}

/** A weights URL lavisc refuses before any download (plain http without --allow-http); null when acceptable. */
export function weightsUrlProblem(location: string, allowHttp: boolean): string | null {
  if (/^http:\/\//i.test(location) && !allowHttp) {
    return `weights URL ${location} is plain http, which anyone between here and the server can alter; use https, or pass --allow-http to accept it`;
  }
  return null;
}

/**
 * The local path of model weights (`pretrained`/`finetuned`): a path as it is; an https or file:// URL of a
 * `.safetensors` file is fetched once into $LAVISC_CACHE/weights/ and reused. A given sha256 is verified in every case.
 * A PyTorch `.pth` URL is returned unchanged, for the checkpoint reader to refuse with the conversion instructions
 * before any download.
 */
export async function ensureWeightsFile(location: string, opts: WeightsOptions = {}): Promise<string> {
  const sha256 = opts.sha256 ?? undefined;
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) throw new DataError("unsupported", `the weights' sha256 "${sha256}" is not 64 hexadecimal digits`);
  const isUrl = isRemote(location) || location.startsWith("file:");
  if (!isUrl) {
    if (sha256 && existsSync(location)) await verifyWeights(location, sha256);
    return location;
  }
  if (/\.(pth|pt|bin)$/i.test(new URL(location).pathname)) return location;
  const refused = weightsUrlProblem(location, !!opts.allowHttp);
  if (refused) throw new DataError("refused-download", refused);
  const dest = weightsCachePath(location, opts.env);
  if (!dest) throw new DataError("unsupported", `weights URL ${location}: lavisc downloads safetensors files (.safetensors); for a LAVIS .pth see docs/checkpoints.md`);
  const cachedOk = existsSync(dest) && !(sha256 && (await checksumProblem(dest, { sha256 })));
  if (!cachedOk) {
    if (!isRemote(location) && !existsSync(fileURLToPath(location))) throw new DataError("missing-file", `weights ${location} do not exist`, fileURLToPath(location));
    await download(location, dest, { sha256 }, true); // the cache file is lavisc's own: a stale one may be replaced
  }
  return dest;
}

async function verifyWeights(path: string, sha256: string): Promise<void> {
  const kind = fileProblem(path);
  if (kind && kind !== "missing") throw new DataError("missing-file", `weights ${path} are ${kind}, not a file`, path);
  const problem = await checksumProblem(path, { sha256 });
  if (problem) throw new DataError("checksum-mismatch", `weights ${path}: ${problem} (the model config's sha256); the file is not the one the experiment names`, path);
}
