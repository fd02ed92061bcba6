// lavisc's task `feature_extraction`: LAVIS's BlipFeatureExtractor.extract_features (modes image, text and multimodal)
// over every row of an evaluation split, written as `result/<split>_features.safetensors` plus a JSON sidecar with the
// row order. A row is an (image, text) pair: on a retrieval evaluation split (one record per image) each of the image's
// captions is a row, in the split's text order; on other splits each record is a row (its caption, question or
// sentence). Only the [CLS] position of each sequence is kept. On a retrieval split the ITC features are also scored as
// zero-shot retrieval (RetrievalTask's recall metrics, without ITM re-ranking).
import * as tf from "@tensorflow/tfjs";
import { takeAll, takeValues } from "../backend/deviceRead.js";
import type { Params } from "../nn/paramStore.js";
import type { VitConfig } from "../nn/vit.js";
import type { BertConfig } from "../nn/bertEncoder.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { DataError } from "../data/dataError.js";
import { retrievalOutcome, type RetrievalOutcome } from "../metrics/retrievalMetrics.js";
import { blipImageFeatures, blipMultimodal, blipTextFeatures, clsOf } from "./blipItc.js";
import type { EvalContext, EvalOutcome } from "./model.js";

export const FEATURE_EXTRACTION_TASK = "feature_extraction";

/** The tensor names of a features file (BlipOutputFeatures' fields), each [rows, dim]. */
export const FEATURE_NAMES = ["image_embeds", "image_embeds_proj", "text_embeds", "text_embeds_proj", "multimodal_embeds"] as const;

/** What extraction needs of a model: its parameters, sizes and tokenizer. */
export interface BlipEncoders {
  readonly params: Params;
  readonly vit: VitConfig;
  readonly bert: BertConfig;
  readonly tokenizer: WordPieceTokenizer;
  readonly arch: string;
}

/** One row of the sidecar JSON. */
export interface FeatureRow {
  readonly row: number;
  readonly image_id: string | number;
  readonly instance_id: string;
  /** Index of the text in the split's texts (retrieval evaluation splits). */
  readonly txt_id?: number;
  readonly caption: string;
}

interface RetrievalMaps {
  readonly texts: readonly string[];
  readonly img2txt: readonly (readonly number[])[];
  readonly txt2img: readonly number[];
}

/** Texts per forward pass (the multimodal pass holds a copy of the image tokens per text). */
const TEXT_CHUNK = 64;

/**
 * HF `tokenizer(texts, padding=True)`: [CLS] … [SEP], padded to the longest text. LAVIS's extract_features does not
 * truncate; lavisc truncates at BERT's position limit, where LAVIS would fail.
 */
function tokens(tokenizer: WordPieceTokenizer, texts: readonly string[], limit: number, first: number | null): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const enc = tokenizer.encode(texts, limit);
  let width = 1;
  for (let r = 0; r < texts.length; r++) while (width < limit && enc.mask[r * limit + width]) width++;
  const ids = new Int32Array(texts.length * width);
  const mask = new Float32Array(texts.length * width);
  for (let r = 0; r < texts.length; r++) {
    ids.set(enc.ids.subarray(r * limit, r * limit + width), r * width);
    mask.set(enc.mask.subarray(r * limit, r * limit + width), r * width);
    if (first !== null) ids[r * width] = first;
  }
  return { ids: tf.tensor2d(ids, [texts.length, width], "int32"), mask: tf.tensor2d(mask, [texts.length, width]) };
}

/**
 * One evaluation record's rows (a retrieval image: one row per caption) with their features: the unit each rank sends
 * rank 0 when replicas share the split, merged back in the split's order.
 */
interface RecordRows {
  readonly rows: Omit<FeatureRow, "row">[];
  /** Per feature (in FEATURE_NAMES' order), the rows' values one after another. */
  readonly values: Float32Array[];
  /** The image's ITC feature (retrieval splits). */
  readonly image: { readonly id: number; readonly itc: Float32Array } | null;
  /** Each row's text ITC feature (retrieval splits). */
  readonly textItc: Float32Array[];
}

