// Reads blip_retrieval's model config: BlipEncoders' keys plus its own (stdlib/lavisc.lv), all filled in by the compiler.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipRetrievalConfig extends BlipSizes {
  readonly embedDim: number;
  readonly queueSize: number;
  readonly momentum: number;
  readonly alpha: number;
  /** ITM hard negatives mined over every rank's batch (LAVIS all_gather_with_grad); false: within the batch. */
  readonly negativeAllRank: boolean;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipRetrievalConfig(raw: Readonly<Record<string, unknown>>): BlipRetrievalConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const cfg: BlipRetrievalConfig = { ...readBlipSizes(raw, errors), embedDim: r.int("embed_dim"), queueSize: r.int("queue_size"), momentum: r.num("momentum"), alpha: r.num("alpha"), negativeAllRank: raw["negative_all_rank"] === true };
  return errors.length ? errors : cfg;
}
