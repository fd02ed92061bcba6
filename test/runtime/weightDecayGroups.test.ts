// Which parameters AdamW decays, for every arch the tfjs engine builds (its tiny type at a test size: one ViT block,
// one text layer). LAVIS's RunnerBase.optimizer (lavis/runners/runner_base.py @eb3189b) puts a trainable parameter in
// the group without weight decay when `p.ndim < 2 or "bias" in n or "ln" in n or "bn" in n`: every bias and
// LayerNorm parameter of these models has ndim 1, so the decayed ones are the weight matrices, convolution kernels,
// embeddings and BLIP's ViT cls_token and pos_embed (ndim 3: decayed by LAVIS's rule, unlike timm's own).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TFJS_ARCHS, type TfjsArch } from "../../src/runtime/runSpec.js";
import { compiledNoDecay, decayedParams } from "./decayedParams.js";

const VIT = ["attn.proj.weight", "attn.qkv.weight", "mlp.fc1.weight", "mlp.fc2.weight"].map((p) => `visual_encoder.blocks.0.${p}`)
  .concat(["visual_encoder.cls_token", "visual_encoder.patch_embed.proj.weight", "visual_encoder.pos_embed"]);

/** A BERT's decayed weights under `prefix` (`text_encoder.`, `text_decoder.bert.`), with cross-attention or not. */
function bert(prefix: string, cross: boolean): string[] {
  const attention = (a: string) => ["output.dense.weight", "self.key.weight", "self.query.weight", "self.value.weight"].map((p) => `encoder.layer.0.${a}.${p}`);
  const layer = [...attention("attention"), ...(cross ? attention("crossattention") : []), "encoder.layer.0.intermediate.dense.weight", "encoder.layer.0.output.dense.weight"];
  return ["embeddings.position_embeddings.weight", "embeddings.word_embeddings.weight", ...layer].map((p) => prefix + p);
}

const DECODER = [...bert("text_decoder.bert.", true), "text_decoder.cls.predictions.transform.dense.weight"];
const CLIP_TOWER = ["attn.in_proj_weight", "attn.out_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"].map((p) => `transformer.resblocks.0.${p}`);

/** The decayed parameters and the number of trainable ones, per arch. */
const PINNED: Record<TfjsArch, { decayed: string[]; trainable: number }> = {
  blip_retrieval: { trainable: 55, decayed: [...VIT, ...bert("text_encoder.", true), "itm_head.weight", "text_proj.weight", "vision_proj.weight"] },
  blip_caption: { trainable: 53, decayed: [...VIT, ...DECODER] },
  blip_vqa: { trainable: 83, decayed: [...VIT, ...bert("text_encoder.", true), ...DECODER] },
  blip_classification: { trainable: 52, decayed: [...VIT, ...bert("text_encoder.", true), "cls_head.0.weight", "cls_head.2.weight"] },
  albef_classification: { trainable: 42, decayed: [...VIT, ...bert("text_encoder.", false), "cls_head.0.weight", "cls_head.2.weight"] },
  blip_feature_extractor: { trainable: 53, decayed: [...VIT, ...bert("text_encoder.", true), "text_proj.weight", "vision_proj.weight"] },
  clip: {
    trainable: 38,
    decayed: [...CLIP_TOWER, ...CLIP_TOWER.map((p) => `visual.${p}`), "positional_embedding", "text_projection", "token_embedding.weight", "visual.conv1.weight", "visual.positional_embedding", "visual.proj"],
  },
};

const rule = compiledNoDecay();

for (const arch of TFJS_ARCHS) {
  test(`${arch}: the parameters AdamW decays`, () => {
    const got = decayedParams(arch, rule);
    assert.is(got.trainable, PINNED[arch].trainable);
    assert.equal(got.decayed, [...PINNED[arch].decayed].sort());
  });
}

test.run();
