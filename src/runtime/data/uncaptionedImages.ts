// An evaluated retrieval split with an image whose `caption` list is empty. LAVIS keeps such an image without a word:
// RetrievalEvalDataset.__init__ (lavis/datasets/datasets/retrieval_datasets.py) gives it an empty img2txt entry, and
// RetrievalTask._report_metrics (lavis/tasks/retrieval.py) leaves its rank at 1e20, a miss counted in the division,
// so txt_r1/r5/r10 (and agg_metrics) drop by 100/N each for every such image, whatever the model does. lavisc refuses
// it before training instead of reporting those lowered recalls (metrics/completeness.ts refuses it at evaluation too).
import type { RecordOrigin } from "./annotations.js";

/** The preflight message for the first of `uncaptioned` (of `images` the split has), naming its file, record and image. */
export function uncaptionedImagesMessage(dataset: string, split: string, uncaptioned: readonly RecordOrigin[], images: number): string {
  const first = uncaptioned[0]!;
  const more = uncaptioned.length > 1 ? ` (first: ${first.file} record ${first.index}, image ${JSON.stringify(first.image)})` : ` (${first.file} record ${first.index}, image ${JSON.stringify(first.image)})`;
  return `${uncaptioned.length} of ${images} images of ${dataset}/${split} have an empty "caption" list${more}: `
    + "image-to-text retrieval has nothing to find for them. LAVIS would score each one as a miss (RetrievalTask._report_metrics ranks it 1e20), "
    + "lowering txt_r1/r5/r10 and agg_metrics without a word; lavisc refuses to: give each image its captions, or remove its record";
}
