// BLIP image-text retrieval (LAVIS BlipRetrieval): ITC with a learned temperature, momentum encoders and feature
// queues with soft (alpha) targets, plus ITM with hard negatives sampled from the in-batch similarities.
// Evaluation follows compute_sim_matrix: texts padded and truncated to its fixed length (cfg.evalTxtLen, not
// max_txt_len), ITC scores for all pairs, ITM re-ranking of the top k_test.
import * as tf from "@tensorflow/tfjs";
import { takeValues } from "../backend/deviceRead.js";
import { ParamStore, declareLinear, ownedVariable, type Params, readTensors } from "../nn/paramStore.js";
import { torchLinear } from "../nn/init.js";
import type { BertConfig } from "../nn/bertEncoder.js";
import { linear } from "../nn/layers.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "../train/rng.js";
import { TrainNoise } from "../nn/dropout.js";
import { retrievalOutcome, type RetrievalOutcome } from "../metrics/retrievalMetrics.js";
import type { BlipRetrievalConfig } from "./blipRetrievalConfig.js";
import type { CrossReplica, EvalContext, EvalOutcome, Model, PreparedStep, RetrievalEvalData, RetrievalRows, StateDictIssues, StepContext, TrainBatch } from "./model.js";
import { mergeScoreRows, rowRange } from "./retrievalRows.js";
import { allGatherFields, allGatherWithGrad } from "./replicaGathers.js";
import { KeptLosses } from "./model.js";
import { copyMomentumParams, momentumName, momentumUpdate } from "../nn/momentum.js";
import { readView, writableView } from "../backend/inPlace.js";
import { untaped } from "../backend/untaped.js";
import { loadTensors } from "./loadTensors.js";
import { taskInt } from "./taskParams.js";
import { bertConfigOf } from "./sizing.js";
import { blipImageFeatures, blipMultimodal, blipTextFeatures, clsOf, declareBlipItc } from "./blipItc.js";
import { extractBlipFeatures } from "./blipFeatureExtraction.js";
import { topKIndices } from "./topK.js";

/** Encoder pairs whose momentum copies (`<name>_m`) follow them by EMA. */
const MOMENTUM_PAIRS = ["visual_encoder.", "vision_proj.", "text_encoder.", "text_proj."];

export class BlipRetrieval implements Model {
  readonly arch = "blip_retrieval";
  private readonly main: ParamStore;
  private readonly momentumStore: ParamStore;
  /** [momentum copy, online parameter] pairs. */
  private readonly momentumPairs: [tf.Variable, tf.Variable][];
  private readonly buffers: ParamStore;
  private readonly bert: BertConfig;
  private queuePtr = 0;

  constructor(readonly cfg: BlipRetrievalConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    const rng = new Rng(seed);
    this.main = new ParamStore(rng, true, cfg.initStd);
    this.bert = bertConfigOf(cfg, tokenizer.size, cfg.vit.width);
    declareBlipItc(this.main, cfg, this.bert);
    // nn.Linear(text_width, 2) in BlipRetrieval.__init__: PyTorch's default init.
    declareLinear(this.main, "itm_head", cfg.textWidth, 2, torchLinear(cfg.textWidth));
    // BlipRetrieval.__init__'s nn.Parameter(0.07 * torch.ones([])): model key init_temperature.
    this.main.add("temp", [], { kind: "constant", value: cfg.temperature.init });
    // Momentum encoders start as copies of the online ones (BLIP's copy_params).
    this.momentumStore = new ParamStore(rng, false);
    this.momentumPairs = copyMomentumParams(this.main, this.momentumStore, MOMENTUM_PAIRS);
    this.buffers = new ParamStore(rng, false);
    const q = cfg.queueSize;
    const e = cfg.embedDim;
    // Queues are [embed_dim, queue_size] normalised columns (dim=0), idx_queue filled with idx_queue_fill (LAVIS's -100).
    this.buffers.vars.set("image_queue", ownedVariable(tf.tidy(() => normalizeColumns(tf.tensor(randn(rng, e * q), [e, q]))), false));
    this.buffers.vars.set("text_queue", ownedVariable(tf.tidy(() => normalizeColumns(tf.tensor(randn(rng, e * q), [e, q]))), false));
    this.buffers.vars.set("idx_queue", ownedVariable(tf.fill([1, q], cfg.idxQueueFill), false));
    this.buffers.vars.set("ptr_queue", ownedVariable(tf.zeros([1]), false));
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  private encodeText(ids: Int32Array, mask: Float32Array, batch: number): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
    const t = this.cfg.maxTxtLen;
    return { ids: tf.tensor2d(ids, [batch, t], "int32"), mask: tf.tensor2d(mask, [batch, t]) };
  }

