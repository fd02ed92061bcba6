// BLIP VQA (LAVIS BlipVQA): ViT image encoder, question encoder cross-attending the image ([ENC] first), answer
// decoder (nn/decoder.ts) cross-attending the question states. Training: the decoder's LM loss per answer (label smoothing: model key `label_smoothing`)
// weighted by the answer weights, summed and divided by the batch size. Evaluation: rank_answers (first-token
// probabilities pick num_ans_candidates answers from the answer list, the decoder's likelihood picks one) or generate.
import * as tf from "@tensorflow/tfjs";
import { takeValues } from "../backend/deviceRead.js";
import { ParamStore, type Params, readTensors } from "../nn/paramStore.js";
import { declareVit, vitForward } from "../nn/vit.js";
import { TrainNoise } from "../nn/dropout.js";
import { declareBert, bertForward, type BertConfig } from "../nn/bertEncoder.js";
import { declareDecoder, decoderHidden, decoderLogits, sequenceLoss, tiedAliases } from "../nn/decoder.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "../train/rng.js";
import { taskInt, taskString } from "./taskParams.js";
import { readBeamSettings, type BeamSettings } from "./blipCaptionText.js";
import { DataError } from "../data/dataError.js";
import { vqaAccuracy, type VqaGroundTruthItem } from "../metrics/vqaMetrics.js";
import { vqaMatchAccuracy } from "../metrics/vqaMatchAccuracy.js";
import type { VqaMatchScoring } from "../runSpec.js";
import { generate } from "./textGeneration.js";
import { topKIndices } from "./topK.js";
import type { BlipVqaConfig } from "./blipVqaConfig.js";
import type { EvalContext, EvalOutcome, Model, PreparedStep, StateDictIssues, StepContext, TrainBatch } from "./model.js";
import { KeptLosses } from "./model.js";
import { loadTensors } from "./loadTensors.js";
import { bertConfigOf } from "./sizing.js";

/** Decoder rows per forward pass when scoring rank candidates (bounds memory: rows × answer length × vocab). */
const RANK_ROWS = 2048;
/** Answer tokens per such pass: RANK_ROWS answers of 32 tokens; longer candidates make fewer rows. */
const RANK_TOKENS = RANK_ROWS * 32;

interface Tokens { ids: tf.Tensor2D; mask: tf.Tensor2D; idsData: Int32Array; maskData: Float32Array; len: number }

export class BlipVqa implements Model {
  readonly arch = "blip_vqa";
  private readonly main: ParamStore;
  private readonly bert: BertConfig;
  private readonly decoder: BertConfig;
  private readonly aliases = tiedAliases("text_decoder.");
  /** BLIP's bos_token "[DEC]"; a vocabulary without it (plain BERT vocab.txt) falls back to [CLS]. */
  private readonly bosId: number;

