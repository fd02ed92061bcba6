// The ViT + multimodal BERT classifier shared by LAVIS's BlipClassification and AlbefClassification: the text encoder
// runs in multimodal mode (cross-attention to the ViT's image embeddings, in every layer for BLIP, from `fusion_layer` on
// for ALBEF) and `cls_head` (Linear → ReLU → Linear) classifies its first ([CLS]) output. Training loss: cross-entropy,
// with momentum distillation when use_distill (an EMA copy of all three parts gives soft targets, weighted by alpha
// ramped up over the first epoch, as both models' `_rampup_factor`). Evaluation as MultimodalClassificationTask:
// argmax accuracy. The two archs differ only in their BERT layout and defaults (blipClassification.ts,
// albefClassification.ts).
import * as tf from "@tensorflow/tfjs";
import { ParamStore, declareLinear, type Params, readTensors } from "../nn/paramStore.js";
import { torchLinear } from "../nn/init.js";
import { copyMomentumParams, momentumName, momentumUpdate } from "../nn/momentum.js";
import { declareVit, vitForward } from "../nn/vit.js";
import { TrainNoise } from "../nn/dropout.js";
import { declareBert, bertForward, type BertConfig } from "../nn/bertEncoder.js";
import { linear } from "../nn/layers.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { DataError } from "../data/dataError.js";
import { Rng } from "../train/rng.js";
import { argmaxRows, classificationMetrics, dedupeByInstance, type ClassificationRecord } from "../metrics/classificationMetrics.js";
import type { BlipClassificationConfig } from "./blipClassificationConfig.js";
import type { EvalContext, EvalOutcome, Model, PreparedStep, StateDictIssues, StepContext, TrainBatch } from "./model.js";
import { KeptLosses } from "./model.js";
import { loadTensors } from "./loadTensors.js";

/** Parts whose momentum copies (`<part>_m`) follow them by EMA (LAVIS model_pairs). */
const MOMENTUM_PARTS = ["visual_encoder.", "text_encoder.", "cls_head."];

export class MultimodalClassifier implements Model {
  private readonly main: ParamStore;
  private readonly momentumStore: ParamStore;
  /** [momentum copy, online parameter] pairs; empty without use_distill. */
  private readonly momentumPairs: [tf.Variable, tf.Variable][];

