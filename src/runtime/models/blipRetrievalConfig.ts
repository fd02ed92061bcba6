// Reads blip_retrieval's model config: BlipEncoders' keys plus its own (stdlib/lavisc.lv), all filled in by the compiler.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipRetrievalConfig extends BlipSizes {
  readonly embedDim: number;
  readonly queueSize: number;
  readonly momentum: number;
  readonly alpha: number;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipRetrievalConfig(raw: Readonly<Record<string, unknown>>): BlipRetrievalConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const cfg: BlipRetrievalConfig = { ...readBlipSizes(raw, errors), embedDim: r.int("embed_dim"), queueSize: r.int("queue_size"), momentum: r.num("momentum"), alpha: r.num("alpha") };
  return errors.length ? errors : cfg;
}
