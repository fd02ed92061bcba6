// Evaluation-side views of a split: RetrievalEvalDataset's images + text maps, and COCOVQAEvalDataset's questions
// with the answer list and ground truth.
import type { DatasetSpec } from "../runSpec.js";
import { readSplit, type SplitData, type VqaGroundTruth } from "./annotations.js";
import { DataError } from "./dataError.js";
import { createLoader, loaderFromSplit, type Loader, type LoaderOptions } from "./loader.js";
import { createTextProcessor } from "./processors/textProcessors.js";

export interface EvalOptions { readonly batchSize: number; readonly limit?: number; readonly prefetch?: number; readonly workers?: number }

const evalLoaderOptions = (o: EvalOptions): LoaderOptions => ({ ...o, shuffle: false, seed: 0, epoch: 0, dropLast: false, train: false });

export interface RetrievalEval {
  /** Per-image batches in index order (batch.indices are the image indices). */
  readonly images: Loader;
  readonly texts: readonly string[];
  readonly img2txt: readonly (readonly number[])[];
  readonly txt2img: readonly number[];
}

/** RetrievalEvalDataset: images to embed, processed texts, and which texts belong to which image. */
export async function createRetrievalEval(dataset: DatasetSpec, split: string, opts: EvalOptions): Promise<RetrievalEval> {
  if (dataset.format !== "retrieval") throw new DataError("unsupported", `dataset ${dataset.name} is not a retrieval dataset`);
  const full = await readSplit(dataset, split, false, createTextProcessor(dataset.textProcessor.eval));
  const nImages = opts.limit !== undefined ? Math.min(opts.limit, full.records.length) : full.records.length;
  const r = full.retrieval!;
  // With a limit, keep only the texts of the kept images and renumber them.
  const img2txt: number[][] = [], texts: string[] = [], txt2img: number[] = [];
  for (let img = 0; img < nImages; img++) {
    img2txt.push(r.img2txt[img]!.map((t) => { texts.push(r.texts[t]!); txt2img.push(img); return texts.length - 1; }));
  }
  // `uncaptioned` is in image order: the kept images' are its first ones.
  const uncaptioned = (r.uncaptioned ?? []).slice(0, img2txt.filter((own) => !own.length).length);
  const data: SplitData = { ...full, records: full.records.slice(0, nImages), retrieval: { texts, img2txt, txt2img, uncaptioned } };
  return { images: loaderFromSplit(dataset, data, evalLoaderOptions({ ...opts, limit: undefined })), texts, img2txt, txt2img };
}

export interface VqaEval {
  readonly questions: Loader;
  /** Candidate answers for rank inference (absent when the split has no answer list). */
  readonly answerList?: readonly string[];
  readonly groundTruth: ReadonlyMap<string, VqaGroundTruth>;
}

/** COCOVQAEvalDataset: questions in order, the answer list and ground-truth answers per question id. */
export async function createVqaEval(dataset: DatasetSpec, split: string, opts: EvalOptions): Promise<VqaEval> {
  if (dataset.format !== "vqa") throw new DataError("unsupported", `dataset ${dataset.name} is not a VQA dataset`);
  const questions = await createLoader(dataset, split, evalLoaderOptions(opts));
  return {
    questions,
    ...(questions.data.answerList ? { answerList: questions.data.answerList } : {}),
    groundTruth: questions.data.vqaGroundTruth ?? new Map(),
  };
}