  /** `bert`: the text encoder's layout (vocabulary = the tokenizer's, cross-attending to the ViT's width). */
  constructor(
    readonly arch: string, readonly cfg: BlipClassificationConfig, private readonly bert: BertConfig,
    private readonly tokenizer: WordPieceTokenizer, seed: number,
  ) {
    const rng = new Rng(seed);
    this.main = new ParamStore(rng, true, cfg.initStd);
    declareVit(this.main, "visual_encoder.", cfg.vit);
    declareBert(this.main, "text_encoder.", this.bert);
    // nn.Sequential(Linear, ReLU, Linear): the Linears are entries 0 and 2, at PyTorch's default init.
    declareLinear(this.main, "cls_head.0", cfg.textWidth, cfg.textWidth, torchLinear(cfg.textWidth));
    declareLinear(this.main, "cls_head.2", cfg.textWidth, cfg.numClasses, torchLinear(cfg.textWidth));
    this.momentumStore = new ParamStore(rng, false);
    this.momentumPairs = cfg.useDistill ? copyMomentumParams(this.main, this.momentumStore, MOMENTUM_PARTS) : [];
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  /**
   * Class logits [B, num_classes] from images [B, H, W, 3] and tokenised texts. `noise`: a training forward (drop-path
   * and dropout; the head has none, as LAVIS's cls_head); null: evaluation.
   */
  logits(p: Params, suffix: string, image: tf.Tensor4D, ids: tf.Tensor2D, mask: tf.Tensor2D, noise: TrainNoise | null): tf.Tensor2D {
    const imageEmbeds = vitForward(p, `visual_encoder${suffix}.`, this.cfg.vit, image, noise);
    const out = bertForward(p, `text_encoder${suffix}.`, this.bert, ids, mask, imageEmbeds, noise);
    const cls = out.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]);
    return linear(p, `cls_head${suffix}.2`, tf.relu(linear(p, `cls_head${suffix}.0`, cls))) as tf.Tensor2D;
  }

  /** Tokenises as LAVIS's `tokenizer(padding="longest", truncation=True, max_length=max_txt_len)`. */
  private encode(texts: readonly string[]): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
    const L = this.cfg.maxTxtLen;
    const enc = this.tokenizer.encode(texts, L);
    let longest = 1;
    for (let r = 0; r < texts.length; r++) {
      let n = 0;
      for (let j = 0; j < L; j++) n += enc.mask[r * L + j]!;
      longest = Math.max(longest, n);
    }
    return tf.tidy(() => ({
      ids: tf.tensor2d(enc.ids, [texts.length, L], "int32").slice([0, 0], [-1, longest]) as tf.Tensor2D,
      mask: tf.tensor2d(enc.mask, [texts.length, L]).slice([0, 0], [-1, longest]) as tf.Tensor2D,
    }));
  }

  private checkLabels(labels: readonly number[] | undefined, n: number): readonly number[] {
    if (!labels || labels.length !== n) throw new DataError("unsupported", `${this.arch} needs a class label for every sample (a classification dataset)`);
    const bad = labels.find((l) => !Number.isInteger(l) || l < 0 || l >= this.cfg.numClasses);
    if (bad !== undefined) throw new DataError("malformed-annotation", `label ${bad} is out of range for model.num_classes ${this.cfg.numClasses}; set num_classes to the dataset's number of classes`);
    return labels;
  }

  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep {
    const bs = batch.text.length;
    const labels = this.checkLabels(batch.labels, bs);
    const text = this.encode(batch.text);
    const targets = tf.oneHot(tf.tensor1d(labels as number[], "int32"), this.cfg.numClasses).toFloat();
    // LAVIS _rampup_factor: alpha reaches its value after alpha_rampup_epochs epochs (LAVIS's 1).
    const alpha = this.cfg.alpha * Math.min(1, (ctx.epoch * ctx.itersPerEpoch + ctx.iters) / (this.cfg.alphaRampupEpochs * ctx.itersPerEpoch));
    // Training mode (LAVIS's model.train()): dropout and drop-path in every forward, the momentum copy's too.
    const noise = new TrainNoise(ctx.rng);
    let softM: tf.Tensor | null = null;
    if (this.cfg.useDistill) {
      this.momentumUpdate();
      const mp = this.momentumStore.lookup();
      softM = tf.tidy(() => tf.softmax(this.logits(mp, "_m", batch.image, text.ids, text.mask, noise), 1));
    }
    const p = this.main.lookup();
    const losses = new KeptLosses();

    const loss = (): tf.Scalar => {
      const logp = tf.logSoftmax(this.logits(p, "", batch.image, text.ids, text.mask, noise), 1);
      const ce = logp.mul(targets).sum(1).mean().neg();
      const total = (softM ? ce.mul(1 - alpha).sub(logp.mul(softM).sum(1).mean().mul(alpha)) : ce) as tf.Scalar;
      losses.keep({ loss: total });
      return total;
    };

    return {
      loss,
      // BlipOutputWithLogits / AlbefOutputWithLogits carry only `loss` as a loss.
      components: () => losses.take(),
      commit: () => {},
      dispose: () => {
        losses.dispose();
        tf.dispose([text.ids, text.mask, targets, ...(softM ? [softM] : [])]);
      },
    };
  }

  private momentumUpdate(): void {
    momentumUpdate(this.momentumPairs, this.cfg.momentum);
  }

  async evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    if (ctx.task !== "multimodal_classification") throw new DataError("unsupported", `${this.arch} evaluates task multimodal_classification, not ${ctx.task}`);
    const p = this.main.lookup();
    const records: ClassificationRecord[] = [];
    for await (const b of await ctx.batches()) {
      try {
        const n = b.text.length;
        const labels = this.checkLabels(b.labels, n);
        const text = this.encode(b.text);
        const logits = tf.tidy(() => this.logits(p, "", b.image, text.ids, text.mask, null));
        const preds = argmaxRows(await logits.data(), this.cfg.numClasses);
        tf.dispose([logits, text.ids, text.mask]);
        preds.forEach((pred, j) => records.push({ instance_id: b.instanceIds?.[j] ?? String(records.length), prediction: pred, target: labels[j]! }));
      } finally {
        b.image.dispose();
      }
    }
    const merged = ctx.merge ? await ctx.merge(records) : records;
    if (!merged) return null;
    const results = dedupeByInstance(merged);
    const split = (await ctx.extras())["records"] as readonly { readonly instanceId: string }[] | undefined;
    return { metrics: classificationMetrics(results, split?.map((r) => r.instanceId), `classification of split "${ctx.split}"`), result: { name: `${ctx.split}_epoch${ctx.epoch}`, records: results } };
  }

  stateDict(): Promise<Map<string, StTensor>> {
    return readTensors(new Map([...this.main.vars, ...this.momentumStore.vars]));
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    const issues = loadTensors(new Map<string, tf.Variable>([...this.main.vars, ...this.momentumStore.vars]), state, strict);
    if (issues && !issues.loaded) return issues;
    // LAVIS checkpoints omit the momentum copies (requires_grad False); they restart as copies of the online parts.
    for (const [name, v] of this.main.vars) {
      const part = MOMENTUM_PARTS.find((p) => name.startsWith(p));
      const m = part && this.cfg.useDistill ? momentumName(name, part) : null;
      if (m && !state.has(m)) tf.tidy(() => this.momentumStore.get(m).assign(v));
    }
    return issues;
  }

  dispose(): void {
    this.main.dispose();
    this.momentumStore.dispose();
  }
}
