// Reads LAVIS annotation files into the records one split's dataset serves, following the dataset classes LAVIS
// builds for each format (CaptionDataset/CaptionEvalDataset, RetrievalDataset/RetrievalEvalDataset,
// COCOVQADataset/COCOVQAEvalDataset, classification datasets). `train` picks the train-style class, as the
// builder does for the train split.
import { readFile, stat } from "node:fs/promises";
import type { DatasetSpec } from "../runSpec.js";
import { ensureAnnotationFile } from "./cache.js";
import { DataError } from "./dataError.js";
import { invalidJsonMessage } from "./invalidJson.js";
import type { TextProcessor } from "./processors/textProcessors.js";
import { answersOf, declaredAnswers, lenientAnswers, writtenAnswers, type TrainAnswers } from "./vqaAnswers.js";

export type AnnotationFormat = DatasetSpec["format"];

export interface SampleRecord {
  /** Image path as written in the annotation (relative to the dataset's imageRoot unless absolute). */
  readonly image: string;
  /** Processed caption (caption/retrieval train), question (vqa) or sentence (classification); "" for per-image eval records. */
  readonly text: string;
  /** Contiguous index of the record's image (LAVIS's `img_ids[ann["image_id"]]`; for eval records, the image's index). */
  readonly imageId: number;
  /** The annotation's own image id (eval results are keyed by it). */
  readonly sourceImageId: string | number;
  /** str(position in the concatenated annotation list), as BaseDataset._add_instance_ids. */
  readonly instanceId: string;
  readonly questionId?: string | number;
  /** VQA: distinct answers and their weights (count / number of answers, as COCOVQADataset.__getitem__). */
  readonly answers?: readonly string[];
  readonly answerWeights?: readonly number[];
  readonly label?: number;
  /** Caption eval: the unprocessed reference captions of this image. */
  readonly references?: readonly string[];
}

/** Where a record came from: its annotation file (path, or `annotation file N` when unknown), position and image. */
export interface RecordOrigin { readonly file: string; readonly index: number; readonly image: string }

export interface VqaGroundTruth {
  readonly answers: readonly string[];
  readonly answerType?: string;
  readonly questionType?: string;
  /** The record's answers as written (a string or a list), which AOKVQATask and GQATask copy into `gt_ans`. */
  readonly written?: string | readonly string[];
}

export interface SplitData {
  readonly format: AnnotationFormat;
  readonly split: string;
  readonly train: boolean;
  readonly records: readonly SampleRecord[];
  /**
   * Retrieval eval (RetrievalEvalDataset): processed texts, the image<->text index maps, and the records whose
   * `caption` list is empty (an image with no text to retrieve; preflight.ts refuses them before training).
   */
  readonly retrieval?: {
    readonly texts: readonly string[];
    readonly img2txt: readonly (readonly number[])[];
    readonly txt2img: readonly number[];
    readonly uncaptioned?: readonly RecordOrigin[];
  };
  /** VQA eval: candidate answers for rank inference (ann_paths[1]), when given. */
  readonly answerList?: readonly string[];
  /** VQA eval: ground truth per question id, from the records' answers or the COCO-format files (ann_paths[2], [3]). */
  readonly vqaGroundTruth?: ReadonlyMap<string, VqaGroundTruth>;
  /** Classification: class names, index = label. */
  readonly classnames?: readonly string[];
}

type Json = unknown;
type Obj = Record<string, Json>;

export interface ParseOptions {
  readonly split: string;
  readonly train: boolean;
  readonly textProcessor: TextProcessor;
  readonly paths?: readonly string[];
  /** VQA training: how the builder's dataset class reads answers (DatasetSpec.trainAnswers); absent: leniently. */
  readonly trainAnswers?: TrainAnswers;
}

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(opts: ParseOptions, file: number, message: string): never {
  const path = opts.paths?.[file];
  throw new DataError("malformed-annotation", `${path ?? `annotation file ${file}`}: ${message}`, path);
}

