// The built-in "fashion-mnist" dataset: real 28x28 garment photos from Debian's dataset-fashion-mnist package,
// written as PNGs with LAVIS-format caption, retrieval, VQA and classification annotations.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../runtime/data/dataError.js";
import { createRng, deriveSeed, permutation, type Rng } from "../runtime/data/rng.js";
import { readIdx, type IdxArray } from "./idx.js";
import { writeLavisAnnotations, type GeneratedImage, type GeneratedQuestion } from "./lavisAnnotations.js";
import { writeHeldOutClassAnnotations } from "./heldOutClasses.js";
import { encodePng } from "./png.js";
import { DatasetFolder, type PrepareWriteOptions } from "./datasetFolder.js";
import { annotationFiles, reusable, MANIFEST, type DatasetManifest, type PreparedDataset } from "./preparedDataset.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
export const FASHION_CLASSES = ["t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"] as const;
/** Words used in captions, and as answers (one answer token per class, as VQA answers are short). */
const NOUNS = ["t-shirt", "trousers", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"] as const;
// Answers say "tshirt": the official VQA eval leaves agreed ground truth as written but normalises predictions
// ("t-shirt" becomes "t shirt"), so a hyphenated answer could never be scored right. Captions keep "t-shirt", the
// word CLIP's zero-shot prompt ("t-shirt/top") must be grounded by.
const ANSWER_NOUNS = NOUNS.map((n) => n.replace("-", ""));
/**
 * Classes held out of CLIP's training for the zero-shot protocol: the last three labels (sneaker, bag, ankle boot),
 * fixed by that rule before any run.
 */
export const UNSEEN_CLASSES = [7, 8, 9] as const;
const CATEGORY = ["top", "bottoms", "top", "dress", "outerwear", "footwear", "top", "footwear", "accessory", "footwear"] as const;

export interface FashionMnistOptions {
  readonly seed?: number;
  readonly counts?: Partial<Record<"train" | "val" | "test", number>>;
  /** Folder with the IDX files (default: where Debian installs them). */
  readonly sourceDir?: string;
}

export const FASHION_MNIST_GENERATOR_VERSION = 4;
const DEFAULT_COUNTS = { train: 6000, val: 1000, test: 1000 };

function idxPath(dir: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new DataError("missing-file", `${join(dir, stem)}(.gz) not found; install Debian's dataset-fashion-mnist package`, join(dir, stem));
}

/** Missing source files, as a sentence, or null when the IDX files are present. */
export function fashionMnistUnavailable(dir = FASHION_MNIST_DIR): string | null {
  try {
    for (const stem of ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) idxPath(dir, stem);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** dark / light from the mean brightness of the garment's own pixels (the background is 0). */
function tone(pixels: Uint8Array): "dark" | "light" | null {
  let sum = 0, n = 0;
  for (const v of pixels) if (v > 16) { sum += v; n++; }
  const mean = n ? sum / n : 0;
  return mean < 90 ? "dark" : mean > 160 ? "light" : null;
}

function describe(label: number, pixels: Uint8Array, rng: Rng): { captions: string[]; questions: GeneratedQuestion[] } {
  const noun = NOUNS[label]!, t = tone(pixels);
  const an = (phrase: string): string => (/^[aeiou]/.test(phrase) ? `an ${phrase}` : `a ${phrase}`);
  const captions = [`a photo of ${an(t ? `${t} ${noun}` : noun)}`, `a black and white photo of ${an(noun)}`, `a low resolution picture of ${an(noun)}`];
  const footwear = CATEGORY[label] === "footwear";
  const pool: GeneratedQuestion[] = [
    { question: "what is this item?", answer: ANSWER_NOUNS[label]!, answerType: "other" },
    { question: "what kind of clothing is this?", answer: CATEGORY[label]!, answerType: "other" },
    { question: "is this footwear?", answer: footwear ? "yes" : "no", answerType: "yes/no" },
  ];
  if (t) pool.push({ question: "is this item dark or light?", answer: t, answerType: "other" });
  const questions: GeneratedQuestion[] = [];
  while (questions.length < 2) questions.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]!);
  return { captions, questions };
}

/** The generator's parameters (as its manifest records them) for `options`: the defaults filled in. */
export function fashionMnistParams(options: FashionMnistOptions = {}) {
  return { seed: options.seed ?? 0, counts: { ...DEFAULT_COUNTS, ...options.counts }, sourceDir: options.sourceDir ?? FASHION_MNIST_DIR };
}

/** Writes <outDir>/fashion-mnist/{images,annotations,manifest.json}: train and val from the 60k training set (disjoint, seeded), test from t10k. */
export function prepareFashionMnist(outDir: string, options: FashionMnistOptions & PrepareWriteOptions = {}): PreparedDataset {
  const root = join(outDir, "fashion-mnist");
  const params = fashionMnistParams(options);
  const sourceDir = params.sourceDir;
  const existing = reusable(root, "fashion-mnist", FASHION_MNIST_GENERATOR_VERSION, params);
  if (existing) return { root, files: annotationFiles(root, existing), manifest: existing, created: false };
  const trainImages = readIdx(idxPath(sourceDir, "train-images-idx3-ubyte")), trainLabels = readIdx(idxPath(sourceDir, "train-labels-idx1-ubyte"));
  const testImages = readIdx(idxPath(sourceDir, "t10k-images-idx3-ubyte")), testLabels = readIdx(idxPath(sourceDir, "t10k-labels-idx1-ubyte"));
  const nTrain = trainImages.dims[0]!, nTest = testImages.dims[0]!;
  const { train, val, test } = params.counts;
  if (train + val > nTrain || test > nTest) throw new DataError("unsupported", `fashion-mnist has ${nTrain} training and ${nTest} test images; asked for ${train}+${val} and ${test}`);
  const order = permutation(nTrain, createRng(deriveSeed(params.seed, 0xfa5)));
  const picks: Record<string, { images: IdxArray; labels: IdxArray; indices: number[] }> = {
    train: { images: trainImages, labels: trainLabels, indices: order.slice(0, train) },
    val: { images: trainImages, labels: trainLabels, indices: order.slice(nTrain - val) },
    test: { images: testImages, labels: testLabels, indices: Array.from({ length: test }, (_, i) => i) },
  };
  const folder = DatasetFolder.reset(root, options.force);
  const files: string[] = [];
  const splits: Record<string, GeneratedImage[]> = {};
  for (const [splitIndex, [split, pick]] of Object.entries(picks).entries()) {
    const [h, w] = [pick.images.dims[1]!, pick.images.dims[2]!];
    const rng = createRng(deriveSeed(params.seed, splitIndex));
    splits[split] = pick.indices.map((src) => {
      const pixels = pick.images.data.subarray(src * h * w, (src + 1) * h * w);
      const label = pick.labels.data[src]!;
      const source = split === "test" ? "t10k" : "train";
      const rel = `${split}/${source}_${String(src).padStart(5, "0")}.png`;
      folder.write(`images/${rel}`, encodePng(w, h, 1, pixels));
      files.push(`images/${rel}`);
      return { image: rel, imageId: `fmnist_${source}_${src}`, ...describe(label, pixels, rng), label };
    });
  }
  const written = writeLavisAnnotations(folder, splits, FASHION_CLASSES);
  const heldOut = writeHeldOutClassAnnotations(folder, splits, FASHION_CLASSES, UNSEEN_CLASSES);
  const manifest: DatasetManifest = {
    name: "fashion-mnist", generatorVersion: FASHION_MNIST_GENERATOR_VERSION, params, images: "images", annotations: { ...written.layout, ...heldOut.layout }, classnames: FASHION_CLASSES,
    counts: Object.fromEntries(Object.entries(splits).map(([s, imgs]) => [s, imgs.length])), files: [...written.files, ...heldOut.files, ...files],
  };
  folder.writeJson(MANIFEST, manifest);
  return { root, files: annotationFiles(root, manifest), manifest, created: true };
}