export async function extractBlipFeatures(m: BlipEncoders, ctx: EvalContext): Promise<EvalOutcome | null> {
  if (ctx.task !== FEATURE_EXTRACTION_TASK) throw new DataError("unsupported", `${m.arch} has no evaluation for task ${ctx.task} in lavisc's runtime`);
  const extras = await ctx.extras();
  const retrieval = extras["retrieval"] as RetrievalMaps | undefined;
  const mine: RecordRows[] = [];
  for await (const b of await ctx.batches()) {
    try {
      mine.push(...(await batchFeatures(m, b, retrieval)));
    } finally {
      b.image.dispose();
    }
  }
  // With replicas each rank extracted its shard; rank 0 puts the records back in the split's order.
  const records = ctx.merge ? await ctx.merge(mine) : mine;
  if (!records) return null;

  const rows: FeatureRow[] = records.flatMap((r) => r.rows).map((row, i) => ({ row: i, ...row }));
  const imageItc = new Map<number, Float32Array>();
  for (const r of records) if (r.image) imageItc.set(r.image.id, r.image.itc);
  const textItc = records.flatMap((r) => r.textItc);
  const emptyTexts = rows.filter((r) => r.caption === "").length;
  if (emptyTexts) ctx.log?.(`${emptyTexts} of ${rows.length} rows of ${ctx.split} have no text (per-image evaluation records); their text features are those of the empty text (a retrieval builder of the same data gives one row per caption)`);

  const tensors = new Map<string, StTensor>();
  FEATURE_NAMES.forEach((k, i) => {
    const data = concat(records.map((r) => r.values[i]!));
    tensors.set(k, { dtype: "F32", shape: [rows.length, rows.length ? data.length / rows.length : 0], data });
  });
  const name = `${ctx.split}_features`;
  const scored = retrieval && rows.length ? await zeroShot(imageItc, textItc, rows, retrieval) : null;
  const metrics = scored?.metrics ?? { agg_metrics: 0 };
  ctx.log?.(`wrote ${rows.length} rows of features (${FEATURE_NAMES.join(", ")}) to result/${name}.safetensors`);
  return {
    metrics,
    ...(scored ? { ranks: scored.ranks } : {}),
    result: { name, records: rows },
    tensors: { name, tensors, metadata: { arch: m.arch, split: ctx.split, rows: String(rows.length), row_order: `result/${name}.json` } },
  };
}

type EvalBatch = Awaited<ReturnType<EvalContext["batches"]>> extends AsyncIterable<infer B> ? B : never;