function recordList(files: readonly Json[], which: readonly number[], opts: ParseOptions): { rec: Obj; file: number; index: number }[] {
  const out: { rec: Obj; file: number; index: number }[] = [];
  for (const f of which) {
    const data = files[f];
    if (!Array.isArray(data)) fail(opts, f, "expected a JSON list of records");
    data.forEach((rec, index) => {
      if (!isObj(rec)) fail(opts, f, `record ${index} is not an object`);
      if (typeof rec["image"] !== "string") fail(opts, f, `record ${index} has no string "image"`);
      out.push({ rec, file: f, index });
    });
  }
  return out;
}

function str(v: Json, opts: ParseOptions, file: number, index: number, key: string): string {
  if (typeof v !== "string") fail(opts, file, `record ${index}: "${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** COCOCapEvalDataset: "val2014/COCO_val2014_000000391895.jpg" → 391895; other names keep their stem. */
export function imageIdFromPath(image: string): string | number {
  const stem = image.split("/").pop()!.replace(/\.[^.]+$/, "");
  const last = stem.split("_").pop()!;
  return /^\d+$/.test(last) ? Number(last) : stem;
}

/** Contiguous ids in first-seen order, like the `img_ids` dict LAVIS's train datasets build. */
function contiguousIds(): (key: Json) => number {
  const ids = new Map<string, number>();
  return (key) => {
    const k = JSON.stringify(key);
    let id = ids.get(k);
    if (id === undefined) { id = ids.size; ids.set(k, id); }
    return id;
  };
}

/**
 * How LAVIS's datasets read `caption`. Training records (CaptionDataset, RetrievalDataset in
 * lavis/datasets/datasets/caption_datasets.py and retrieval_datasets.py) pass it whole to the text processor, whose
 * pre_caption calls `caption.lower()`: a list fails there. RetrievalEvalDataset iterates it (`for caption in
 * ann["caption"]`): a string's characters would each become a caption to retrieve. Both are refused, saying so;
 * caption evaluation keeps either (its references are only scored here, LAVIS scores the COCO-format file).
 */
type CaptionReading = "train" | "retrieval-eval" | "caption-eval";

function captionsOf(rec: Obj, opts: ParseOptions, file: number, index: number, reading: CaptionReading): string[] {
  const c = rec["caption"];
  if (typeof c === "string") {
    if (reading === "retrieval-eval") {
      fail(opts, file, `record ${index}: "caption" is a string, not a list; LAVIS's RetrievalEvalDataset iterates it, so each of its ${[...c].length} characters would be a caption to retrieve. Write ${JSON.stringify([c])}`);
    }
    return [c];
  }
  if (Array.isArray(c) && c.every((x) => typeof x === "string")) {
    if (reading === "train") {
      fail(opts, file, `record ${index}: "caption" is a list in a training split; LAVIS's training datasets pass it whole to the text processor, which fails on a list. Write one record per caption, each with a string "caption" (as coco_karpathy_train.json does)`);
    }
    return c as string[];
  }
  fail(opts, file, `record ${index}: "caption" must be ${reading === "train" ? "a string" : reading === "retrieval-eval" ? "a list of strings" : "a string or a list of strings"}`);
}