  constructor(readonly cfg: BlipVqaConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    this.main = new ParamStore(new Rng(seed), true, cfg.initStd);
    this.bert = bertConfigOf(cfg, tokenizer.size, cfg.vit.width);
    this.decoder = bertConfigOf(cfg, tokenizer.size, cfg.textWidth);
    declareVit(this.main, "visual_encoder.", cfg.vit);
    declareBert(this.main, "text_encoder.", this.bert);
    declareDecoder(this.main, "text_decoder.", this.decoder);
    this.bosId = tokenizer.decId;
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  /** HF tokenizer(padding="longest", truncation at maxLen) with the first token replaced by `first`. */
  private tokens(texts: readonly string[], maxLen: number, first: number): Tokens {
    const enc = this.tokenizer.encode(texts, maxLen);
    let len = 1;
    for (let r = 0; r < texts.length; r++) for (let j = 0; j < maxLen; j++) if (enc.mask[r * maxLen + j]) len = Math.max(len, j + 1);
    const idsData = new Int32Array(texts.length * len);
    const maskData = new Float32Array(texts.length * len);
    for (let r = 0; r < texts.length; r++) {
      idsData.set(enc.ids.subarray(r * maxLen, r * maxLen + len), r * len);
      maskData.set(enc.mask.subarray(r * maxLen, r * maxLen + len), r * len);
      idsData[r * len] = first;
    }
    return { ids: tf.tensor2d(idsData, [texts.length, len], "int32"), mask: tf.tensor2d(maskData, [texts.length, len]), idsData, maskData, len };
  }

  /**
   * Answers as BlipVQA tokenizes them (forward_decoder, rank_answers: `tokenizer(answers, padding="longest")`, no
   * truncation), [DEC] first. An answer longer than the decoder's positions stops the run, as it stops LAVIS's decoder.
   */
  private answerTokens(answers: readonly string[]): Tokens {
    let longest = 0;
    let which = "";
    for (const a of answers) {
      const n = this.tokenizer.tokenize(a).length + 2;
      if (n > longest) [longest, which] = [n, a];
    }
    if (longest > this.decoder.maxPositions) {
      throw new DataError("unsupported", `the answer ${JSON.stringify(which.slice(0, 80))} is ${longest} tokens, more than the answer decoder's ${this.decoder.maxPositions} positions (LAVIS tokenizes answers without truncation, so its decoder fails on it too)`);
    }
    return this.tokens(answers, Math.max(1, longest), this.bosId);
  }

  /**
   * The answer decoder's logits [B, T, V] for answer ids/mask attending to question states with their mask. `noise`: a
   * training forward (dropout); null: evaluation.
   */
  private answerLogits(p: Params, ids: tf.Tensor2D, mask: tf.Tensor2D, states: tf.Tensor3D, statesMask: tf.Tensor2D, noise: TrainNoise | null): tf.Tensor3D {
    return decoderLogits(p, "text_decoder.", decoderHidden(p, "text_decoder.", this.decoder, ids, mask, states, statesMask, noise), this.decoder.layerNormEps) as tf.Tensor3D;
  }

  /** forward_encoder: question states [B, T, D] (the question's mask is the tokens' mask). */
  private encodeQuestions(p: Params, image: tf.Tensor4D, q: Tokens, noise: TrainNoise | null): tf.Tensor3D {
    const imageEmbeds = vitForward(p, "visual_encoder.", this.cfg.vit, image, noise);
    return bertForward(p, "text_encoder.", this.bert, q.ids, q.mask, imageEmbeds, noise);
  }

  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep {
    const { answers, answerWeights } = batch;
    if (!answers || !answerWeights) throw new Error("bug: blip_vqa got a training batch without answers (the vqa loader provides them)");
    const bs = batch.text.length;
    const q = this.tokens(batch.text, this.cfg.maxTxtLen, this.tokenizer.encId);
    const owner: number[] = [];
    const flat: string[] = [];
    const weights: number[] = [];
    answers.forEach((list, b) => list.forEach((a, j) => {
      owner.push(b);
      flat.push(a);
      weights.push(answerWeights[b]![j] ?? 0);
    }));
    const a = this.answerTokens(flat);
    const ownerT = tf.tensor1d(owner, "int32");
    const weightT = tf.tensor1d(weights);
    const p = this.main.lookup();
    const losses = new KeptLosses();
    // Training mode (LAVIS's model.train()): drop-path in the ViT, dropout in the question encoder and answer decoder.
    const noise = new TrainNoise(ctx.rng);
    return {
      loss: () => {
        const states = this.encodeQuestions(p, batch.image, q, noise);
        const rowStates = tf.gather(states, ownerT) as tf.Tensor3D;
        const rowMask = tf.gather(q.mask, ownerT) as tf.Tensor2D;
        const logits = this.answerLogits(p, a.ids, a.mask, rowStates, rowMask, noise);
        const loss = sequenceLoss(logits, a.ids, a.mask, this.cfg.labelSmoothing).mul(weightT).sum().div(bs) as tf.Scalar;
        losses.keep({ loss });
        return loss;
      },
      components: () => losses.take(),
      commit: () => {},
      dispose: () => {
        losses.dispose();
        tf.dispose([q.ids, q.mask, a.ids, a.mask, ownerT, weightT]);
      },
    };
  }

  async evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    const tp = ctx.taskParams;
    // The stdlib types inference_method as rank | generate and fills the task's defaults (stdlib/tasks.lv).
    const method = taskString(tp, "inference_method");
    const int = (key: string, min: number) => taskInt(tp, key, min);
    const extras = await ctx.extras();
    const answerList = extras["answerList"] as readonly string[] | undefined;
    if (method === "rank" && !answerList?.length) {
      throw new DataError("unsupported", `inference_method "rank" needs the ${ctx.split} split's answer list (the 2nd annotation file of the split); use inference_method "generate" otherwise`);
    }
    const p = this.main.lookup();
    const rank = method === "rank" ? this.answerTokens(answerList!) : null;
    const records: { question_id: number | string; answer: string }[] = [];
    const raw = ctx.vqaScoring !== undefined; // AOKVQATask/GQATask keep the question id as the batch holds it
    try {
      for await (const batch of await ctx.batches()) {
        const q = this.tokens(batch.text, this.cfg.maxTxtLen, this.tokenizer.encId);
        try {
          const states = tf.tidy(() => this.encodeQuestions(p, batch.image, q, null));
          const answers = rank
            ? await this.rankAnswers(p, states, q, answerList!, rank, Math.min(int("num_ans_candidates", 1), answerList!.length))
            : await this.generateAnswers(p, states, answerGeneration(tp));
          states.dispose();
          answers.forEach((answer, i) => {
            const id = batch.questionIds?.[i] ?? batch.instanceIds?.[i] ?? records.length;
            records.push({ question_id: raw ? id : pyQuestionId(id), answer });
          });
        } finally {
          tf.dispose([q.ids, q.mask, batch.image]);
        }
        await new Promise((r) => setImmediate(r)); // lets signal handlers and progress run between batches
      }
    } finally {
      if (rank) tf.dispose([rank.ids, rank.mask]);
    }
    // With replicas (use_dist_eval_sampler) this rank answered its shard; rank 0 scores every rank's answers, in the
    // split's order (LAVIS's after_evaluation merges the ranks' result files), the others stop here.
    const answered = ctx.merge ? await ctx.merge(records) : records;
    if (!answered) return null;
    const gt = extras["vqaGroundTruth"] as ReadonlyMap<string, VqaGroundTruthItem> | undefined;
    if (ctx.vqaScoring) return scoreByMatches(ctx, answered, gt, ctx.vqaScoring);
    // VQATask._report_metrics scores only splits with ground truth; others return {} (the runner then has no agg_metrics).
    const metrics = gt?.size ? vqaAccuracy(new Map(answered.map((r) => [String(r.question_id), r.answer])), gt, `VQA of split "${ctx.split}"`).metrics : {};
    if (!gt?.size) ctx.log?.(`${ctx.split}: no VQA ground truth, so no accuracy (answers are in ${ctx.split}_vqa_result.json)`);
    else {
      ctx.log?.(`Overall Accuracy is: ${metrics["agg_metrics"]!.toFixed(2)}`);
      for (const [type, acc] of Object.entries(metrics)) if (type !== "agg_metrics") ctx.log?.(`${type} : ${acc.toFixed(2)}`);
    }
    return { metrics, result: { name: `${ctx.split}_vqa_result`, records: answered } };
  }

