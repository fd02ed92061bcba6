// Reads blip_classification's model config: BlipEncoders' keys plus num_classes, use_distill, momentum, alpha and
// alpha_rampup_epochs (stdlib/lavisc_blip_classification.lv), all filled in or checked by the compiler.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipClassificationConfig extends BlipSizes {
  readonly numClasses: number;
  /** Momentum distillation: an EMA copy of the model gives soft targets. */
  readonly useDistill: boolean;
  readonly momentum: number;
  readonly alpha: number;
  /** Epochs over which alpha ramps up linearly from 0 (`alpha_rampup_epochs`, LAVIS's 1). */
  readonly alphaRampupEpochs: number;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipClassificationConfig(raw: Readonly<Record<string, unknown>>): BlipClassificationConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const cfg: BlipClassificationConfig = {
    ...readBlipSizes(raw, errors, 2),
    numClasses: r.int("num_classes", 2),
    useDistill: r.bool("use_distill"),
    momentum: r.num("momentum"),
    alpha: r.num("alpha"),
    alphaRampupEpochs: r.int("alpha_rampup_epochs"),
  };
  return errors.length ? errors : cfg;
}
