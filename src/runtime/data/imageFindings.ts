// Preflight of a split's images: each must be a regular file (a named pipe, device or folder would block or fail the
// run mid-epoch, and an empty `"image": ""` names the image folder itself), and its header must declare no more
// pixels than Pillow, which LAVIS decodes with, accepts (pillowLimits.ts).
import { isAbsolute, join } from "node:path";
import sharp from "sharp";
import type { SampleRecord } from "./annotations.js";
import { pillowBombCheck } from "./pillowLimits.js";
import { fileProblem } from "./regularFile.js";

export interface ImageFinding {
  readonly severity: "error" | "warning";
  readonly code: "missing-images" | "not-a-file-images" | "oversized-images" | "large-images";
  readonly message: string;
  readonly paths: readonly string[];
}

/** How many image headers are read at once. */
const HEADER_CONCURRENCY = 16;

export async function checkSplitImages(imageRoot: string, records: readonly SampleRecord[], where: string): Promise<{ images: number; findings: ImageFinding[] }> {
  const firstRecord = new Map<string, SampleRecord>();
  for (const r of records) {
    const path = isAbsolute(r.image) ? r.image : join(imageRoot, r.image);
    if (!firstRecord.has(path)) firstRecord.set(path, r);
  }
  const images = [...firstRecord.keys()];
  const missing: string[] = [], notFiles: string[] = [], files: string[] = [];
  const notFileSentences: string[] = [];
  for (const path of images) {
    const problem = fileProblem(path);
    if (problem === "missing") missing.push(path);
    else if (problem) {
      notFiles.push(path);
      const record = describeRecord(firstRecord.get(path)!);
      notFileSentences.push(firstRecord.get(path)!.image === ""
        ? `${record} has an empty "image", which names the image folder ${imageRoot} itself`
        : `the image ${path} of ${record} is ${problem}, not an image file`);
    } else files.push(path);
  }
  const findings: ImageFinding[] = [];
  if (missing.length) findings.push({ severity: "error", code: "missing-images", message: `${missing.length} of ${images.length} images of ${where} are missing (first: ${missing[0]})`, paths: missing });
  if (notFiles.length) {
    const more = notFiles.length > 1 ? ` (${notFiles.length} images are not regular files)` : "";
    findings.push({ severity: "error", code: "not-a-file-images", message: `${notFileSentences[0]}; lavisc reads only regular files, since opening a named pipe or device can block the run for good${more}`, paths: notFiles });
  }
  findings.push(...(await headerFindings(files, firstRecord)));
  return { images: images.length, findings };
}

/** Images whose header declares a size Pillow refuses (error) or warns about (warning). Unreadable headers are left to the decoder. */
async function headerFindings(paths: readonly string[], firstRecord: ReadonlyMap<string, SampleRecord>): Promise<ImageFinding[]> {
  const refused: { path: string; message: string }[] = [], warned: { path: string; message: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const meta = await sharp(path, { limitInputPixels: false }).metadata().catch(() => null);
      const bomb = meta?.width && meta.height ? pillowBombCheck(meta.width, meta.height) : null;
      if (bomb) (bomb.level === "refuse" ? refused : warned).push({ path, message: `the image ${path} of ${describeRecord(firstRecord.get(path)!)} ${bomb.message}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(HEADER_CONCURRENCY, paths.length) }, worker));
  const findings: ImageFinding[] = [];
  const count = (n: number): string => (n > 1 ? ` (${n} such images)` : "");
  if (refused.length) findings.push({ severity: "error", code: "oversized-images", message: `${refused[0]!.message}${count(refused.length)}`, paths: refused.map((r) => r.path) });
  if (warned.length) findings.push({ severity: "warning", code: "large-images", message: `${warned[0]!.message}${count(warned.length)}`, paths: warned.map((r) => r.path) });
  return findings;
}

function describeRecord(r: SampleRecord): string {
  return `the record with image_id ${JSON.stringify(r.sourceImageId)}`;
}
