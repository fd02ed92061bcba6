// BLIP image captioning (LAVIS BlipCaption): ViT image encoder + causal BERT decoder cross-attending to the image,
// trained with the label-smoothed (0.1) language-model loss on the captions after the prompt; evaluated by beam search
// from the prompt and COCO caption metrics (captionMetrics).
import * as tf from "@tensorflow/tfjs";
import { hasDirectStorage, readView } from "../backend/inPlace.js";
import { ParamStore, readTensors } from "../nn/paramStore.js";
import { declareVit, vitForward } from "../nn/vit.js";
import { TrainNoise } from "../nn/dropout.js";
import type { BertConfig } from "../nn/bertEncoder.js";
import { declareDecoder, decoderCrossCache, decoderHidden, decoderLogits, decoderStep, labelSmoothedLoss, tiedDecoderWeight, type DecoderCache } from "../nn/decoder.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "../train/rng.js";
import { captionMetrics } from "../metrics/captionMetrics.js";
import { TFJS_METRICS_NOT_COMPUTED } from "../runSpec.js";
import { requireCompleteEvaluation } from "../metrics/completeness.js";
import type { BlipCaptionConfig } from "./blipCaptionConfig.js";
import { beamSearch } from "./textGeneration.js";
import { lmTargets, readGenerationParams, type GenerationParams } from "./blipCaptionText.js";
import type { EvalContext, EvalOutcome, Model, PreparedStep, StateDictIssues, StepContext, TrainBatch } from "./model.js";
import { KeptLosses } from "./model.js";
import { loadTensors } from "./loadTensors.js";
import { bertConfigOf } from "./sizing.js";

const DECODER = "text_decoder.";

export class BlipCaption implements Model {
  readonly arch = "blip_caption";
  private readonly main: ParamStore;
  private readonly bert: BertConfig;
  /** BLIP's bos_token_id: [DEC] (added by BLIP's tokenizer); [CLS] when the vocabulary lacks it. */
  private readonly bosId: number;
  /** len(tokenizer(prompt).input_ids) - 1: the bos and prompt positions, whose targets are masked. */
  readonly promptLength: number;
  private toldMissingMetrics = false;

