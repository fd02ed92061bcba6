// CLIP's parameter arithmetic, as the runtime builds it (runtime/models/clipTransformer.ts, after LAVIS's
// lavis/models/clip_models/model.py: VisualTransformer, ResidualAttentionBlock and CLIP.__init__, OpenCLIP's): a ViT image tower and a causal text tower of pre-norm residual blocks, bias-free
// projections into embed_dim, and a learned logit scale. Every parameter is trained (no momentum copies).
import type { ParamEstimate, Sizes } from "./paramCount.js";

type Cfg = Readonly<Record<string, unknown>>;

/** The sizes of a resolved clip config (stdlib/lavisc_clip.lv's keys), or null when one is absent (RN50's vision). */
export function clipSizesOf(cfg: Cfg): Sizes | null {
  const n = (k: string): number => (typeof cfg[k] === "number" ? (cfg[k] as number) : Number.NaN);
  const s: Sizes = {
    vitWidth: n("vit_width"), vitDepth: n("vit_depth"), vitHeads: n("vit_heads"), patch: n("patch_size"), mlpRatio: n("vit_mlp_ratio"), imageSize: n("image_size"),
    textWidth: n("text_width"), textLayers: n("text_layers"), textHeads: n("text_heads"), intermediate: n("text_width") * n("text_mlp_ratio"),
    // The vocabulary built from the training texts may be smaller (then this is an upper bound, as for BLIP).
    vocab: n("vocab_size"), textLen: n("max_txt_len"), positions: n("max_txt_len"), embedDim: n("embed_dim"),
  };
  return Object.values(s).some((v) => Number.isNaN(v)) ? null : s;
}

/** open_clip's ResidualAttentionBlock: ln_1, packed in_proj, out_proj, ln_2, c_fc, c_proj. */
function blockParams(width: number, hidden: number): number {
  return 2 * width + (3 * width * width + 3 * width) + (width * width + width) + 2 * width + (width * hidden + hidden) + (hidden * width + width);
}

export function estimateClipParams(cfg: Cfg): ParamEstimate | null {
  const s = clipSizesOf(cfg);
  if (!s) return null;
  const V = s.vitWidth, T = s.textWidth, E = s.embedDim;
  // conv1 (no bias), class_embedding, positional_embedding, ln_pre, blocks, ln_post, proj.
  const patches = (s.imageSize / s.patch) ** 2;
  const visual = 3 * s.patch * s.patch * V + V + (patches + 1) * V + 2 * V + s.vitDepth * blockParams(V, V * s.mlpRatio) + 2 * V + V * E;
  // token_embedding, positional_embedding, blocks, ln_final, text_projection.
  const text = s.vocab * T + s.positions * T + s.textLayers * blockParams(T, s.intermediate) + 2 * T + T * E;
  const parts = { visual, text, logit_scale: 1 };
  const total = visual + text + 1;
  return { total, trainable: total, parts, sizes: s };
}