  /** _rank_answers: top-k answers by first-token probability, then the best by -loss (label-smoothed, as LAVIS). */
  private async rankAnswers(p: Params, states: tf.Tensor3D, q: Tokens, list: readonly string[], cands: Tokens, k: number): Promise<string[]> {
    const nq = states.shape[0];
    const nAns = cands.idsData.length / cands.len;
    const firstTokens = tf.tensor1d(Array.from({ length: nAns }, (_, i) => (cands.len > 1 ? cands.idsData[i * cands.len + 1]! : this.tokenizer.padId)), "int32");
    const probs = await takeValues(tf.tidy(() => {
      const start = tf.fill([nq, 1], this.bosId, "int32") as tf.Tensor2D;
      const logits = this.answerLogits(p, start, tf.ones([nq, 1]) as tf.Tensor2D, states, q.mask, null);
      return tf.gather(tf.softmax(logits.squeeze([1]), -1), firstTokens, 1);
    }));
    firstTokens.dispose();
    const topk = Array.from({ length: nq }, (_, i) => topKIndices(probs.subarray(i * nAns, (i + 1) * nAns), k));
    const scores = new Float32Array(nq * k);
    const perChunk = Math.max(1, Math.floor(Math.min(RANK_ROWS, RANK_TOKENS / cands.len) / k));
    for (let s = 0; s < nq; s += perChunk) {
      const n = Math.min(perChunk, nq - s);
      const vals = await takeValues(tf.tidy(() => {
        const rows = Int32Array.from(topk.slice(s, s + n).flat());
        const owners = Int32Array.from({ length: n * k }, (_, r) => s + Math.floor(r / k));
        const ids = tf.gather(cands.ids, rows) as tf.Tensor2D;
        const mask = tf.gather(cands.mask, rows) as tf.Tensor2D;
        const ownerT = tf.tensor1d(owners, "int32");
        const logits = this.answerLogits(p, ids, mask, tf.gather(states, ownerT) as tf.Tensor3D, tf.gather(q.mask, ownerT) as tf.Tensor2D, null);
        return sequenceLoss(logits, ids, mask, this.cfg.labelSmoothing).neg();
      }));
      scores.set(vals, s * k);
      await new Promise((r) => setImmediate(r));
    }
    return topk.map((ids, i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (scores[i * k + j]! > scores[i * k + best]!) best = j;
      return list[ids[best]!]!;
    });
  }

