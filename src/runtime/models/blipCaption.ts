// BLIP image captioning (LAVIS BlipCaption): ViT image encoder + causal BERT decoder cross-attending to the image,
// trained with the label-smoothed (0.1) language-model loss on the captions after the prompt; evaluated by beam search
// from the prompt and COCO caption metrics (captionMetrics).
import * as tf from "@tensorflow/tfjs";
import { ParamStore } from "../nn/paramStore.js";
import { declareVit, vitForward } from "../nn/vit.js";
import type { BertConfig } from "../nn/bertEncoder.js";
import { declareDecoder, decoderHidden, decoderLogits, tiedDecoderWeight } from "../nn/decoder.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "../train/rng.js";
import { captionMetrics, CAPTION_METRICS_NOT_COMPUTED } from "../metrics/captionMetrics.js";
import type { BlipCaptionConfig } from "./blipCaptionConfig.js";
import { beamSearch } from "./blipCaptionBeamSearch.js";
import { decodeCaption, readGenerationParams } from "./blipCaptionText.js";
import type { EvalContext, EvalOutcome, Model, PreparedStep, StateDictIssues, StepContext, TrainBatch } from "./model.js";

const LABEL_SMOOTHING = 0.1;
const DECODER = "text_decoder.";

export class BlipCaption implements Model {
  readonly arch = "blip_caption";
  private readonly main: ParamStore;
  private readonly bert: BertConfig;
  /** BLIP's bos_token_id: [DEC] (added by BLIP's tokenizer); [CLS] when the vocabulary lacks it. */
  private readonly bosId: number;
  /** len(tokenizer(prompt).input_ids) - 1: the bos and prompt positions, whose targets are masked. */
  readonly promptLength: number;

