// Training compute of a planned run, for time estimates: the usual transformer rule of thumb, about 6 FLOPs per
// trainable parameter per token seen (2 forward, 4 backward) and 2 per frozen parameter (momentum encoders run forward
// only), with the ViT's parameters seeing the image tokens and the text side's the text tokens. Evaluation and data
// loading are not counted; a measured throughput (FLOP/s of real runs) turns it into time.
import type { ParamEstimate } from "./paramCount.js";

export function trainFlopsPerStep(p: ParamEstimate, batch: number): number {
  const s = p.sizes;
  const imageTokens = (s.imageSize / s.patch) ** 2 + 1;
  const vision = p.parts["visual_encoder"] ?? 0;
  const momentum = p.parts["momentum_encoders"] ?? 0;
  const momentumVision = momentum ? vision : 0;
  const text = p.total - vision - momentum;
  return batch * (6 * (vision * imageTokens + text * s.textLen) + 2 * (momentumVision * imageTokens + (momentum - momentumVision) * s.textLen));
}