  /**
   * generate_answers: beam search (greedy for one beam) from [DEC]; question states attended with an all-ones mask, as
   * LAVIS. Its penalties are HF generate's defaults, which the stdlib declares (`generate_fixed` of blip_vqa).
   */
  private async generateAnswers(p: Params, states: tf.Tensor3D, g: AnswerGeneration): Promise<string[]> {
    const nq = states.shape[0];
    const beams = Math.max(1, g.numBeams);
    const repeated = tf.tidy(() => tf.gather(states, tf.tensor1d(Int32Array.from({ length: nq * beams }, (_, r) => Math.floor(r / beams)), "int32")) as tf.Tensor3D);
    const statesMask = tf.ones([repeated.shape[0], repeated.shape[1]]) as tf.Tensor2D;
    const vocab = this.tokenizer.size;
    try {
      const seqs = await generate({
        batch: nq, numBeams: beams, maxLength: g.maxLen, minLength: g.minLen, repetitionPenalty: g.repetitionPenalty, lengthPenalty: g.lengthPenalty,
        prompt: [this.bosId], eosId: this.tokenizer.sepId, padId: this.tokenizer.padId,
        // Each call runs the whole rows (no key/value cache for the answer decoder).
        logProbs: async (rows) => ({ vocab, data: await takeValues(tf.tidy(() => {
          const len = rows[0]!.length;
          const ids = tf.tensor2d(Int32Array.from(rows.flat()), [rows.length, len], "int32");
          const logits = this.answerLogits(p, ids, tf.ones([rows.length, len]) as tf.Tensor2D, repeated.slice([0, 0, 0], [rows.length, -1, -1]), statesMask.slice([0, 0], [rows.length, -1]), null);
          return tf.logSoftmax(logits.slice([0, len - 1, 0], [-1, 1, -1]).squeeze([1]), -1);
        })) }),
      });
      return seqs.map((s) => this.tokenizer.decode(s));
    } finally {
      tf.dispose([repeated, statesMask]);
    }
  }

  async stateDict(): Promise<Map<string, StTensor>> {
    const out = await readTensors(this.main.vars);
    for (const [alias, name] of Object.entries(this.aliases)) out.set(alias, out.get(name)!);
    return out;
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    // The tied decoder weight/bias are the same tensors under a second name: accepted, not loaded twice.
    return loadTensors(this.main.vars, state, strict, (k) => k in this.aliases);
  }

  dispose(): void {
    this.main.dispose();
  }
}

type AnswerGeneration = BeamSettings;

/** The generate settings of inference_method "generate": the task's lengths and beams, the arch's fixed penalties (RunSpec.taskParams). */
const answerGeneration = readBeamSettings;

/**
 * AOKVQATask and GQATask (the X-InstructBLIP lavis/tasks/vqa.py, stored as luandangsama/LAVIS@17851a6): result records
 * {question_id, pred_ans, gt_ans} and the task's match accuracy; a split without ground truth is not scored (AOKVQATask
 * writes a leaderboard file instead).
 */
function scoreByMatches(ctx: EvalContext, answered: readonly { question_id: number | string; answer: string }[], gt: ReadonlyMap<string, VqaGroundTruthItem> | undefined, rule: VqaMatchScoring): EvalOutcome {
  const records = answered.map((r) => {
    const truth = gt?.get(String(r.question_id));
    return { question_id: r.question_id, pred_ans: r.answer, gt_ans: truth ? truth.written ?? truth.answers : null };
  });
  const result = { name: `${ctx.split}_vqa_result`, records };
  if (!gt?.size) {
    ctx.log?.(`${ctx.split}: no VQA ground truth, so no accuracy (answers are in ${ctx.split}_vqa_result.json)`);
    return { metrics: {}, result };
  }
  const metrics = vqaMatchAccuracy(new Map(answered.map((r) => [String(r.question_id), r.answer])), gt, rule, `VQA of split "${ctx.split}"`).metrics;
  ctx.log?.(JSON.stringify(metrics));
  return { metrics, result };
}

/** VQATask writes int(question_id); ids that are not integers stay as they are. */
function pyQuestionId(id: string | number): number | string {
  if (typeof id === "number") return id;
  return /^-?\d+$/.test(id) ? Number(id) : id;
}