function parseCaptionLike(files: readonly Json[], opts: ParseOptions, format: "caption" | "retrieval"): SplitData {
  const base = { format, split: opts.split, train: opts.train } as const;
  const all = files.map((_, i) => i);
  if (opts.train) {
    const idOf = contiguousIds();
    const records: SampleRecord[] = [];
    for (const { rec, file, index } of recordList(files, all, opts)) {
      const image = rec["image"] as string;
      const key = rec["image_id"] ?? image;
      for (const caption of captionsOf(rec, opts, file, index, "train")) {
        records.push({ image, text: opts.textProcessor(caption), imageId: idOf(key), sourceImageId: key as string | number, instanceId: String(records.length) });
      }
    }
    return { ...base, records };
  }
  const records: SampleRecord[] = [];
  const texts: string[] = [], img2txt: number[][] = [], txt2img: number[] = [];
  const uncaptioned: RecordOrigin[] = [];
  recordList(files, all, opts).forEach(({ rec, file, index }, imgIndex) => {
    const image = rec["image"] as string;
    const captions = captionsOf(rec, opts, file, index, format === "retrieval" ? "retrieval-eval" : "caption-eval");
    if (!captions.length) uncaptioned.push({ file: opts.paths?.[file] ?? `annotation file ${file}`, index, image });
    const own = rec["image_id"] ?? rec["img_id"]; // NoCaps names it img_id
    const sourceImageId = typeof own === "string" || typeof own === "number" ? own : imageIdFromPath(image);
    records.push({ image, text: "", imageId: imgIndex, sourceImageId, instanceId: String(imgIndex), references: captions });
    img2txt.push(captions.map((caption) => {
      texts.push(opts.textProcessor(caption));
      txt2img.push(imgIndex);
      return texts.length - 1;
    }));
  });
  return format === "retrieval" ? { ...base, records, retrieval: { texts, img2txt, txt2img, uncaptioned } } : { ...base, records };
}

function parseVqa(files: readonly Json[], opts: ParseOptions): SplitData {
  const base = { format: "vqa", split: opts.split, train: opts.train } as const;
  const recordFiles = opts.train ? files.map((_, i) => i) : [0];
  const idOf = contiguousIds();
  const groundTruth = new Map<string, VqaGroundTruth>();
  const records: SampleRecord[] = recordList(files, recordFiles, opts).map(({ rec, file, index }, i) => {
    const image = rec["image"] as string;
    const question = str(rec["question"], opts, file, index, "question");
    const questionId = rec["question_id"] as string | number | undefined;
    const key = rec["image_id"] ?? image;
    const r: SampleRecord = { image, text: opts.textProcessor(question), imageId: idOf(key), sourceImageId: key as string | number, instanceId: String(i), questionId };
    if (opts.train && opts.trainAnswers) {
      const declared = declaredAnswers(rec, opts.trainAnswers);
      if (typeof declared === "string") fail(opts, file, `record ${index}: ${declared}`);
      return { ...r, answers: declared.answers, answerWeights: declared.weights };
    }
    const raw = answersOf(rec);
    if (!raw) {
      if (opts.train) fail(opts, file, `record ${index} has no "answer"`);
      return r;
    }
    const aw = lenientAnswers(rec, raw);
    if (!opts.train && questionId !== undefined) {
      const written = writtenAnswers(rec);
      groundTruth.set(String(questionId), { answers: raw, ...(written !== undefined ? { written } : {}), ...(typeof rec["answer_type"] === "string" ? { answerType: rec["answer_type"] } : {}) });
    }
    return { ...r, answers: aw.answers, answerWeights: aw.weights };
  });
  if (opts.train) return { ...base, records };
  const list = files[1];
  if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === "string"))) fail(opts, 1, "the answer list must be a JSON list of strings");
  if (isObj(files[3]) && Array.isArray(files[3]["annotations"])) {
    for (const ann of files[3]["annotations"] as Json[]) {
      if (!isObj(ann) || ann["question_id"] === undefined || !Array.isArray(ann["answers"])) continue;
      groundTruth.set(String(ann["question_id"]), {
        answers: (ann["answers"] as Json[]).map((a) => (isObj(a) ? String(a["answer"]) : String(a))),
        ...(typeof ann["answer_type"] === "string" ? { answerType: ann["answer_type"] } : {}),
        ...(typeof ann["question_type"] === "string" ? { questionType: ann["question_type"] } : {}),
      });
    }
  }
  return { ...base, records, ...(list ? { answerList: list as string[] } : {}), vqaGroundTruth: groundTruth };
}

