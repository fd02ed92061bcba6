// LAVIS scores a split only when every item has a prediction and something to score it against (VQA's loadRes and
// COCOEvalCap assert it), except retrieval's images without captions, which it scores as misses (`lavisDiffers`).
// lavisc refuses them all instead of scoring a subset: the error says how many items lack a prediction or
// references, and names the first few.
import { DataError } from "../data/dataError.js";

export interface Coverage {
  /** What was evaluated, for the message: `captioning of split "val"`, `retrieval`. */
  readonly what: string;
  /** One scored item: "question", "image", "caption", "instance". */
  readonly unit: string;
  /** Every item the split has. */
  readonly expected: Iterable<string | number>;
  /** Items that got a prediction (items not in `expected` are reported too). */
  readonly predicted: Iterable<string | number>;
  /** Items with nothing to score their prediction against (no reference captions, answers or label). */
  readonly withoutReference?: Iterable<string | number>;
  /** What LAVIS does instead where it does not refuse the items without references (the message says it). */
  readonly lavisDiffers?: string;
}

const LISTED = 5;

function sample(items: readonly (string | number)[]): string {
  return `${items.slice(0, LISTED).map((x) => JSON.stringify(x)).join(", ")}${items.length > LISTED ? ", ..." : ""}`;
}

/** Throws DataError "incomplete-evaluation" unless the split has items, and every one a prediction and a reference. */
export function requireCompleteEvaluation(c: Coverage): void {
  const expected = new Set(c.expected);
  requireItems(c, expected.size);
  const predicted = new Set(c.predicted);
  const noPrediction = [...expected].filter((x) => !predicted.has(x));
  const unknown = [...predicted].filter((x) => !expected.has(x));
  const noReference = [...new Set(c.withoutReference ?? [])];
  const problems: string[] = [];
  const n = expected.size;
  if (noPrediction.length) problems.push(`${noPrediction.length} of ${n} ${c.unit}s have no prediction (${sample(noPrediction)})`);
  if (unknown.length) problems.push(`${unknown.length} predictions are for ${c.unit}s the split does not have (${sample(unknown)})`);
  if (noReference.length) problems.push(`${noReference.length} of ${n} ${c.unit}s have no references to score against (${sample(noReference)})`);
  if (!problems.length) return;
  throw new DataError(
    "incomplete-evaluation",
    `${c.what} would score only part of the split: ${problems.join("; ")}. ${c.lavisDiffers && noReference.length ? `lavisc scores complete splits only (${c.lavisDiffers})` : "lavisc, like LAVIS, scores complete splits only"}; give every ${c.unit} its references in the annotation files (or remove it)`,
  );
}

/** A split with no items has no score (not a score of 0): `CIDEr 0, agg_metrics 0` for an annotation file `[]`. */
function requireItems(c: Coverage, n: number): void {
  if (n > 0) return;
  throw new DataError("incomplete-evaluation", `${c.what} has no ${c.unit}s to score: the split has no records, and a metric of nothing is no score (not 0); give the split annotations with records, or leave it out of valid_splits / test_splits`);
}

/** 0, 1, ..., n-1. */
export const indices = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
