// Reads blip_retrieval's model config: BlipEncoders' keys plus its own (stdlib/lavisc.lv: the sizes, and LAVIS's
// constants the stdlib declares as keys: the ITC temperature's init and clamp, alpha's ramp-up, idx_queue's fill), all
// filled in by the compiler, and what its retrieval evaluation reads from the RunSpec (stdlib/evaluation.lv): the
// length it reads texts at (`retrievalEvalTxtLen`) and the score of the pairs it does not re-rank (`retrievalScoreFill`).
import type { ModelSpec } from "../runSpec.js";
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipRetrievalConfig extends BlipSizes {
  readonly embedDim: number;
  readonly queueSize: number;
  readonly momentum: number;
  readonly alpha: number;
  /** Epochs over which alpha ramps up linearly from 0 (`alpha_rampup_epochs`, LAVIS's 2). */
  readonly alphaRampupEpochs: number;
  /** `temp` starts here (`init_temperature`, LAVIS's 0.07) and is clamped to [min, max] before every training step. */
  readonly temperature: { readonly init: number; readonly min: number; readonly max: number };
  /** What idx_queue starts filled with (`idx_queue_fill`, LAVIS's -100): an image id no sample has. */
  readonly idxQueueFill: number;
  /**
   * The score retrieval evaluation gives the pairs ITM does not re-rank (the RunSpec's `retrievalScoreFill`, LAVIS's
   * -100.0); null where the RunSpec has none, and then evaluation refuses to run.
   */
  readonly scoreFill: number | null;
  /** ITM hard negatives mined over every rank's batch (LAVIS all_gather_with_grad); false: within the batch. */
  readonly negativeAllRank: boolean;
  /**
   * Tokens every text of a retrieval evaluation is padded and truncated to: LAVIS's compute_sim_matrix uses 35,
   * whatever max_txt_len (which only training reads); max_txt_len where the RunSpec gives no length.
   */
  readonly evalTxtLen: number;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipRetrievalConfig(raw: Readonly<Record<string, unknown>>, model?: Pick<ModelSpec, "retrievalEvalTxtLen" | "retrievalScoreFill">): BlipRetrievalConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const sizes = readBlipSizes(raw, errors);
  const evalTxtLen = model?.retrievalEvalTxtLen ?? sizes.maxTxtLen;
  // The text encoder has max(text_positions, max_txt_len) positions (sizing.ts bertConfigOf); evaluation reads that many at most.
  const positions = Math.max(sizes.textPositions, sizes.maxTxtLen);
  if (!errors.length && evalTxtLen > positions) {
    errors.push(`blip_retrieval's retrieval evaluation reads texts of ${evalTxtLen} tokens (LAVIS's compute_sim_matrix), but the text encoder has ${positions} positions: set model.text_positions to at least ${evalTxtLen}`);
  }
  const cfg: BlipRetrievalConfig = { ...sizes, embedDim: r.int("embed_dim"), queueSize: r.int("queue_size"), momentum: r.num("momentum"), alpha: r.num("alpha"),
    alphaRampupEpochs: r.int("alpha_rampup_epochs"), idxQueueFill: r.negative("idx_queue_fill", true), scoreFill: model?.retrievalScoreFill ?? null,
    temperature: { init: r.num("init_temperature"), min: r.num("temperature_min"), max: r.num("temperature_max") },
    negativeAllRank: raw["negative_all_rank"] === true, evalTxtLen };
  return errors.length ? errors : cfg;
}