function parseClassification(files: readonly Json[], opts: ParseOptions): SplitData {
  const isNameList = (v: Json): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string");
  const nameFile = files.findIndex(isNameList);
  const recordFiles = files.map((_, i) => i).filter((i) => i !== nameFile);
  const entries = recordList(files, recordFiles, opts);
  let classnames = nameFile >= 0 ? (files[nameFile] as string[]) : undefined;
  if (!classnames && entries.some(({ rec }) => typeof rec["label"] === "string")) {
    // No class list given: sorted distinct names, as ImageFolder sorts class folders.
    classnames = [...new Set(entries.map(({ rec }) => String(rec["label"])))].sort();
  }
  const idOf = contiguousIds();
  const records = entries.map(({ rec, file, index }, i): SampleRecord => {
    const raw = rec["label"];
    const label = typeof raw === "number" ? raw : typeof raw === "string" ? classnames!.indexOf(raw) : -1;
    if (!Number.isInteger(label) || label < 0 || (classnames && label >= classnames.length)) {
      fail(opts, file, `record ${index}: label ${JSON.stringify(raw)} is not a class index${classnames ? ` or one of ${classnames.length} class names` : ""}`);
    }
    const sentence = rec["sentence"] ?? rec["text_input"] ?? rec["caption"];
    const key = rec["image_id"] ?? rec["image"];
    return {
      image: rec["image"] as string, text: typeof sentence === "string" ? opts.textProcessor(sentence) : "",
      imageId: idOf(key), sourceImageId: key as string | number, instanceId: String(i), label,
    };
  });
  return { format: "classification", split: opts.split, train: opts.train, records, ...(classnames ? { classnames } : {}) };
}

/** Turns already-parsed annotation JSON files (in `storage` order) into one split's records. */
export function parseSplit(format: AnnotationFormat, files: readonly Json[], opts: ParseOptions): SplitData {
  switch (format) {
    case "caption": case "retrieval": return parseCaptionLike(files, opts, format);
    case "vqa": return parseVqa(files, opts);
    case "classification": return parseClassification(files, opts);
    default: throw new DataError("unsupported", `annotation format "${String(format)}" is not supported`);
  }
}

export async function readJsonFile(path: string): Promise<Json> {
  // Only a regular file: a device or a pipe named as an annotation file would be read forever or block.
  const text = await stat(path).then((st) => (st.isFile() ? readFile(path, "utf8") : null)).catch(() => null);
  if (text === null) throw new DataError("missing-file", `cannot read annotation file ${path}`, path);
  try { return JSON.parse(text); } catch (e) { throw new DataError("malformed-annotation", invalidJsonMessage(path, text, e as Error), path); }
}

/** Downloads (if needed) and reads one split of a dataset. */
export async function readSplit(dataset: DatasetSpec, split: string, train: boolean, textProcessor: TextProcessor): Promise<SplitData> {
  const source = dataset.splits.find((s) => s.split === split);
  if (!source) throw new DataError("missing-file", `dataset ${dataset.name} has no "${split}" split (it has: ${dataset.splits.map((s) => s.split).join(", ") || "none"})`);
  const paths: string[] = [];
  const files: Json[] = [];
  for (const [i, ann] of source.annotations.entries()) {
    // VQA eval's optional companions (answer list, COCO-format files) may be absent, as LAVIS tolerates.
    const optional = dataset.format === "vqa" && !train && i > 0;
    try {
      const { path } = await ensureAnnotationFile(dataset, ann);
      paths.push(path);
      files.push(await readJsonFile(path));
    } catch (e) {
      if (!(optional && e instanceof DataError && e.code === "missing-file")) throw e;
      paths.push(ann.storage);
      files.push(undefined);
    }
  }
  return parseSplit(dataset.format, files, { split, train, textProcessor, paths, ...(dataset.trainAnswers ? { trainAnswers: dataset.trainAnswers } : {}) });
}
