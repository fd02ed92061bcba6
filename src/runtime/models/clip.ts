// LAVIS's CLIP (clip_models/model.py, OpenCLIP): ViT image tower, causal text transformer pooled at the end-of-text
// token, bias-free projections, a learned logit scale (init ln(1/init_temperature), LAVIS's 0.07; never clamped: CLIP.forward's
// `self.logit_scale.exp()` as it is, since neither LAVIS's runner nor BaseTask clamps it, only open_clip's own training
// script does) and the symmetric contrastive loss with in-batch targets (ClipLoss). Evaluation: zero-shot classification from
// class-name prompts (multimodal_classification) and ITC similarity ranking (retrieval).
// CLIP's BPE tokenizer needs its 49k-merge file, unavailable offline: texts use the WordPiece tokenizer, [CLS] as
// start-of-text and [SEP] as end-of-text.
import * as tf from "@tensorflow/tfjs";
import { takeValues } from "../backend/deviceRead.js";
import { ParamStore, readTensors } from "../nn/paramStore.js";
import { l2normalize } from "../nn/layers.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "../train/rng.js";
import { DataError } from "../data/dataError.js";
import { retrievalOutcome, type RetrievalOutcome } from "../metrics/retrievalMetrics.js";
import { classPrompts, classWeights } from "../metrics/zeroShotClassification.js";
import { argmaxRows, classificationMetrics, dedupeByInstance, type ClassificationRecord } from "../metrics/classificationMetrics.js";
import type { ClipConfig } from "./clipConfig.js";
import { declareTextTower, declareVisionTower, textTowerForward, visionTowerForward, type TextTowerConfig, type VisionTowerConfig } from "./clipTransformer.js";
import type { CrossReplica, EvalContext, EvalOutcome, Model, PreparedStep, RetrievalEvalData, StateDictIssues, StepContext, TrainBatch } from "./model.js";
import { KeptLosses } from "./model.js";
import { allGatherFields } from "./replicaGathers.js";
import { loadTensors } from "./loadTensors.js";

const TEXT_CHUNK = 256;

/**
 * open_clip's gather_features without gradient, for the image and text features in one exchange: every replica's
 * rows in rank order, this rank's the live tensors.
 */
function everyRanksRows(replicas: CrossReplica, ...mine: tf.Tensor[]): tf.Tensor2D[] {
  const gathered = allGatherFields(replicas, mine.map((t) => t.dataSync()));
  return mine.map((t, k) => {
    const [rows, width] = t.shape as [number, number];
    const all = gathered[k]!;
    const part = (r: number) => (r === replicas.rank ? t : tf.tensor2d(all.subarray(r * rows * width, (r + 1) * rows * width), [rows, width]));
    return tf.concat(Array.from({ length: replicas.world }, (_, r) => part(r)), 0) as tf.Tensor2D;
  });
}

export class Clip implements Model {
  readonly arch = "clip";
  private readonly store: ParamStore;
  private readonly vision: VisionTowerConfig;
  private readonly text: TextTowerConfig;

  constructor(readonly cfg: ClipConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    this.store = new ParamStore(new Rng(seed), true, cfg.initStd);
    this.vision = { ...cfg.vision, imageSize: cfg.imageSize, patchSize: cfg.patchSize, outputDim: cfg.embedDim, init: cfg.init };
    this.text = { ...cfg.text, vocabSize: tokenizer.size, contextLength: cfg.maxTxtLen, outputDim: cfg.embedDim, init: cfg.init };
    declareVisionTower(this.store, "visual.", this.vision);
    declareTextTower(this.store, this.text);
    this.store.add("logit_scale", [], { kind: "constant", value: Math.log(1 / cfg.initTemperature) });
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.store.vars;
  }

  /** L2-normalised image features [B, E]. */
  private imageFeatures(image: tf.Tensor4D): tf.Tensor {
    return l2normalize(visionTowerForward(this.store.lookup(), "visual.", this.vision, image));
  }

  /** L2-normalised text features [N, E] (tensors are built here; call inside tidy or a gradient scope). */
  private textFeatures(texts: readonly string[]): tf.Tensor {
    const L = this.cfg.maxTxtLen;
    const enc = this.tokenizer.encode(texts, L);
    const eot: number[] = [];
    for (let r = 0; r < texts.length; r++) {
      let n = 0;
      for (let j = 0; j < L; j++) n += enc.mask[r * L + j]!;
      eot.push(n - 1); // encode always ends a row with [SEP]
    }
    const ids = tf.tensor2d(enc.ids, [texts.length, L], "int32");
    return l2normalize(textTowerForward(this.store.lookup(), this.text, ids, eot));
  }

