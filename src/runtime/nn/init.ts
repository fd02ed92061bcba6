// Initial values of each kind of parameter as LAVIS's modules draw them when no weights are loaded, each with what
// lavisc's `init_std = x` draws instead (`InitStdDraw`, applied by ParamStore). The stds that are LAVIS's own facts
// (timm ViT's 0.02, the med config's initializer_range) come from the model config, filled in by the stdlib
// (stdlib/encoders.lv); the distributions, PyTorch's and timm's, are here.
import type { Init, InitStdDraw, LinearInit } from "./paramStore.js";

export const ZEROS: Init = { kind: "zeros" };

/** timm's trunc_normal_(std=std) (lavis/models/vit.py: pos_embed, cls_token, `_init_weights`' Linear weights). */
export function timmTruncNormal(std: number): Init {
  return { kind: "truncNormal", std, initStd: "truncNormal" };
}

/** A ViT Linear (vit.py VisionTransformer._init_weights): trunc_normal_(std) weight, zero bias. */
export function timmLinear(std: number): LinearInit {
  return { weight: timmTruncNormal(std), bias: ZEROS };
}

/**
 * A BERT Linear (lavis/models/med.py BertPreTrainedModel._init_weights): normal_(0, initializer_range) weight,
 * untruncated, and a zero bias; `init_std` truncates its draw at ±2x.
 */
export function bertLinear(initializerRange: number): LinearInit {
  return { weight: { kind: "normal", std: initializerRange, initStd: "truncNormal" }, bias: ZEROS };
}

/** A BERT nn.Embedding (the same _init_weights): normal_(0, initializer_range), the padding row included. */
export function bertEmbedding(initializerRange: number): Init {
  return { kind: "normal", std: initializerRange, initStd: "normal" };
}

/**
 * PyTorch's default nn.Linear / nn.Conv2d weight, kaiming_uniform_(a=√5): U(±1/√fan_in) (std 1/√(3·fan_in)).
 * `initStd`: what `init_std` draws for it (lavisc has drawn a truncated normal for BLIP's, a plain one for CLIP's).
 */
export function torchDefaultWeight(fanIn: number, initStd: InitStdDraw): Init {
  return { kind: "uniform", bound: fanIn ** -0.5, initStd };
}

/** PyTorch's default nn.Linear / nn.Conv2d bias: U(±1/√fan_in); `init_std` makes it zero. */
export function torchDefaultBias(fanIn: number): Init {
  return { kind: "uniform", bound: fanIn ** -0.5, initStd: "zeros" };
}

/** A Linear LAVIS leaves at PyTorch's default (BLIP's vision_proj, text_proj, itm_head, cls_head). */
export function torchLinear(fanIn: number): LinearInit {
  return { weight: torchDefaultWeight(fanIn, "truncNormal"), bias: torchDefaultBias(fanIn) };
}

/** nn.init.xavier_uniform_: U(±√(6/(fan_in + fan_out))) (nn.MultiheadAttention's in_proj_weight); `init_std`: normal. */
export function xavierUniform(fanIn: number, fanOut: number): Init {
  return { kind: "uniform", bound: Math.sqrt(6 / (fanIn + fanOut)), initStd: "normal" };
}

/** nn.init.normal_(std), or `std * torch.randn` (OpenCLIP's init_parameters and embeddings); `init_std`: normal. */
export function plainNormal(std: number): Init {
  return { kind: "normal", std, initStd: "normal" };
}