  constructor(readonly cfg: BlipCaptionConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    const rng = new Rng(seed);
    this.main = new ParamStore(rng, true, cfg.initStd);
    this.bert = {
      vocabSize: tokenizer.size,
      maxPositions: Math.max(512, cfg.maxTxtLen),
      width: cfg.textWidth,
      layers: cfg.textLayers,
      heads: cfg.textHeads,
      intermediate: cfg.textIntermediate,
      encoderWidth: cfg.vit.width,
    };
    declareVit(this.main, "visual_encoder.", cfg.vit);
    declareDecoder(this.main, DECODER, this.bert);
    const dec = tokenizer.vocab.indexOf("[DEC]");
    this.bosId = dec >= 0 ? dec : tokenizer.clsId;
    this.promptLength = tokenizer.tokenize(cfg.prompt).length + 1;
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  prepareStep(batch: TrainBatch, _ctx: StepContext): PreparedStep {
    const bs = batch.text.length;
    const enc = this.tokenizer.encode(batch.text, this.cfg.maxTxtLen);
    // padding="longest": trim the batch to its longest caption.
    let t = 2;
    for (let b = 0; b < bs; b++) {
      let n = 0;
      for (let j = 0; j < enc.maxLen; j++) n += enc.mask[b * enc.maxLen + j]!;
      t = Math.max(t, n);
    }
    const ids = new Int32Array(bs * t);
    const mask = new Float32Array(bs * t);
    const labels = new Int32Array(bs * (t - 1));
    const weights = new Float32Array(bs * (t - 1));
    for (let b = 0; b < bs; b++) {
      for (let j = 0; j < t; j++) {
        ids[b * t + j] = j === 0 ? this.bosId : enc.ids[b * enc.maxLen + j]!;
        mask[b * t + j] = enc.mask[b * enc.maxLen + j]!;
      }
      // Position j predicts token j+1; pads and the prompt (targets before promptLength) are not scored.
      for (let j = 0; j + 1 < t; j++) {
        labels[b * (t - 1) + j] = ids[b * t + j + 1]!;
        weights[b * (t - 1) + j] = mask[b * t + j + 1]! > 0 && j + 1 >= this.promptLength ? 1 : 0;
      }
    }
    const idsT = tf.tensor2d(ids, [bs, t], "int32");
    const maskT = tf.tensor2d(mask, [bs, t]);
    const labelsT = tf.tensor2d(labels, [bs, t - 1], "int32");
    const weightsT = tf.tensor2d(weights, [bs, t - 1]);
    const p = this.main.lookup();
    let lastLoss: tf.Scalar | null = null;
    let last: Record<string, number> = {};
    return {
      loss: () => {
        const image = vitForward(p, "visual_encoder.", this.cfg.vit, batch.image);
        const hidden = decoderHidden(p, DECODER, this.bert, idsT, maskT, image).slice([0, 0, 0], [-1, t - 1, -1]);
        const logp = tf.logSoftmax(decoderLogits(p, DECODER, hidden), -1);
        const v = this.bert.vocabSize;
        // torch CrossEntropyLoss(label_smoothing=ε): target distribution (1-ε)·onehot + ε/V, mean over scored tokens.
        const target = tf.oneHot(labelsT, v).mul(1 - LABEL_SMOOTHING).add(LABEL_SMOOTHING / v);
        const perToken = logp.mul(target).sum(-1).neg();
        const loss = perToken.mul(weightsT).sum().div(weightsT.sum().maximum(1)) as tf.Scalar;
        lastLoss?.dispose();
        lastLoss = tf.keep(loss.clone());
        return loss;
      },
      components: () => {
        if (lastLoss) {
          const l = lastLoss.dataSync()[0]!;
          last = { loss: l, loss_lm: l };
          lastLoss.dispose();
          lastLoss = null;
        }
        return last;
      },
      commit: () => {},
      dispose: () => {
        lastLoss?.dispose();
        tf.dispose([idsT, maskT, labelsT, weightsT]);
      },
    };
  }

  /** Captions for a batch of images by beam search from [DEC] + prompt (BlipCaption.generate). */
  async generate(image: tf.Tensor4D, params: ReturnType<typeof readGenerationParams>): Promise<string[]> {
    const p = this.main.lookup();
    const n = image.shape[0];
    const k = params.numBeams;
    const embeds = tf.tidy(() => {
      const e = vitForward(p, "visual_encoder.", this.cfg.vit, image);
      return tf.gather(e, tf.tensor1d(Array.from({ length: n * k }, (_, r) => Math.floor(r / k)), "int32")) as tf.Tensor3D;
    });
    const promptIds = [this.bosId, ...this.tokenizer.encode([this.cfg.prompt], this.cfg.maxTxtLen + this.promptLength).ids.slice(1, this.promptLength)];
    try {
      const seqs = await beamSearch({
        batch: n,
        numBeams: k,
        maxLength: params.maxLen,
        minLength: params.minLen,
        repetitionPenalty: params.repetitionPenalty,
        lengthPenalty: params.lengthPenalty,
        prompt: promptIds,
        eosId: this.tokenizer.sepId,
        padId: this.tokenizer.padId,
        logProbs: async (rows) => {
          const t = rows[0]!.length;
          const data = tf.tidy(() => {
            const ids = tf.tensor2d(Int32Array.from(rows.flat()), [rows.length, t], "int32");
            const hidden = decoderHidden(p, DECODER, this.bert, ids, tf.ones([rows.length, t]) as tf.Tensor2D, embeds);
            const lastHidden = hidden.slice([0, t - 1, 0], [-1, 1, -1]).squeeze([1]);
            return tf.logSoftmax(decoderLogits(p, DECODER, lastHidden), -1).dataSync() as Float32Array;
          });
          await new Promise((r) => setImmediate(r)); // let signal handlers and progress run between steps
          return { data, vocab: this.bert.vocabSize };
        },
      });
      return seqs.map((s) => decodeCaption(this.tokenizer, s).slice(this.cfg.prompt.length));
    } finally {
      embeds.dispose();
    }
  }

  async evaluate(ctx: EvalContext): Promise<EvalOutcome> {
    if (ctx.task !== "captioning") throw new Error(`bug: blip_caption evaluates task captioning, not ${ctx.task}`);
    const params = readGenerationParams(ctx.taskParams);
    const records: { caption: string; image_id: string | number }[] = [];
    const references: (readonly string[])[] = [];
    for await (const batch of await ctx.batches()) {
      try {
        const captions = await this.generate(batch.image, params);
        captions.forEach((caption, i) => {
          records.push({ caption, image_id: batch.sourceImageIds?.[i] ?? batch.imageIds[i]! });
          references.push(batch.references?.[i] ?? []);
        });
      } finally {
        batch.image.dispose();
      }
    }
    const result = { name: `${ctx.split}_epoch${ctx.epoch}`, records };
    if (!params.reportMetric) return { metrics: { agg_metrics: 0 }, result };
    ctx.log?.(`captioning ${ctx.split}: ${CAPTION_METRICS_NOT_COMPUTED.join(" and ")} are not computed (pycocoevalcap runs them in Java); agg_metrics = CIDEr + Bleu_4 does not use them`);
    return { metrics: captionMetrics(records.map((r) => r.caption), references), result };
  }

  stateDict(): Map<string, StTensor> {
    const out = new Map<string, StTensor>();
    for (const [name, v] of this.main.vars) out.set(name, { dtype: "F32", shape: v.shape, data: Float32Array.from(v.dataSync()) });
    return out;
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    const own = this.main.vars;
    const tied = tiedDecoderWeight(DECODER);
    const issues = { missing: [] as string[], unexpected: [] as string[], mismatched: [] as StateDictIssues["mismatched"], loaded: false };
    for (const [k, v] of own) {
      const t = state.get(k);
      if (!t) issues.missing.push(k);
      else if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) issues.mismatched.push({ name: k, expected: v.shape, got: [...t.shape] });
    }
    // PyTorch state dicts also list the tied output matrix; it is the word embedding matrix here.
    for (const k of state.keys()) if (!own.has(k) && k !== tied) issues.unexpected.push(k);
    const clean = !issues.missing.length && !issues.unexpected.length && !issues.mismatched.length;
    if (issues.mismatched.length || (strict && !clean)) return issues;
    for (const [k, v] of own) {
      const t = state.get(k);
      if (t) tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data), v.shape)));
    }
    issues.loaded = true;
    return clean ? null : issues;
  }

  dispose(): void {
    this.main.dispose();
  }
}