  private imageFeatures(p: Params, suffix: string, image: tf.Tensor4D, noise: TrainNoise | null): { embeds: tf.Tensor3D; feat: tf.Tensor } {
    return blipImageFeatures(p, suffix, this.cfg.vit, image, noise);
  }

  private textFeatures(p: Params, suffix: string, ids: tf.Tensor2D, mask: tf.Tensor2D, noise: TrainNoise | null): tf.Tensor {
    return blipTextFeatures(p, suffix, this.bert, ids, mask, noise).feat;
  }

  /** ITM logits [n, 2] for text ids (with [ENC] first) attending to image embeddings. */
  private itmLogits(p: Params, ids: tf.Tensor2D, mask: tf.Tensor2D, imageEmbeds: tf.Tensor3D, noise: TrainNoise | null): tf.Tensor {
    return linear(p, "itm_head", clsOf(blipMultimodal(p, this.bert, ids, mask, imageEmbeds, noise)));
  }

  /** Task feature_extraction (lavisc's): BlipFeatureExtractor.extract_features on this model's encoders. */
  evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    return extractBlipFeatures({ params: this.main.lookup(), vit: this.cfg.vit, bert: this.bert, tokenizer: this.tokenizer, arch: this.arch }, ctx);
  }

  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep {
    const bs = batch.text.length;
    const L = this.cfg.maxTxtLen;
    const temp = this.main.get("temp");
    const { min, max } = this.cfg.temperature;
    tf.tidy(() => temp.assign(temp.clipByValue(min, max)));
    // LAVIS _rampup_factor: alpha reaches its value after alpha_rampup_epochs epochs.
    const alpha = this.cfg.alpha * Math.min(1, (ctx.epoch * ctx.itersPerEpoch + ctx.iters) / (this.cfg.alphaRampupEpochs * ctx.itersPerEpoch));
    const enc = this.tokenizer.encode(batch.text, L);
    const text = this.encodeText(enc.ids, enc.mask, bs);
    const encIdsData = Int32Array.from(enc.ids);
    for (let b = 0; b < bs; b++) encIdsData[b * L] = this.tokenizer.encId;
    const idx = tf.tensor2d(Float32Array.from(batch.imageIds), [bs, 1]);
    const imageQueue = this.buffers.get("image_queue");
    const textQueue = this.buffers.get("text_queue");
    const idxQueue = this.buffers.get("idx_queue");

    this.momentumUpdate();
    // Training mode, as LAVIS's model.train(): dropout and drop-path in every forward, the momentum encoders' too.
    const noise = new TrainNoise(ctx.rng);
    const mp = this.momentumStore.lookup();
    // Everything the momentum branch produces is a constant for the gradient.
    const pre = tf.tidy(() => {
      const idxAll = tf.concat([idx.transpose(), idxQueue], 1);
      const posIdx = tf.equal(idx, idxAll).toFloat();
      const simTargets = posIdx.div(posIdx.sum(1, true));
      const imageFeatM = this.imageFeatures(mp, "_m", batch.image, noise).feat;
      const textFeatM = this.textFeatures(mp, "_m", text.ids, text.mask, noise);
      const imageFeatMAll = tf.concat([imageFeatM.transpose(), imageQueue], 1);
      const textFeatMAll = tf.concat([textFeatM.transpose(), textQueue], 1);
      const simI2tM = tf.matMul(imageFeatM, textFeatMAll).div(temp);
      const simT2iM = tf.matMul(textFeatM, imageFeatMAll).div(temp);
      const i2tTargets = tf.softmax(simI2tM, 1).mul(alpha).add(simTargets.mul(1 - alpha));
      const t2iTargets = tf.softmax(simT2iM, 1).mul(alpha).add(simTargets.mul(1 - alpha));
      return { imageFeatM, textFeatM, imageFeatMAll, textFeatMAll, i2tTargets, t2iTargets };
    });
    const losses = new KeptLosses();
    const p = this.main.lookup();

    const loss = (): tf.Scalar => {
      const { embeds: imageEmbeds, feat: imageFeat } = this.imageFeatures(p, "", batch.image, noise);
      const textFeat = this.textFeatures(p, "", text.ids, text.mask, noise);
      const simI2t = tf.matMul(imageFeat, pre.textFeatMAll).div(temp);
      const simT2i = tf.matMul(textFeat, pre.imageFeatMAll).div(temp);
      const lossI2t = tf.logSoftmax(simI2t, 1).mul(pre.i2tTargets).sum(1).mean().neg();
      const lossT2i = tf.logSoftmax(simT2i, 1).mul(pre.t2iTargets).sum(1).mean().neg();
      const lossItc = lossI2t.add(lossT2i).div(2);

      // Hard negatives: sampled in proportion to softmax similarity, never an item of the same image, on the device
      // (one uniform per row from the run's RNG, as torch.multinomial draws them), so nothing is read back.
      const uniforms = new Float32Array(2 * bs);
      for (let b = 0; b < bs; b++) {
        uniforms[b] = ctx.rng.next(); // text b's negative image
        uniforms[bs + b] = ctx.rng.next(); // image b's negative text
      }
      // negative_all_rank with replicas: the negatives come from every rank's batch (LAVIS gathers the ITC features,
      // image ids, text ids and masks, and the image embeddings with their gradients).
      const everyRank = this.cfg.negativeAllRank && ctx.replicas && ctx.replicas.world > 1 ? ctx.replicas : null;
      const encIdsT = tf.tensor2d(encIdsData, [bs, L], "int32");
      const pool = everyRank ? this.gatheredPool(everyRank, imageFeat, textFeat, batch.imageIds, encIdsData, text.mask, L) : { imageFeat, textFeat, idx: idx.transpose(), ids: encIdsT, mask: text.mask };
      const { negImage, negText } = untaped(() => {
        // Within one batch the text→image similarities are the transpose of image→text (one product).
        const simI2t = tf.matMul(imageFeat, pool.textFeat, false, true).div(temp);
        const simT2i = everyRank ? tf.matMul(textFeat, pool.imageFeat, false, true).div(temp) : simI2t.transpose();
        const sameImage = tf.equal(idx, pool.idx);
        const weights = (x: tf.Tensor) => tf.where(sameImage, tf.zerosLike(x), tf.softmax(x, 1)) as tf.Tensor2D;
        const u = tf.tensor1d(uniforms);
        return {
          negImage: sampleRows(weights(simT2i), u.slice(0, bs)),
          negText: sampleRows(weights(simI2t), u.slice(bs, bs)),
        };
      });
      const imagePool = everyRank ? allGatherWithGrad(everyRank, imageEmbeds) : imageEmbeds;
      // One multimodal pass over [positives; text+negative image; negative text+image].
      const allIds = tf.concat([encIdsT, encIdsT, tf.gather(pool.ids, negText)], 0) as tf.Tensor2D;
      const allMask = tf.concat([text.mask, text.mask, tf.gather(pool.mask, negText)], 0) as tf.Tensor2D;
      const images = tf.concat([imageEmbeds, tf.gather(imagePool, negImage), imageEmbeds], 0) as tf.Tensor3D;
      const logits = this.itmLogits(p, allIds, allMask, images, noise);
      const labels = tf.oneHot(tf.tensor1d([...Array(bs).fill(1), ...Array(2 * bs).fill(0)], "int32"), 2);
      const lossItm = tf.logSoftmax(logits, 1).mul(labels).sum(1).mean().neg();
      const total = lossItc.add(lossItm) as tf.Scalar;
      losses.keep({ loss: total, loss_itc: lossItc, loss_itm: lossItm });
      return total;
    };

    return {
      loss,
      components: () => losses.take(),
      commit: () => (ctx.replicas ? this.enqueueGathered(ctx.replicas, pre.imageFeatM, pre.textFeatM, batch.imageIds) : this.dequeueAndEnqueue(pre.imageFeatM, pre.textFeatM, batch.imageIds)),
      dispose: () => {
        for (const t of Object.values(pre)) t.dispose();
        tf.dispose([text.ids, text.mask, idx]);
      },
    };
  }

  /**
   * concat_all_gather of what ITM's negatives over every rank are drawn from: the ITC features, image ids (as a row),
   * the [ENC] text ids and the masks of every replica's batch, in rank order (no gradient).
   */
  private gatheredPool(replicas: CrossReplica, imageFeat: tf.Tensor, textFeat: tf.Tensor, ids: readonly number[], encIds: Int32Array, mask: tf.Tensor2D, L: number) {
    const bs = ids.length, e = this.cfg.embedDim, w = replicas.world;
    const [image, text, idx, encIdsAll, masks] = allGatherFields(replicas, [imageFeat.dataSync(), textFeat.dataSync(), ids, encIds, mask.dataSync()]);
    return {
      imageFeat: tf.tensor2d(image!, [w * bs, e]),
      textFeat: tf.tensor2d(text!, [w * bs, e]),
      idx: tf.tensor2d(idx!, [1, w * bs]),
      ids: tf.tensor2d(Int32Array.from(encIdsAll!), [w * bs, L], "int32"),
      mask: tf.tensor2d(masks!, [w * bs, L]),
    };
  }

  private momentumUpdate(): void {
    momentumUpdate(this.momentumPairs, this.cfg.momentum);
  }

  /**
   * Data-parallel replicas: LAVIS enqueues concat_all_gather of the momentum features and image ids, every rank's
   * batch in rank order, so every replica's queues stay the same.
   */
  private enqueueGathered(replicas: CrossReplica, imageFeat: tf.Tensor, textFeat: tf.Tensor, ids: readonly number[]): void {
    const bs = ids.length, e = this.cfg.embedDim, w = replicas.world;
    const [imageAll, textAll, idsAll] = allGatherFields(replicas, [imageFeat.dataSync(), textFeat.dataSync(), ids]);
    const image = tf.tensor2d(imageAll!, [w * bs, e]);
    const text = tf.tensor2d(textAll!, [w * bs, e]);
    try {
      this.dequeueAndEnqueue(image, text, Array.from(idsAll!));
    } finally {
      tf.dispose([image, text]);
    }
  }

  /** Writes the batch's momentum features at the queue pointer (wrapping around; LAVIS asserts queue_size % batch == 0). */
  private dequeueAndEnqueue(imageFeat: tf.Tensor, textFeat: tf.Tensor, ids: readonly number[]): void {
    const q = this.cfg.queueSize;
    const bs = ids.length;
    const cols = Array.from({ length: bs }, (_, b) => (this.queuePtr + b) % q);
    const queues: [string, tf.Tensor][] = [["image_queue", imageFeat], ["text_queue", textFeat], ["idx_queue", tf.tensor2d(Float32Array.from(ids), [bs, 1])]];
    for (const [name, rows] of queues) {
      const v = this.buffers.get(name);
      // In place where the backend keeps storage in this process (wasm, cpu): a copy of a 57,600-column queue per
      // step would cost more than the step. Elsewhere the same columns are written with tf ops.
      if (!writeColumnsInPlace(v, rows, cols)) tf.tidy(() => v.assign(withColumns(v, rows, cols)));
    }
    queues[2]![1].dispose();
    this.queuePtr = (this.queuePtr + bs) % q;
    tf.tidy(() => this.buffers.get("ptr_queue").assign(tf.tensor1d([this.queuePtr])));
  }

  async evaluateRetrieval(data: RetrievalEvalData, taskParams: Readonly<Record<string, unknown>>, rows?: RetrievalRows): Promise<RetrievalOutcome | null> {
    // k_test is required by the retrieval task's stdlib check (256 for COCO is the task's default).
    const kTest = taskInt(taskParams, "k_test", 1);
    if (this.cfg.scoreFill === null) throw new Error("blip_retrieval's retrieval evaluation needs the RunSpec's retrievalScoreFill (stdlib/evaluation.lv retrieval_score_fill): compile the experiment with lavisc");
    const p = this.main.lookup();
    // compute_sim_matrix tokenizes at its own length (35 in LAVIS), not at the max_txt_len training reads.
    const L = this.cfg.evalTxtLen;
    const nText = data.texts.length;
    const enc = this.tokenizer.encode(data.texts, L);
    const textEmbeds: tf.Tensor[] = [];
    const chunk = 256;
    for (let s = 0; s < nText; s += chunk) {
      const n = Math.min(chunk, nText - s);
      textEmbeds.push(tf.tidy(() => {
        const ids = tf.tensor2d(enc.ids.subarray(s * L, (s + n) * L), [n, L], "int32");
        const mask = tf.tensor2d(enc.mask.subarray(s * L, (s + n) * L), [n, L]);
        return this.textFeatures(p, "", ids, mask, null);
      }));
    }
    const encIds = Int32Array.from(enc.ids);
    for (let t = 0; t < nText; t++) encIds[t * L] = this.tokenizer.encId;
    const imageFeats: tf.Tensor3D[] = [];
    const imageEmbeds: tf.Tensor[] = [];
    for await (const b of data.imageBatches) {
      const r = tf.tidy(() => this.imageFeatures(p, "", b.image, null));
      imageFeats.push(r.embeds);
      imageEmbeds.push(r.feat);
      b.image.dispose();
    }
    const allText = tf.concat(textEmbeds);
    const allImageFeat = tf.concat(imageFeats) as tf.Tensor3D;
    const allImage = tf.concat(imageEmbeds);
    tf.dispose([...textEmbeds, ...imageFeats, ...imageEmbeds]);
    const nImg = allImage.shape[0]!;
    const simData = await takeValues(tf.tidy(() => tf.matMul(allImage, allText, false, true)));
    // compute_sim_matrix's torch.full(..., -100.0): the score of every pair ITM does not re-rank.
    const fill = this.cfg.scoreFill;
    const scoresI2t = Array.from({ length: nImg }, () => new Float32Array(nText).fill(fill));
    const scoresT2i = Array.from({ length: nText }, () => new Float32Array(nImg).fill(fill));
    const itmScores = async (pairs: [number, number][]): Promise<Float32Array> => {
      const out = new Float32Array(pairs.length);
      for (let s = 0; s < pairs.length; s += 128) {
        const part = pairs.slice(s, s + 128);
        const vals = await takeValues(tf.tidy(() => {
          const ids = new Int32Array(part.length * L);
          const mask = new Float32Array(part.length * L);
          part.forEach(([, t], j) => {
            ids.set(encIds.subarray(t * L, (t + 1) * L), j * L);
            mask.set(enc.mask.subarray(t * L, (t + 1) * L), j * L);
          });
          const imgs = tf.gather(allImageFeat, tf.tensor1d(part.map(([i]) => i), "int32")) as tf.Tensor3D;
          const logits = this.itmLogits(p, tf.tensor2d(ids, [part.length, L], "int32"), tf.tensor2d(mask, [part.length, L]), imgs, null);
          return logits.slice([0, 1], [-1, 1]);
        }));
        out.set(vals, s);
        await new Promise((r) => setImmediate(r)); // let signal handlers and progress run between chunks
      }
      return out;
    };
    // With replicas every rank re-ranks its range of the image rows and of the text rows (retrievalRows.ts).
    const [iFrom, iTo] = rows ? rowRange(nImg, rows) : [0, nImg];
    const [tFrom, tTo] = rows ? rowRange(nText, rows) : [0, nText];
    // image → text
    const i2tPairs: [number, number][] = [];
    const i2tSims: number[] = [];
    for (let i = iFrom; i < iTo; i++) {
      for (const t of topKIndices(simData.subarray(i * nText, (i + 1) * nText), Math.min(kTest, nText))) {
        i2tPairs.push([i, t]);
        i2tSims.push(simData[i * nText + t]!);
      }
    }

    // text → image
    const t2iPairs: [number, number][] = [];
    const t2iSims: number[] = [];
    const col = new Float32Array(nImg);
    for (let t = tFrom; t < tTo; t++) {
      for (let i = 0; i < nImg; i++) col[i] = simData[i * nText + t]!;
      for (const i of topKIndices(col, Math.min(kTest, nImg))) {
        t2iPairs.push([i, t]);
        t2iSims.push(col[i]!);
      }
    }
    // The ITM score of a pair is the same in both directions (eval mode), so each distinct pair is scored once.
    const unique = new Map<number, number>();
    const pairs: [number, number][] = [];
    for (const [i, t] of [...i2tPairs, ...t2iPairs]) {
      const key = i * nText + t;
      if (!unique.has(key)) {
        unique.set(key, pairs.length);
        pairs.push([i, t]);
      }
    }
    const itm = await itmScores(pairs);
    const score = (i: number, t: number) => itm[unique.get(i * nText + t)!]!;
    i2tPairs.forEach(([i, t], j) => (scoresI2t[i]![t] = score(i, t) + i2tSims[j]!));
    t2iPairs.forEach(([i, t], j) => (scoresT2i[t]![i] = score(i, t) + t2iSims[j]!));
    tf.dispose([allText, allImageFeat, allImage]);
    if (rows && !(await mergeScoreRows(rows, scoresI2t, scoresT2i))) return null;
    return retrievalOutcome(scoresI2t, scoresT2i, data.txt2img, data.img2txt);
  }

  stateDict(): Promise<Map<string, StTensor>> {
    return readTensors(new Map([...this.main.vars, ...this.momentumStore.vars, ...this.buffers.vars]));
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    const own = new Map<string, tf.Variable>();
    for (const store of [this.main, this.momentumStore, this.buffers]) for (const [k, v] of store.vars) own.set(k, v);
    const issues = loadTensors(own, state, strict);
    if (issues && !issues.loaded) return issues;
    // LAVIS checkpoints omit the momentum encoders (requires_grad False); they restart as copies of the online ones.
    for (const [name, v] of this.main.vars) {
      const pair = MOMENTUM_PAIRS.find((p) => name.startsWith(p));
      const m = pair ? momentumName(name, pair) : null;
      if (m && !state.has(m)) tf.tidy(() => this.momentumStore.get(m).assign(v));
    }
    const ptr = state.get("ptr_queue")?.data[0];
    if (ptr !== undefined) this.queuePtr = Math.round(ptr);
    return issues;
  }

  dispose(): void {
    this.main.dispose();
    this.momentumStore.dispose();
    this.buffers.dispose();
  }
}

