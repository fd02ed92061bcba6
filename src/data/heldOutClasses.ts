// A held-out-classes split of a labelled dataset, for zero-shot classification that is zero-shot: training captions
// come only from images of the seen classes, validation (which chooses the checkpoint) classifies seen-class images
// among the seen classes, and the test split classifies images of the unseen classes among the unseen classes only.
// No class name used at test time appears in a training caption, and the unseen classes never steer a choice.
import type { DatasetFolder } from "./datasetFolder.js";
import type { AnnotationLayout } from "./preparedDataset.js";
import type { GeneratedImage } from "./lavisAnnotations.js";

export interface HeldOutFiles {
  readonly layout: AnnotationLayout;
  readonly files: string[];
}

/**
 * annotations/captions_train_seen.json, classification_val_seen.json with classnames_seen.json, and
 * classification_test_unseen.json with classnames_unseen.json; labels are renumbered within each class list.
 */
export function writeHeldOutClassAnnotations(
  folder: DatasetFolder,
  splits: Readonly<Record<string, readonly GeneratedImage[]>>,
  classnames: readonly string[],
  unseen: readonly number[],
): HeldOutFiles {
  const files: string[] = [];
  const put = (rel: string, value: unknown): string => {
    folder.writeJson(rel, value);
    files.push(rel);
    return rel;
  };
  const seen = classnames.map((_, i) => i).filter((i) => !unseen.includes(i));
  const records = (imgs: readonly GeneratedImage[], classes: readonly number[]) =>
    imgs.filter((img) => img.label !== null && classes.includes(img.label)).map((img) => ({ image: img.image, label: classes.indexOf(img.label!), image_id: img.imageId }));
  const captions = put("annotations/captions_train_seen.json", (splits["train"] ?? [])
    .filter((img) => img.label !== null && seen.includes(img.label))
    .flatMap((img) => img.captions.map((caption) => ({ image: img.image, caption, image_id: img.imageId }))));
  const seenNames = put("annotations/classnames_seen.json", seen.map((i) => classnames[i]));
  const unseenNames = put("annotations/classnames_unseen.json", unseen.map((i) => classnames[i]));
  const val = put("annotations/classification_val_seen.json", records(splits["val"] ?? [], seen));
  const test = put("annotations/classification_test_unseen.json", records(splits["test"] ?? [], unseen));
  return {
    files,
    layout: { caption_seen_classes: { train: [captions] }, classification_held_out: { val: [val, seenNames], test: [test, unseenNames] } },
  };
}
