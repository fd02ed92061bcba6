// COCOEvalCap's metrics for a captioning split (fractions, as pycocoevalcap), with LAVIS's agg_metrics = CIDEr + Bleu_4.
// METEOR and SPICE run Java programs in pycocoevalcap; they are not computed (TFJS_METRICS_NOT_COMPUTED in
// ../runSpec.ts: `lavisc plan` and the run log say so).
import { corpusBleu } from "./captionBleu.js";
import { corpusCider } from "./captionCider.js";
import { corpusRougeL } from "./captionRouge.js";
import { captionTokenize } from "./captionTokenize.js";
import { indices, requireCompleteEvaluation } from "./completeness.js";

/** Raw candidate captions and raw reference captions per image (tokenised here); every image needs both. */
export function captionMetrics(candidates: readonly string[], references: readonly (readonly string[])[], what = "captioning"): Record<string, number> {
  requireCompleteEvaluation({
    what, unit: "image", expected: indices(Math.max(candidates.length, references.length)), predicted: indices(candidates.length),
    withoutReference: indices(candidates.length).filter((i) => !references[i]?.length),
  });
  const cands = candidates.map(captionTokenize);
  const refs = references.map((rs) => rs.map(captionTokenize));
  const bleu = corpusBleu(cands, refs);
  const rouge = corpusRougeL(cands, refs);
  const cider = corpusCider(cands, refs).score;
  return {
    Bleu_1: bleu[0]!,
    Bleu_2: bleu[1]!,
    Bleu_3: bleu[2]!,
    Bleu_4: bleu[3]!,
    ROUGE_L: rouge,
    CIDEr: cider,
    agg_metrics: cider + bleu[3]!,
  };
}