/**
 * One index per row of `weights` [n, m] (non-negative), drawn with probability ∝ weight by inverting the row's
 * cumulative sum at u·total (as Rng.categorical does on the host). A row of zeros (every other item shares the image:
 * torch.multinomial would fail) takes the next item, (row + 1) mod m.
 */
function sampleRows(weights: tf.Tensor2D, u: tf.Tensor1D): tf.Tensor1D {
  const [n, m] = weights.shape;
  const cdf = tf.cumsum(weights, 1);
  const target = u.mul(cdf.slice([0, m - 1], [n, 1]).reshape([n])).reshape([n, 1]);
  const below = tf.lessEqual(cdf, target).toInt().sum(1);
  // The last column with a positive weight bounds the draw (float rounding at the top of the sum); -1 if none.
  const positions = tf.range(0, m, 1, "int32").reshape([1, m]);
  const lastPositive = tf.where(tf.greater(weights, 0), positions.tile([n, 1]), tf.fill([n, m], -1, "int32")).max(1);
  const next = tf.range(1, n + 1, 1, "int32").mod(tf.scalar(m, "int32"));
  return tf.where(tf.less(lastPositive, 0), next, tf.minimum(below, lastPositive)) as tf.Tensor1D;
}

/** `queue` [r, q] with columns `cols` replaced by the rows of `rows` [cols.length, r], as one tf expression. */
function withColumns(queue: tf.Tensor, rows: tf.Tensor, cols: readonly number[]): tf.Tensor {
  const q = queue.shape[1]!;
  const place = tf.oneHot(tf.tensor1d([...cols], "int32"), q).toFloat(); // [n, q]
  const keep = tf.scalar(1).sub(place.sum(0).minimum(1)); // [q]
  // x·1 + 0·others is exact, so the written columns hold the rows bit for bit.
  return queue.mul(keep).add(tf.matMul(rows, place, true, false));
}

/** The in-place variant of withColumns where the backend allows it (wasm, cpu); false elsewhere. */
function writeColumnsInPlace(queue: tf.Variable, rows: tf.Tensor, cols: readonly number[]): boolean {
  const data = writableView(queue);
  if (!data) return false;
  const src = readView(rows);
  const q = queue.shape[1]!;
  const r = queue.shape[0]!;
  cols.forEach((col, b) => {
    for (let d = 0; d < r; d++) data[d * q + col] = src[b * r + d]!;
  });
  return true;
}

function randn(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

function normalizeColumns(x: tf.Tensor): tf.Tensor {
  return x.div(tf.sqrt(x.square().sum(0, true)).maximum(1e-12));
}