  constructor(readonly cfg: BlipCaptionConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    const rng = new Rng(seed);
    this.main = new ParamStore(rng, true, cfg.initStd);
    this.bert = bertConfigOf(cfg, tokenizer.size, cfg.vit.width);
    declareVit(this.main, "visual_encoder.", cfg.vit);
    declareDecoder(this.main, DECODER, this.bert);
    this.bosId = tokenizer.decId;
    this.promptLength = tokenizer.tokenize(cfg.prompt).length + 1;
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep {
    const enc = this.tokenizer.encode(batch.text, this.cfg.maxTxtLen);
    const { t, ids, mask, labels, weights } = lmTargets(enc, this.bosId, this.promptLength);
    const idsT = tf.tensor2d(ids, [enc.batch, t], "int32");
    const maskT = tf.tensor2d(mask, [enc.batch, t]);
    const labelsT = tf.tensor2d(labels, [enc.batch, t - 1], "int32");
    const weightsT = tf.tensor2d(weights, [enc.batch, t - 1]);
    const p = this.main.lookup();
    const losses = new KeptLosses();
    // Training mode (LAVIS's model.train()): the ViT's drop-path and the decoder's dropout.
    const noise = new TrainNoise(ctx.rng);
    return {
      loss: () => {
        const image = vitForward(p, "visual_encoder.", this.cfg.vit, batch.image, noise);
        const hidden = decoderHidden(p, DECODER, this.bert, idsT, maskT, image, null, noise).slice([0, 0, 0], [-1, t - 1, -1]);
        const loss = labelSmoothedLoss(decoderLogits(p, DECODER, hidden, this.bert.layerNormEps), labelsT, weightsT, this.cfg.labelSmoothing);
        losses.keep({ loss, loss_lm: loss });
        return loss;
      },
      components: () => losses.take(),
      commit: () => {},
      dispose: () => {
        losses.dispose();
        tf.dispose([idsT, maskT, labelsT, weightsT]);
      },
    };
  }

  /** Captions for a batch of images by beam search from [DEC] + prompt (BlipCaption.generate), with a key/value cache. */
  async generate(image: tf.Tensor4D, params: GenerationParams): Promise<string[]> {
    const p = this.main.lookup();
    const n = image.shape[0];
    const k = params.numBeams;
    const cross = tf.tidy(() => {
      const e = vitForward(p, "visual_encoder.", this.cfg.vit, image);
      const rows = tf.gather(e, tf.tensor1d(Array.from({ length: n * k }, (_, r) => Math.floor(r / k)), "int32")) as tf.Tensor3D;
      return decoderCrossCache(p, DECODER, this.bert, rows);
    });
    let self: DecoderCache["self"] = [];
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
        logProbs: async (rows, origins) => {
          const out = tf.tidy(() => {
            // The first call runs the whole prompt; later calls only each row's newest token.
            const newIds = origins ? rows.map((r) => [r[r.length - 1]!]) : rows;
            const ids = tf.tensor2d(Int32Array.from(newIds.flat()), [rows.length, newIds[0]!.length], "int32");
            const past = origins ? self.map((c) => ({ k: reorderRows(c.k, origins), v: reorderRows(c.v, origins) })) : [];
            const step = decoderStep(p, DECODER, this.bert, ids, { self: past, cross });
            const t = step.hidden.shape[1];
            const last = step.hidden.slice([0, t - 1, 0], [-1, 1, -1]).squeeze([1]);
            return { logp: tf.logSoftmax(decoderLogits(p, DECODER, last, this.bert.layerNormEps), -1), self: step.self };
          });
          for (const c of self) tf.dispose([c.k, c.v]);
          self = out.self;
          const data = (await out.logp.data()) as Float32Array;
          out.logp.dispose();
          return { data, vocab: this.bert.vocabSize };
        },
      });
      return seqs.map((s) => this.tokenizer.decode(s).slice(this.cfg.prompt.length));
    } finally {
      for (const c of [...cross, ...self]) tf.dispose([c.k, c.v]);
    }
  }

  async evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    if (ctx.task !== "captioning") throw new Error(`bug: blip_caption evaluates task captioning, not ${ctx.task}`);
    const params = readGenerationParams(ctx.taskParams);
    const generated: { caption: string; image_id: string | number; references: readonly string[] }[] = [];
    for await (const batch of await ctx.batches()) {
      try {
        const captions = await this.generate(batch.image, params);
        captions.forEach((caption, i) => generated.push({ caption, image_id: batch.sourceImageIds?.[i] ?? batch.imageIds[i]!, references: batch.references?.[i] ?? [] }));
      } finally {
        batch.image.dispose();
      }
    }
    const all = ctx.merge ? await ctx.merge(generated) : generated;
    if (!all) return null;
    const records = all.map(({ caption, image_id }) => ({ caption, image_id }));
    const references = all.map((g) => g.references);
    const result = { name: `${ctx.split}_epoch${ctx.epoch}`, records };
    if (!params.reportMetric) return { metrics: { agg_metrics: 0 }, result };
    const missing = TFJS_METRICS_NOT_COMPUTED["captioning"]!;
    if (!this.toldMissingMetrics) ctx.log?.(`captioning: ${missing.metrics.join(" and ")} are not computed (${missing.why}); agg_metrics = CIDEr + Bleu_4 does not use them`);
    this.toldMissingMetrics = true;
    const what = `captioning of split "${ctx.split}"`;
    const split = (await ctx.extras())["records"] as readonly { readonly sourceImageId: string | number }[] | undefined;
    if (split) requireCompleteEvaluation({ what, unit: "image", expected: split.map((r) => r.sourceImageId), predicted: records.map((r) => r.image_id) });
    return { metrics: captionMetrics(records.map((r) => r.caption), references, what), result };
  }

  stateDict(): Promise<Map<string, StTensor>> {
    return readTensors(this.main.vars);
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    // PyTorch state dicts also list the tied output matrix; it is the word embedding matrix here.
    const tied = tiedDecoderWeight(DECODER);
    return loadTensors(this.main.vars, state, strict, (k) => k === tied);
  }

  dispose(): void {
    this.main.dispose();
  }
}

/**
 * tf.gather(x, rows) along axis 0. Where the backend keeps storage in this process (wasm, cpu) as a typed-array copy:
 * the wasm backend's GatherV2 is far slower at these sizes; the values are the same.
 */
function reorderRows(x: tf.Tensor, rows: readonly number[]): tf.Tensor {
  if (!hasDirectStorage()) return tf.gather(x, tf.tensor1d([...rows], "int32"));
  const src = readView(x);
  const size = src.length / x.shape[0]!;
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(src.subarray(r * size, (r + 1) * size), i * size));
  return tf.tensor(out, [rows.length, ...x.shape.slice(1)]);
}