/** The rows of one batch's records and their features, a record at a time. */
async function batchFeatures(m: BlipEncoders, b: EvalBatch, retrieval: RetrievalMaps | undefined): Promise<RecordRows[]> {
  const limit = m.bert.maxPositions;
  // Rows of this batch: (position of the image in the batch, text).
  const pairs: { j: number; text: string; txtId?: number }[] = [];
  for (let j = 0; j < b.text.length; j++) {
    if (retrieval) for (const t of retrieval.img2txt[b.imageIds[j]!] ?? []) pairs.push({ j, text: retrieval.texts[t]!, txtId: t });
    else pairs.push({ j, text: b.text[j]! });
  }
  const perRecord = b.text.map(() => ({ rows: [] as Omit<FeatureRow, "row">[], parts: FEATURE_NAMES.map(() => [] as Float32Array[]), textItc: [] as Float32Array[] }));
  const image = tf.tidy(() => {
    const r = blipImageFeatures(m.params, "", m.vit, b.image);
    return { embeds: r.embeds, cls: clsOf(r.embeds), feat: r.feat };
  });
  let imageItc: Float32Array[] = [];
  try {
    if (retrieval) {
      const feats = (await image.feat.data()) as Float32Array;
      const e = image.feat.shape[1];
      imageItc = b.imageIds.map((_, j) => feats.slice(j * e, (j + 1) * e));
    }
    for (let s = 0; s < pairs.length; s += TEXT_CHUNK) {
      const part = pairs.slice(s, s + TEXT_CHUNK);
      const texts = part.map((p) => p.text);
      const out = tf.tidy(() => {
        const at = tf.tensor1d(part.map((p) => p.j), "int32");
        const plain = tokens(m.tokenizer, texts, limit, null);
        const text = blipTextFeatures(m.params, "", m.bert, plain.ids, plain.mask);
        const grounded = tokens(m.tokenizer, texts, limit, m.tokenizer.encId);
        const multimodal = clsOf(blipMultimodal(m.params, m.bert, grounded.ids, grounded.mask, tf.gather(image.embeds, at) as tf.Tensor3D));
        return {
          image_embeds: tf.gather(image.cls, at), image_embeds_proj: tf.gather(image.feat, at),
          text_embeds: text.cls, text_embeds_proj: text.feat, multimodal_embeds: multimodal,
        };
      });
      const values = await takeAll(FEATURE_NAMES.map((k) => out[k])); // one read per chunk
      part.forEach((p, i) => {
        const record = perRecord[p.j]!;
        values.forEach((v, k) => {
          const width = v.length / part.length;
          record.parts[k]!.push(v.slice(i * width, (i + 1) * width));
        });
        if (retrieval) record.textItc.push(record.parts[FEATURE_NAMES.indexOf("text_embeds_proj")]!.at(-1)!);
        record.rows.push({
          image_id: b.sourceImageIds?.[p.j] ?? b.imageIds[p.j]!,
          instance_id: b.instanceIds?.[p.j] ?? String(b.imageIds[p.j]),
          ...(p.txtId !== undefined ? { txt_id: p.txtId } : {}),
          caption: p.text,
        });
      });
      await new Promise((r) => setImmediate(r)); // let signal handlers and progress run between chunks
    }
  } finally {
    tf.dispose([image.embeds, image.cls, image.feat]);
  }
  return perRecord.map((r, j) => ({
    rows: r.rows, values: r.parts.map(concat), textItc: r.textItc,
    image: retrieval ? { id: b.imageIds[j]!, itc: imageItc[j]! } : null,
  }));
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** ITC similarities of every image with every text (rows are the split's texts), scored as RetrievalTask does. */
async function zeroShot(imageItc: ReadonlyMap<number, Float32Array>, textItc: readonly Float32Array[], rows: readonly FeatureRow[], r: RetrievalMaps): Promise<RetrievalOutcome> {
  const images = [...imageItc.keys()].sort((a, b) => a - b);
  const imageAt = new Map(images.map((img, i) => [img, i]));
  // Rows are texts; map the split's text ids to rows (a limit or a partial split keeps a subset).
  const rowOf = new Map(rows.map((row) => [row.txt_id!, row.row]));
  const txt2img = rows.map((row) => imageAt.get(r.txt2img[row.txt_id!]!)!);
  const img2txt = images.map((img) => (r.img2txt[img] ?? []).flatMap((t) => (rowOf.has(t) ? [rowOf.get(t)!] : [])));
  const sims = tf.tidy(() => {
    const e = textItc[0]?.length ?? 0;
    const im = tf.tensor2d(concat(images.map((img) => imageItc.get(img)!)), [images.length, e]);
    const tx = tf.tensor2d(concat(textItc), [textItc.length, e]);
    return tf.matMul(im, tx, false, true);
  });
  const data = await takeValues(sims);
  const n = textItc.length;
  const i2t = images.map((_, i) => data.subarray(i * n, (i + 1) * n));
  const t2i = textItc.map((_, t) => Float32Array.from(images, (_, i) => data[i * n + t]!));
  return retrievalOutcome(i2t, t2i, txt2img, img2txt);
}
