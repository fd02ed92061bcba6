// Checks a run's data before training starts: annotation files (downloading them if they have a url), their
// contents, the processors, and that every referenced image is a regular file whose header declares a size Pillow
// accepts (imageFindings.ts). Problems come back as structured findings (with the first few paths and a count)
// instead of failing mid-epoch.
import { statSync } from "node:fs";
import { TFJS_DATA_TYPES, type DatasetSpec } from "../runSpec.js";
import { readSplit, type SplitData } from "./annotations.js";
import { resolveStorage } from "./cache.js";
import { shadowedLocalUrl, shadowedUrlMessage } from "./shadowedUrl.js";
import { DataError, type DataErrorCode } from "./dataError.js";
import { StorageError, type StorageFault } from "../../storage/index.js";
import { createImageProcessor } from "./processors/imageProcessors.js";
import { createTextProcessor, type TextProcessor } from "./processors/textProcessors.js";
import { emptySplitMessage } from "./emptySplit.js";
import { checkSplitImages, type ImageFinding } from "./imageFindings.js";
import { uncaptionedImagesMessage } from "./uncaptionedImages.js";

export type DataFindingCode = DataErrorCode | StorageFault | "missing-split" | ImageFinding["code"] | "missing-image-root" | "empty-split" | "uncaptioned-images" | "shadowed-url";

export interface DataFinding {
  readonly severity: "error" | "warning";
  readonly code: DataFindingCode;
  readonly dataset: string;
  readonly split?: string;
  readonly message: string;
  /** The first few offending paths. */
  readonly paths: readonly string[];
  /** How many paths are affected in total. */
  readonly count: number;
}

export interface PreflightOptions {
  readonly trainSplits: readonly string[];
  readonly evalSplits: readonly string[];
  /** How many paths a finding lists (default 5). */
  readonly maxListed?: number;
}

export interface PreflightResult {
  readonly findings: readonly DataFinding[];
  /** Record and image counts per "<dataset>/<split>" that could be read. */
  readonly splits: Readonly<Record<string, { readonly records: number; readonly images: number }>>;
}

export async function preflightData(datasets: readonly DatasetSpec[], opts: PreflightOptions): Promise<PreflightResult> {
  const maxListed = opts.maxListed ?? 5;
  const findings: DataFinding[] = [];
  const splits: Record<string, { records: number; images: number }> = {};
  const add = (f: Omit<DataFinding, "paths" | "count"> & Partial<Pick<DataFinding, "paths" | "count">>): void => {
    const paths = f.paths ?? [];
    findings.push({ ...f, paths: paths.slice(0, maxListed), count: f.count ?? paths.length });
  };
  for (const ds of datasets) {
    const base = { dataset: ds.name };
    if (!(TFJS_DATA_TYPES as readonly string[]).includes(ds.dataType)) {
      add({ ...base, severity: "error", code: "unsupported", message: `dataset ${ds.name} has data_type "${ds.dataType}"; the runtime only loads images` });
      continue;
    }
    const procs = checkProcessors(ds, (message) => add({ ...base, severity: "error", code: "unsupported", message }));
    if (!isDirectory(ds.imageRoot)) {
      add({ ...base, severity: "error", code: "missing-image-root", message: `image folder ${ds.imageRoot} does not exist`, paths: [ds.imageRoot], count: 1 });
    }
    const wanted = [...opts.trainSplits.map((s) => ({ split: s, train: true })), ...opts.evalSplits.map((s) => ({ split: s, train: false }))];
    for (const { split, train } of wanted) {
      const at = { ...base, split };
      if (!ds.splits.some((s) => s.split === split)) {
        // The runner trains (and evaluates) each split on the datasets that have it; only a split no dataset has is an error.
        const anyHas = datasets.some((d) => d.splits.some((s) => s.split === split));
        if (!anyHas) add({ ...at, severity: train ? "error" : "warning", code: "missing-split", message: `no dataset has a "${split}" split${train ? "" : "; it will not be evaluated"}` });
        continue;
      }
      for (const ann of ds.splits.find((s) => s.split === split)!.annotations) {
        const path = resolveStorage(ds, ann.storage);
        if (shadowedLocalUrl(ann.url, path)) add({ ...at, severity: "warning", code: "shadowed-url", message: `${ds.name}/${split}: ${path} exists, and ${shadowedUrlMessage(ann.url!, path)}; move it away to use the url's file`, paths: [path], count: 1 });
      }
      let data: SplitData;
      try {
        data = await readSplit(ds, split, train, (train ? procs.trainText : procs.evalText) ?? ((t) => t));
      } catch (e) {
        if (e instanceof StorageError) add({ ...at, severity: "error", code: e.fault, message: e.message, paths: [e.path], count: 1 });
        else if (e instanceof DataError) add({ ...at, severity: "error", code: e.code, message: e.message, paths: e.path ? [e.path] : [], count: e.path ? 1 : 0 });
        else throw e;
        continue;
      }
      const checked = await checkSplitImages(ds.imageRoot, data.records, `${ds.name}/${split}`);
      splits[`${ds.name}/${split}`] = { records: data.records.length, images: checked.images };
      if (data.records.length === 0) add({ ...at, severity: "error", code: "empty-split", message: emptySplitMessage(ds.name, split, train) });
      const uncaptioned = data.retrieval?.uncaptioned ?? [];
      if (uncaptioned.length) {
        const files = [...new Set(uncaptioned.map((u) => u.file))];
        add({ ...at, severity: "error", code: "uncaptioned-images", message: uncaptionedImagesMessage(ds.name, split, uncaptioned, data.records.length), paths: files, count: files.length });
      }
      for (const f of checked.findings) add({ ...at, ...f, count: f.paths.length });
    }
  }
  return { findings, splits };
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function checkProcessors(ds: DatasetSpec, report: (message: string) => void): { trainText?: TextProcessor; evalText?: TextProcessor } {
  const out: { trainText?: TextProcessor; evalText?: TextProcessor } = {};
  for (const slot of ["train", "eval"] as const) {
    const vis = ds.visProcessor[slot];
    try { if (vis) createImageProcessor(vis); } catch (e) { report(`${ds.name} vis_processor.${slot}: ${(e as Error).message}`); }
    try { out[slot === "train" ? "trainText" : "evalText"] = createTextProcessor(ds.textProcessor[slot]); } catch (e) { report(`${ds.name} text_processor.${slot}: ${(e as Error).message}`); }
  }
  return out;
}