  private textFeaturesChunked(texts: readonly string[]): tf.Tensor {
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < texts.length; s += TEXT_CHUNK) parts.push(tf.tidy(() => this.textFeatures(texts.slice(s, s + TEXT_CHUNK))));
    const all = tf.concat(parts);
    tf.dispose(parts);
    return all;
  }

  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep {
    const scaleVar = this.store.get("logit_scale");
    const bs = batch.text.length;
    const losses = new KeptLosses();
    return {
      loss: () => {
        // With replicas, LAVIS's ClipLoss (local_loss and gather_with_grad false): every rank's features gathered
        // without gradient, this rank's own rows the live ones, and the loss over all of them.
        const replicas = ctx.replicas && ctx.replicas.world > 1 ? ctx.replicas : null;
        const own = [this.imageFeatures(batch.image), this.textFeatures(batch.text)];
        const [img, txt] = replicas ? everyRanksRows(replicas, ...own) : own;
        const n = replicas ? replicas.world * bs : bs;
        const logitsPerImage = tf.matMul(img, txt, false, true).mul(scaleVar.exp());
        const targets = tf.oneHot(tf.range(0, n, 1, "int32"), n);
        const ce = (logits: tf.Tensor) => tf.logSoftmax(logits, 1).mul(targets).sum(1).mean().neg();
        const total = ce(logitsPerImage).add(ce(logitsPerImage.transpose())).div(2) as tf.Scalar;
        losses.keep({ loss: total });
        return total;
      },
      components: () => losses.take(),
      commit: () => {},
      dispose: () => losses.dispose(),
    };
  }

  async evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    if (ctx.task !== "multimodal_classification") throw new Error(`bug: clip has no ${ctx.task} evaluation (the checker allows multimodal_classification and retrieval)`);
    const extras = await ctx.extras();
    const classnames = extras["classnames"];
    if (!Array.isArray(classnames) || !classnames.length || !classnames.every((c) => typeof c === "string")) {
      throw new DataError("unsupported", `zero-shot classification of split "${ctx.split}" needs class names; give the split a class-name list (classnames.json) or string labels`);
    }
    const templates = this.cfg.zeroShotTemplates;
    const prompts = (classnames as string[]).flatMap((c) => classPrompts(c, templates));
    const promptFeats = this.textFeaturesChunked(prompts);
    const weights = tf.tensor2d(classWeights(await takeValues(promptFeats), classnames.length, templates.length, this.cfg.embedDim), [classnames.length, this.cfg.embedDim]);
    const records: ClassificationRecord[] = [];
    try {
      for await (const b of await ctx.batches()) {
        try {
          if (!b.labels) throw new DataError("unsupported", `split "${ctx.split}" has no class labels to score zero-shot classification against`);
          const logits = await takeValues(tf.tidy(() => tf.matMul(this.imageFeatures(b.image), weights, false, true)));
          argmaxRows(logits, classnames.length).forEach((prediction, i) => {
            // LAVIS's _add_instance_ids makes string ids ("0", "1", …), written as they are.
            records.push({ instance_id: b.instanceIds?.[i] ?? String(records.length), prediction, target: b.labels![i]! });
          });
        } finally {
          b.image.dispose();
        }
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      weights.dispose();
    }
    const merged = ctx.merge ? await ctx.merge(records) : records;
    if (!merged) return null;
    const kept = dedupeByInstance(merged);
    const split = (await ctx.extras())["records"] as readonly { readonly instanceId: string }[] | undefined;
    return { metrics: classificationMetrics(kept, split?.map((r) => r.instanceId), `zero-shot classification of split "${ctx.split}"`), result: { name: `${ctx.split}_epoch${ctx.epoch}`, records: kept } };
  }

  async evaluateRetrieval(data: RetrievalEvalData): Promise<RetrievalOutcome> {
    const textFeat = this.textFeaturesChunked(data.texts);
    const imageParts: tf.Tensor[] = [];
    for await (const b of data.imageBatches) {
      imageParts.push(tf.tidy(() => this.imageFeatures(b.image)));
      b.image.dispose();
    }
    const imageFeat = tf.concat(imageParts);
    tf.dispose(imageParts);
    const nImg = imageFeat.shape[0]!;
    const nText = data.texts.length;
    const simsT = tf.tidy(() => tf.matMul(imageFeat, textFeat, false, true));
    tf.dispose([imageFeat, textFeat]);
    const sims = await takeValues(simsT);
    const scoresI2t = Array.from({ length: nImg }, (_, i) => sims.subarray(i * nText, (i + 1) * nText));
    const scoresT2i = Array.from({ length: nText }, (_, t) => Float32Array.from({ length: nImg }, (_, i) => sims[i * nText + t]!));
    return retrievalOutcome(scoresI2t, scoresT2i, data.txt2img, data.img2txt);
  }

  stateDict(): Promise<Map<string, StTensor>> {
    return readTensors(this.store.vars);
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    // open_clip registers the causal mask as a non-persistent buffer; older checkpoints may still carry it.
    return loadTensors(this.store.vars, state, strict, (k) => k === "attn_mask");
  }

  dispose(): void {
    this.store.dispose();
  }
}
