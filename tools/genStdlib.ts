// Dev tool, run by hand (CI does not): regenerates stdlib/{processors,models,datasets,registries}.lv from the LAVIS corpus
// in <repo>/../shared/lavis-configs. Facts and values come from registry.json and the YAML files; the doc tables below
// are ours. The output is checked in; rerun after changing the tables: `npx tsc -p tsconfig.json && node dist/tools/genStdlib.js`.
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument, isMap, isSeq, isScalar, isAlias, type Node as YamlNode } from "yaml";
import { parse } from "../src/syntax/index.js";
import { format } from "../src/format/index.js";
import type * as A from "../src/syntax/ast.js";

// ---------------------------------------------------------------------------------------------------------------
// YAML values, typed the way OmegaConf types them (ints and floats kept apart, `1e-5` a float, no timestamps).

export type Value =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  | { t: "int"; v: number }
  | { t: "float"; v: number }
  | { t: "str"; v: string }
  | { t: "list"; items: Value[] }
  | { t: "map"; entries: [string, Value][] };

const INT_SOURCE = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*(?::[0-5]?[0-9])*)$/;
// OmegaConf adds this exponent-without-dot form to PyYAML's float resolver.
const EXP_FLOAT = /^[-+]?\d+[eE][-+]?\d+$/;

export interface Loaded {
  value: Value | null;
  error: string | null;
}

/** Loads YAML like OmegaConf; `strictKeys` makes duplicate keys an error (OmegaConf's rule), otherwise the last one wins. */
export function loadYaml(text: string, strictKeys: boolean): Loaded {
  const doc = parseDocument(text, {
    version: "1.1",
    uniqueKeys: strictKeys,
    customTags: (tags) => tags.filter((t) => typeof t === "string" ? t !== "timestamp" : t.tag !== "tag:yaml.org,2002:timestamp"),
  });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0].line ?? 0;
    if (e.code === "DUPLICATE_KEY") {
      const dup = /^\s*([^:#]+):/.exec(text.split("\n")[line - 1] ?? "")?.[1]?.trim() ?? "?";
      return { value: null, error: `duplicate key ${dup} at line ${line}, which OmegaConf rejects` };
    }
    return { value: null, error: `invalid YAML at line ${line}: ${e.message.split(" at line")[0]}` };
  }
  return { value: doc.contents ? toValue(doc.contents as YamlNode) : { t: "null" }, error: null };
}

function toValue(node: YamlNode): Value {
  if (isAlias(node)) throw new Error("YAML aliases are not used by the corpus");
  if (isMap(node)) {
    const entries: [string, Value][] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const key = k && isScalar(k) ? String((k as { source?: string }).source ?? k.value) : String(k);
      const value = pair.value === null ? ({ t: "null" } as Value) : toValue(pair.value as YamlNode);
      const at = entries.findIndex(([n]) => n === key);
      if (at >= 0) entries.splice(at, 1);
      entries.push([key, value]);
    }
    return { t: "map", entries };
  }
  if (isSeq(node)) return { t: "list", items: node.items.map((i) => (i === null ? { t: "null" } : toValue(i as YamlNode))) };
  if (isScalar(node)) {
    const v = node.value;
    const source = (node as { source?: string }).source ?? String(v);
    if (v === null || v === undefined) return { t: "null" };
    if (typeof v === "boolean") return { t: "bool", v };
    if (typeof v === "number") return INT_SOURCE.test(source) && Number.isInteger(v) ? { t: "int", v } : { t: "float", v };
    if (typeof v === "string") {
      if (node.type === "PLAIN" && EXP_FLOAT.test(v)) return { t: "float", v: Number(v) };
      return { t: "str", v };
    }
    return { t: "str", v: String(v) };
  }
  throw new Error(`unexpected YAML node ${String(node)}`);
}

export const get = (v: Value | null | undefined, key: string): Value | undefined =>
  v && v.t === "map" ? v.entries.find(([k]) => k === key)?.[1] : undefined;
const str = (v: Value | undefined): string | undefined => (v && v.t === "str" ? v.v : undefined);

/** Converts a JSON value (registry.json) to a Value; `floatKeys` says which numbers are floats, since JSON loses `1.0`. */
function fromJson(j: unknown, asFloat = false): Value {
  if (j === null) return { t: "null" };
  if (typeof j === "boolean") return { t: "bool", v: j };
  if (typeof j === "number") return asFloat || !Number.isInteger(j) ? { t: "float", v: j } : { t: "int", v: j };
  if (typeof j === "string") return { t: "str", v: j };
  if (Array.isArray(j)) return { t: "list", items: j.map((x) => fromJson(x)) };
  return { t: "map", entries: Object.entries(j as object).map(([k, x]) => [k, fromJson(x)]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing `.lv` text.

const RESERVED = new Set(["and", "or", "not", "is", "in", "if", "then", "else", "true", "false", "null"]);
const isName = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !RESERVED.has(s);

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}
export const key = (s: string) => (isName(s) ? s : quote(s));

export function floatText(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite float ${v} cannot be written`);
  const s = String(Math.abs(v));
  const body = /[.eE]/.test(s) ? s.replace(/e\+/, "e") : s + ".0";
  return v < 0 || Object.is(v, -0) ? "-" + body : body;
}

export class Writer {
  constructor(private readonly processors: ReadonlySet<string>) {}

  /** The processor a map names, if it is a registered one (then it is written as `name { params }`). */
  private tagOf(v: Value): string | null {
    const name = str(get(v, "name"));
    return name && this.processors.has(name) && isName(name) ? name : null;
  }

  private isSimple(v: Value): boolean {
    if (v.t === "list") return v.items.every((i) => i.t !== "list" && i.t !== "map");
    if (v.t === "map") return false;
    return true;
  }

  expr(v: Value, indent: string): string {
    switch (v.t) {
      case "null": return "null";
      case "bool": return String(v.v);
      case "int": return String(v.v);
      case "float": return floatText(v.v);
      case "str": return quote(v.v);
      case "list": {
        if (v.items.every((i) => this.isSimple(i))) {
          const line = "[" + v.items.map((i) => this.expr(i, indent)).join(", ") + "]";
          if (v.items.length < 2 || line.length + indent.length <= 110) return line;
        }
        const inner = indent + "  ";
        return "[\n" + v.items.map((i) => inner + this.expr(i, inner) + ",\n").join("") + indent + "]";
      }
      case "map": {
        const tag = this.tagOf(v);
        const members = tag ? v.entries.filter(([k]) => k !== "name") : v.entries;
        return (tag ? tag + " " : "") + this.body(members, indent);
      }
    }
  }

  /** `{ a = 1, b = 2 }` on one line when short and flat, else one member per line. */
  body(entries: readonly [string, Value][], indent: string): string {
    if (!entries.length) return "{}";
    const flat = entries.every(([, v]) => this.isSimple(v));
    if (flat) {
      const line = "{ " + entries.map(([k, v]) => `${key(k)} = ${this.expr(v, indent)}`).join(", ") + " }";
      if (line.length + indent.length <= 100) return line;
    }
    const inner = indent + "  ";
    return "{\n" + entries.map(([k, v]) => this.member(k, v, inner)).join("") + indent + "}";
  }

  /** One member line: untagged maps become nested blocks `k { ... }`, everything else `k = value`. */
  member(k: string, v: Value, indent: string): string {
    if (v.t === "map" && !this.tagOf(v)) {
      if (!v.entries.length) return `${indent}${key(k)} {}\n`;
      return `${indent}${key(k)} {\n` + v.entries.map(([ck, cv]) => this.member(ck, cv, indent + "  ")).join("") + `${indent}}\n`;
    }
    return `${indent}${key(k)} = ${this.expr(v, indent)}\n`;
  }
}

export function docLines(text: string | undefined, indent: string): string {
  if (!text) return "";
  return text.split("\n").map((l) => `${indent}/// ${l}`.trimEnd() + "\n").join("");
}

// ---------------------------------------------------------------------------------------------------------------
// Processors: registry.json gives names and code defaults; these tables give types and docs.

interface ParamSpec {
  type: string;
  doc: string;
}

const CLIP_MEAN = "(0.48145466, 0.4578275, 0.40821073)";
const CLIP_STD = "(0.26862954, 0.26130258, 0.27577711)";
const COMMON_PARAMS: Record<string, ParamSpec> = {
  image_size: { type: "int(> 0)", doc: "Output side length in pixels." },
  mean: { type: "list<float>?", doc: `Per-channel normalisation mean; null means CLIP's ${CLIP_MEAN}.` },
  std: { type: "list<float>?", doc: `Per-channel normalisation standard deviation; null means CLIP's ${CLIP_STD}.` },
  min_scale: { type: "float(> 0, <= 1)", doc: "Smallest fraction of the image area kept by the random resized crop." },
  max_scale: { type: "float(> 0, <= 1)", doc: "Largest fraction of the image area kept by the random resized crop." },
  n_frms: {
    type: "int(> 0)?",
    doc: "Frames sampled from each video. LAVIS means the default to be sys.maxsize (every frame), but binds it before it is registered, so the effective default is null.",
  },
  full_video: { type: "bool", doc: "Sample frames from the whole video, ignoring the clip's start and end times." },
  prompt: { type: "string", doc: "Text prepended to the processed text." },
  max_words: { type: "int(> 0)", doc: "The text is truncated to this many words." },
};

const PROCESSORS: Record<string, { doc: string; params?: Record<string, ParamSpec> }> = {
  alpro_video_train: {
    doc: "Training-time video transform of ALPRO: samples n_frms frames, random resized crop in [min_scale, max_scale] of each frame, horizontal flip, RandAugment, normalisation.",
  },
  alpro_video_eval: { doc: "Evaluation-time video transform of ALPRO: samples n_frms frames, resizes each to image_size, normalisation." },
  beats_audio: {
    doc: "Audio front end of the BEATs encoder: mono waveform resampled to sampling_rate, 128-bin log-mel filter bank (25 ms frames, 10 ms shift), cut into segments of frame_length frames.",
    params: {
      model_name: { type: "string", doc: "BEATs tokenizer/checkpoint name; stored but not used by the transform." },
      sampling_rate: { type: "int(> 0)", doc: "Target sampling rate in Hz." },
      n_frames: { type: "int(> 0)", doc: "Segments per clip in training (zero-padded or truncated to n_frames x frame_length)." },
      frame_length: { type: "int(> 0)", doc: "Filter-bank frames per segment." },
      is_eval: { type: "bool", doc: "Keep every segment of the clip instead of exactly n_frames." },
    },
  },
  blip2_image_train: {
    doc: "Training-time image transform of BLIP-2: random resized crop (bicubic) in [min_scale, max_scale] of the image, horizontal flip, normalisation; no RandAugment.",
  },
  blip_caption: { doc: "Caption text cleaner of BLIP: lower-cases, strips punctuation, truncates to max_words words and prepends prompt." },
  blip_diffusion_inp_image_eval: { doc: "BLIP-Diffusion input-image transform for evaluation: resize to image_size, normalisation." },
  blip_diffusion_inp_image_train: { doc: "BLIP-Diffusion input-image transform for training: resize to image_size, normalisation." },
  blip_diffusion_tgt_image_train: { doc: "BLIP-Diffusion target-image transform: resize and centre-crop to image_size, scaled to [-1, 1] for the diffusion model." },
  blip_image_eval: { doc: "Evaluation-time image transform of BLIP: bicubic resize to image_size x image_size, normalisation." },
  blip_image_train: {
    doc: "Training-time image transform of BLIP: random resized crop (bicubic) in [min_scale, max_scale] of the image, horizontal flip, RandAugment(2, 5), normalisation.",
  },
  blip_instruction: {
    doc: "Instruction text processor of X-InstructBLIP: builds the text from a random instruction template for the modality and task, after prompt; task eval only cleans the text like blip_caption.",
    params: {
      modality: { type: "string", doc: "Modality whose instruction templates are used (image, video, audio, pc)." },
      task: { type: "string", doc: "caption, qa or classification use that task's templates; eval only cleans the text; any other value cleans it like blip_caption." },
      cmu_dict_path: { type: "path?", doc: "Pickled CMU pronouncing dictionary used by the classification task to choose a/an; null loads NLTK's copy." },
    },
  },
  blip_question: { doc: "Question text cleaner of BLIP: lower-cases, strips punctuation and truncates to max_words words." },
  clip_image_eval: { doc: "Evaluation-time image transform of CLIP: bicubic resize of the short side to image_size, centre crop, normalisation." },
  clip_image_train: {
    doc: "Training-time image transform of CLIP: random resized crop (bicubic) in [min_scale, max_scale] of the image, normalisation.",
  },
  gpt_dialogue: {
    doc: "Dialogue text processor of the GPT dialogue model: keeps the last max_turns turns of the dialogue history, optionally with the video caption.",
    params: {
      max_turns: { type: "int(> 0)", doc: "Number of most recent dialogue turns kept as context." },
      use_caption: { type: "bool", doc: "Prepend the video caption to the dialogue context." },
    },
  },
  gpt_video_ft: {
    doc: "Loads pre-extracted video and audio features for the GPT dialogue model.",
    params: {
      visual_ft: { type: "list<string>", doc: "Names of the visual feature sets to load." },
      audio_ft: { type: "list<string>", doc: "Names of the audio feature sets to load." },
    },
  },
  ulip_pc: {
    doc: "Point-cloud processor of ULIP: loads a cloud, normalises it, samples npoints points and optionally augments them.",
    params: {
      npoints: { type: "int(> 0)", doc: "Number of points kept per cloud." },
      augment: { type: "bool", doc: "Apply random point dropout, scaling, shift and rotation." },
      uniform: { type: "bool", doc: "Use farthest-point sampling when the cloud has more than npoints points (otherwise random sampling)." },
      ssl: { type: "bool", doc: "Also return two independently augmented views of the cloud." },
      oversample: { type: "bool", doc: "Stored but not used by the processor." },
      use_height: { type: "bool", doc: "Append each point's height above the lowest point (along axis 1) as a fourth feature." },
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// `model:` keys. `type` is lavisc type text; `default` is lavisc expression text, absent where LAVIS has no single
// code default (a required key, or a default that differs per arch: those are nullable and say so in the doc).

interface FieldSpec {
  type: string;
  default?: string;
  doc: string;
}

const XI = "X-InstructBLIP (blip2_vicuna_xinstruct)";
const xi = (doc: string) => `${doc} Read by ${XI}.`;
const perModality = (
  make: (m: string) => [string, FieldSpec],
  modalities = ["audio", "image", "pc", "video"],
): Record<string, FieldSpec> => Object.fromEntries(modalities.map(make));
const LOCATION = "url | path";

const MODEL_FIELDS: Record<string, FieldSpec> = {
  arch: { type: "string", doc: "Registered model architecture; picks the model class. Required." },
  model_type: { type: "string", doc: "One of the arch's model types; picks the default config file that is merged under this section. Required." },
  load_pretrained: { type: "bool", default: "true", doc: "Load the `pretrained` checkpoint when not loading a fine-tuned one." },
  load_finetuned: {
    type: "bool",
    default: "true",
    doc: "Load the `finetuned` checkpoint instead of `pretrained`. Defaults to true, so training from pre-trained weights needs `load_finetuned = false`.",
  },
  pretrained: { type: "string?", default: "null", doc: "Pre-trained checkpoint: a URL or local path, or for CLIP an OpenCLIP weight tag such as \"openai\"." },
  finetuned: { type: `${LOCATION} | null`, default: "null", doc: "URL or local path of the fine-tuned checkpoint; must be set when load_finetuned is true." },
  prompt: { type: "string?", doc: "Text prompt prepended to generated or scored text. Code default depends on the arch (\"\" or null)." },
  max_txt_len: { type: "int(> 0)?", doc: "Maximum text length in tokens. Code default depends on the arch (25 to 128)." },
  image_size: {
    type: "int(> 0)?",
    doc: "Input image side length. BLIP/ALBEF vision encoders default to 384; BLIP-2 models read it without a default.",
  },
  med_config_path: { type: "path?", doc: "BERT/MED text-encoder config JSON, relative to the lavis package. Required by BLIP and ALBEF models." },
  embed_dim: { type: "int(> 0)", default: "256", doc: "Dimension of the shared image-text embedding space." },
  queue_size: { type: "int(>= 0)?", doc: "Length of the momentum feature queue for contrastive learning. Code default depends on the arch (0, 57600 or 65536)." },
  alpha: { type: "float(>= 0, <= 1)", default: "0.4", doc: "Weight of the momentum-distillation soft targets." },
  momentum: { type: "float(>= 0, <= 1)", default: "0.995", doc: "Momentum of the momentum-encoder update." },
  temp: { type: "float(> 0)", default: "0.07", doc: "Initial temperature of the contrastive loss (ALBEF)." },
  use_distill: { type: "bool", default: "true", doc: "Train with momentum distillation." },
  negative_all_rank: { type: "bool", default: "false", doc: "Sample hard negatives for image-text matching from all ranks, not only the local batch (BLIP retrieval)." },
  mlm_mask_prob: { type: "float(>= 0, <= 1)", default: "0.15", doc: "Masking probability of masked language modelling (ALBEF pre-training)." },
  num_classes: { type: "int?", doc: "Number of output classes or answers. Code default depends on the arch (-1 or 3)." },
  vit_type: { type: "string", default: "\"base\"", doc: "Size of the ViT image encoder of BLIP/ALBEF (base or large)." },
  vit_grad_ckpt: { type: "bool", default: "false", doc: "Use gradient checkpointing in the ViT encoder (BLIP/ALBEF)." },
  vit_ckpt_layer: { type: "int(>= 0)", default: "0", doc: "Number of ViT layers that use gradient checkpointing (BLIP/ALBEF)." },
  vit_drop_path_rate: { type: "float(>= 0, <= 1)", default: "0", doc: "Stochastic-depth rate of the ViT encoder (BLIP/ALBEF)." },
  vit_layer_norm_epsilon: { type: "float", default: "-1", doc: "Layer-norm epsilon of the ViT encoder; a negative value keeps the encoder's own default." },
  vit_model: { type: "string?", doc: "Vision backbone of BLIP-2 models (eva_clip_g or clip_L). Code default depends on the arch." },
  vit_precision: { type: "string", default: "\"fp16\"", doc: "Precision of the frozen BLIP-2 vision backbone (fp16 or fp32)." },
  freeze_vit: { type: "bool", default: "true", doc: "Keep the BLIP-2 vision backbone frozen." },
  drop_path_rate: { type: "float(>= 0, <= 1)", default: "0", doc: "Stochastic-depth rate of the BLIP-2 vision backbone." },
  use_grad_checkpoint: { type: "bool", default: "false", doc: "Use gradient checkpointing in the BLIP-2 vision backbone." },
  num_query_token: { type: "int(> 0)?", default: "null", doc: "Number of learned Q-Former query tokens (BLIP-2 family)." },
  opt_model: { type: "string?", default: "null", doc: "Hugging Face name or path of the OPT language model (blip2_opt)." },
  t5_model: { type: "string?", default: "null", doc: "Hugging Face name or path of the FlanT5 language model (blip2_t5, blip2_t5_instruct)." },
  llm_model: { type: "string?", default: "null", doc: "Hugging Face name or local path of the Vicuna language model." },
  apply_lemmatizer: { type: "bool", default: "false", doc: "Lemmatize predicted VQA answers before scoring." },
  max_output_txt_len: { type: "int(> 0)", default: "256", doc: "Maximum length in tokens of the target text of instruction models." },
  qformer_text_input: { type: "bool", default: "true", doc: "Feed the instruction text to the Q-Former as well as to the language model." },
  few_shot_prob: { type: "float(>= 0, <= 1)", default: "0.0", doc: "Probability of building a few-shot training example (blip2_t5_instruct)." },
  num_few_shot_examples: { type: "int(>= 0)", default: "0", doc: "Number of in-context examples in a few-shot training example (blip2_t5_instruct)." },
  llm_text_input: { type: "bool", default: "true", doc: xi("Feed the instruction text to the language model.") },
  modalities: { type: "list<string>", default: "[\"image\"]", doc: xi("Input modalities the model encodes (image, video, audio, pc).") },
  ...perModality((m) => [`${m}_model`, {
    type: "string",
    default: { audio: "\"beats\"", image: "\"eva_clip_g\"", pc: "\"ulip2_pointbert\"", video: "\"eva_clip_g\"" }[m]!,
    doc: xi(`Encoder used for the ${m} modality.`),
  }]),
  ...perModality((m) => [`${m}_precision`, { type: "string", default: "\"fp16\"", doc: xi(`Precision of the ${m} encoder.`) }]),
  ...perModality((m) => [`${m}_encoder_kwargs`, {
    type: "map<any>",
    default: m === "image" ? "{ image_size = 224, drop_path_rate = 0, use_grad_checkpoint = false }" : "{}",
    doc: xi(`Keyword arguments passed to the ${m} encoder builder.`),
  }]),
  ...perModality((m) => [`freeze_${m}`, { type: "bool", default: "true", doc: xi(`Keep the ${m} encoder frozen.`) }]),
  ...perModality((m) => [`load_attention_${m}_qformer`, { type: "bool", default: "false", doc: xi(`Load the ${m} Q-Former's attention weights from its checkpoint.`) }]),
  load_attention_shared_qformer: { type: "bool?", default: "null", doc: xi("Load the shared Q-Former's attention weights from its checkpoint.") },
  ...perModality((m) => [`load_ln_type_${m}`, { type: "string", default: "\"\"", doc: xi(`Modality whose layer norm is loaded for the ${m} branch; empty keeps the ${m} one.`) }]),
  load_ln_type_shared: { type: "string?", doc: "Not read by any LAVIS model (dead key)." },
  ...perModality((m) => [`load_projection_${m}`, { type: "bool", default: "true", doc: xi(`Load the ${m} projection to the language model from the checkpoint.`) }]),
  load_projection_shared: { type: "bool", default: "false", doc: xi("Load the shared projection to the language model from the checkpoint.") },
  ...perModality((m) => [`load_projection_type_${m}`, { type: "string", default: "\"\"", doc: xi(`Modality whose projection is loaded for the ${m} branch; empty keeps the ${m} one.`) }]),
  load_projection_type_shaped: { type: "string?", doc: "Misspelling of load_projection_type_shared; not read by any LAVIS model (dead key)." },
  ...perModality(
    (m) => [`load_qformer_type_${m}`, { type: "string", default: "\"\"", doc: xi(`Modality whose Q-Former weights are loaded for the ${m} branch; empty keeps the ${m} one.`) }],
    ["audio", "image", "pc", "shared", "video"],
  ),
  ...perModality(
    (m) => [`pretrained_${m}_qformer`, {
      type: m === "audio" || m === "pc" ? `bool | ${LOCATION} | null` : `${LOCATION} | null`,
      default: "null",
      doc: xi(`Checkpoint of the ${m} Q-Former.`),
    }],
    ["audio", "image", "pc", "shared", "video"],
  ),
  shared_qformer: { type: "bool", default: "false", doc: xi("Use one Q-Former shared by all modalities.") },
  shared_qformer_num_features: { type: "int(> 0)", default: "512", doc: xi("Feature width of the shared Q-Former input projection.") },
  stage1_url_or_filename: { type: `${LOCATION} | null`, default: "\"\"", doc: xi("Stage-1 Q-Former checkpoint loaded before the modality checkpoints.") },
  use_cues: { type: "bool", default: "true", doc: xi("Prefix each modality's query tokens with a textual cue naming the modality.") },
  prefix: { type: "string", default: "\"\"", doc: xi("Text placed before the model input.") },
  postfix: { type: "string", default: "\"\"", doc: xi("Text placed after the model input.") },
  predict_with_gen: { type: "bool", default: "false", doc: xi("Answer classification questions by generation instead of candidate ranking.") },
  special_qformer_input_prompt: { type: "bool | string", default: "false", doc: xi("Fixed text given to the Q-Former instead of the instruction; false disables it.") },
  proj_dim: { type: "int(> 0)", default: "1", doc: xi("Projection-only mode maps each modality to num_query_token x proj_dim outputs.") },
  projection_only: { type: "bool", default: "false", doc: xi("Use only a linear projection (no Q-Former) for every modality.") },
  projection_only_audio: { type: "bool", default: "false", doc: xi("Use only a linear projection (no Q-Former) for audio.") },
  projection_only_pc: { type: "bool", default: "false", doc: xi("Use only a linear projection (no Q-Former) for point clouds.") },
  projection_path_audio: { type: `bool | ${LOCATION}`, default: "false", doc: xi("Checkpoint of the audio projection-only branch; false when unused.") },
  projection_path_pc: { type: `bool | ${LOCATION}`, default: "false", doc: xi("Checkpoint of the point-cloud projection-only branch; false when unused.") },
  format_candidates_prompt: { type: "string", default: "\"{}\"", doc: xi("Template applied to each answer candidate; {} stands for the candidate.") },
  add_space: { type: "bool", default: "true", doc: xi("Insert a space between the prompt and the target text.") },
  enumerate_inputs: { type: "bool", default: "false", doc: xi("Label the inputs (a), (b), ... in the prompt (discriminatory reasoning).") },
  use_caption: { type: "bool", default: "false", doc: xi("Discriminatory reasoning: put the inputs' baseline captions in the prompt.") },
  use_describe: { type: "bool", default: "false", doc: xi("Discriminatory-reasoning prompt option.") },
  clean_tokenization: { type: "bool", default: "false", doc: xi("Strip the whitespace around modality cues and the start token from the prompt.") },
  joint_video_audio: { type: "bool", default: "false", doc: xi("Interleave video and audio inputs in the language model input.") },
  lora: { type: "bool", default: "false", doc: xi("Fine-tune the language model (loaded in 8 bits) with LoRA adapters on its query and value projections.") },
  remove_start: { type: "bool", default: "false", doc: xi("Generation option: remove the start token.") },
  timesformer: { type: "map<any>?", doc: "Settings of the TimeSformer video encoder (image_size, n_frms, patch_size, drop rates, checkpointing). Required by ALPRO models." },
  image_captioning_model: { type: "map<any>?", doc: "Complete model config of the captioning sub-model. Required by pnp_vqa and img2prompt_vqa." },
  image_question_matching_model: { type: "map<any>?", doc: "Complete model config of the image-question matching sub-model. Required by pnp_vqa and img2prompt_vqa." },
  question_answering_model: { type: "map<any>?", doc: "Complete model config of the question-answering sub-model (pnp_unifiedqav2_fid). Required by pnp_vqa." },
  question_generation_moodel: { type: "map<any>?", doc: "Misspelled sub-model block of img2prompt_vqa; never read (the question generator is fixed in code)." },
  len_tokenizer: { type: "int(> 0)?", doc: "Vocabulary size of the GPT-2 tokenizer after adding special tokens. Required by gpt_dialogue." },
  len_video_ft: { type: "int?", doc: "Not read by any LAVIS model (dead key)." },
  qformer_cross_attention_freq: { type: "int(> 0)", default: "1", doc: "A Q-Former layer has cross-attention every this many layers (blip_diffusion)." },
  qformer_num_query_token: { type: "int(> 0)", default: "16", doc: "Number of Q-Former query tokens (blip_diffusion)." },
  qformer_train: { type: "bool", default: "false", doc: "Train the Q-Former (blip_diffusion)." },
  sd_pretrained_model_name_or_path: { type: "string", default: "\"runwayml/stable-diffusion-v1-5\"", doc: "Stable Diffusion checkpoint (Hugging Face name or path) of blip_diffusion." },
  sd_train_text_encoder: { type: "bool", default: "false", doc: "Train the Stable Diffusion text encoder (blip_diffusion)." },
  vae_half_precision: { type: "bool", default: "false", doc: "Run the Stable Diffusion VAE in half precision (blip_diffusion)." },
  controlnet_pretrained_model_name_or_path: { type: "string?", default: "null", doc: "ControlNet checkpoint (Hugging Face name or path); null runs blip_diffusion without ControlNet." },
};

// ---------------------------------------------------------------------------------------------------------------
// `datasets.<name>:` keys.

const slot = (what: string): FieldSpec => ({
  // Each slot a map (a `.lv` bare name becomes one before checking): LAVIS reads `cfg.name` of whatever is there.
  type: "map<ProcessorSplit, map<any>?>?",
  doc: `${what} processors by split slot: \`train\` and \`eval\`, each a processor (\`name { params }\`) or null; an absent slot is the identity.`,
});

const DATASET_FIELDS: Record<string, FieldSpec> = {
  type: { type: "string", default: "\"default\"", doc: "Which of the builder's default configs is merged under this entry. Only the experiment file can choose it, not a command-line override." },
  data_type: {
    type: "string | list<string>",
    doc: "Modality or modalities of the inputs (images, videos, video, audio, pc, features); each one selects `build_info.<data_type>`. Multi-modal builders need a list. Required.",
  },
  build_info: { type: "map<any>", doc: "Where annotations (`annotations.<split>.url/storage`) and media (`<data_type>.storage`) come from; relative storage paths are under cache_root. Required." },
  vis_processor: slot("Image"),
  text_processor: slot("Text"),
  audio_processor: slot("Audio"),
  video_processor: slot("Video"),
  pc_processor: slot("Point-cloud"),
  kw_processor: { type: "map<any>?", doc: "Extra named processors, each `<key> = processor`, handed to the dataset by key (BLIP-Diffusion)." },
  dataset_card: { type: "path?", doc: "Documentation page of the dataset; not read by LAVIS." },
  missing_ids: { type: "list<string>?", doc: "Misplaced here: only `build_info.kwargs.missing_ids` reaches the dataset." },
};

// ---------------------------------------------------------------------------------------------------------------
// Registry docs.

const ARCH_DOCS: Record<string, string> = {
  albef_classification: "ALBEF visual-entailment classifier: ViT image encoder, BERT text encoder with cross-attention fusion and a classification head, with momentum distillation.",
  albef_feature_extractor: "ALBEF feature extractor: unimodal image and text embeddings and fused multimodal features, for inference only.",
  albef_nlvr: "ALBEF for NLVR2: fuses a statement with a pair of images and classifies it true or false.",
  albef_pretrain: "ALBEF pre-training: image-text contrastive (with a momentum queue), image-text matching and masked language modelling losses.",
  albef_retrieval: "ALBEF image-text retrieval: contrastive and matching heads with momentum distillation.",
  albef_vqa: "ALBEF visual question answering: answer decoder over the fused image-question representation, ranking an answer list.",
  alpro_qa: "ALPRO video question answering as classification over an answer vocabulary: TimeSformer video encoder and BERT text encoder.",
  alpro_retrieval: "ALPRO video-text retrieval: TimeSformer video encoder, BERT text encoder, contrastive and matching heads.",
  blip2: "BLIP-2 first stage: frozen image encoder and Q-Former trained with contrastive, matching and image-grounded generation losses; also used for retrieval.",
  blip2_feature_extractor: "BLIP-2 Q-Former used as a feature extractor for image, text and multimodal embeddings, for inference only.",
  blip2_image_text_matching: "BLIP-2 Q-Former image-text matching and similarity scoring, for inference only.",
  blip2_opt: "BLIP-2 with a frozen OPT language model fed by the Q-Former: captioning, VQA by generation, and second-stage pre-training.",
  blip2_t5: "BLIP-2 with a frozen FlanT5 language model fed by the Q-Former: captioning, VQA by generation, and second-stage pre-training.",
  blip2_t5_instruct: "InstructBLIP with a frozen FlanT5 language model: an instruction-aware Q-Former feeds the language model.",
  blip2_vicuna_instruct: "InstructBLIP with a frozen Vicuna language model: an instruction-aware Q-Former feeds the language model.",
  blip2_vicuna_xinstruct: "X-InstructBLIP: per-modality encoders (image, video, audio, point cloud) and Q-Formers projected into a frozen Vicuna language model.",
  blip_caption: "BLIP image captioning: ViT image encoder and an image-grounded BERT text decoder trained with language modelling.",
  blip_classification: "BLIP multimodal classifier: fused image-text representation with a classification head, with momentum distillation.",
  blip_diffusion: "BLIP-Diffusion subject-driven text-to-image generation: a BLIP-2 multimodal encoder conditions Stable Diffusion, optionally with ControlNet.",
  blip_feature_extractor: "BLIP feature extractor: unimodal image and text embeddings and fused multimodal features, for inference only.",
  blip_image_text_matching: "BLIP image-text matching and similarity scoring (matching head or contrastive similarity), for inference only.",
  blip_nlvr: "BLIP for NLVR2: fuses a statement with a pair of images and classifies it true or false.",
  blip_pretrain: "BLIP pre-training: image-text contrastive, matching and image-grounded language modelling losses with a momentum queue.",
  blip_retrieval: "BLIP image-text retrieval: ViT image encoder, BERT text encoder, contrastive (ITC) and matching (ITM) heads with momentum distillation.",
  blip_vqa: "BLIP visual question answering: image-grounded question encoder and answer decoder, generating or ranking answers.",
  clip: "OpenCLIP model (ViT or ResNet image tower and text transformer): zero-shot classification and image-text retrieval.",
  clip_feature_extractor: "OpenCLIP model used as a feature extractor for image and text embeddings, for inference only.",
  gpt_dialogue: "GPT-2 video-grounded dialogue model over pre-extracted video and audio features (AVSD).",
  img2prompt_vqa: "Img2Prompt zero-shot VQA: captions and generated question-answer pairs from the image prompt a frozen language model; inference only.",
  pnp_unifiedqav2_fid: "UnifiedQA-v2 T5 reader with fusion-in-decoder; built only as the question-answering sub-model of pnp_vqa.",
  pnp_vqa: "Plug-and-Play VQA: image-question matching picks relevant patches, a captioner describes them, a fusion-in-decoder reader answers; zero-shot.",
};

const TASK_DOCS: Record<string, string> = {
  captioning: "Caption generation, scored with COCO caption metrics.",
  vqa: "Visual question answering by ranking or generation, scored with VQA accuracy.",
  aok_vqa: "A-OKVQA direct-answer evaluation (as vqa, without the prompt), scored with soft accuracy.",
  gqa: "GQA question answering (as vqa, exact-match accuracy).",
  discrn_qa: "Discriminatory reasoning across two inputs (as vqa), scored with accuracy.",
  vqa_reading_comprehension: "Zero-shot VQA through captions and a reader model (PNP-VQA).",
  gqa_reading_comprehension: "Zero-shot GQA through captions and a reader model (PNP-VQA).",
  multimodal_classification: "Classification from image, video, audio or point-cloud input, scored with accuracy.",
  retrieval: "Image-text or video-text retrieval, scored with recall@k.",
  dialogue: "Dialogue response generation, evaluated by mean validation loss.",
  image_text_pretrain: "Image-text pre-training; no evaluation.",
  "text-to-image-generation": "Subject-driven text-to-image generation (BLIP-Diffusion); no evaluation.",
};

// Facts the corpus cannot show: archs that no project file uses, but that LAVIS can train or evaluate with a task.
// blip_vqa and albef_vqa under gqa: GQATask.valid_step calls predict_answers with VQATask's arguments (vqa.py @7a08d0c),
// which both define; GQADataset is a VQADataset, whose collater gives forward its answer, weight and n_answers. What
// they do with the answer list GQATask never sets is LV4075's (stdlib/contracts.lv, task gqa `answer_list`).
const EXTRA_ARCH_TASKS: Record<string, string[]> = {
  albef_vqa: ["gqa"],
  blip_classification: ["multimodal_classification"],
  blip_vqa: ["gqa"],
};

const BUILDER_MODULE_TASK: Record<string, string> = {
  "audio_caption_builder.py": "captioning",
  "audio_qa_builder.py": "vqa",
  "caption_builder.py": "captioning",
  "classification_builder.py": "multimodal_classification",
  "dialogue_builder.py": "dialogue",
  "discrn_builders.py": "discrn_qa",
  "image_text_pair_builder.py": "image_text_pretrain",
  "imagefolder_builder.py": "multimodal_classification",
  "object3d_caption_builder.py": "captioning",
  "object3d_classification_builder.py": "multimodal_classification",
  "object3d_qa_builder.py": "vqa",
  "retrieval_builder.py": "retrieval",
  "text_to_image_generation_builder.py": "text-to-image-generation",
  "video_qa_builder.py": "vqa",
  "vqa_builder.py": "vqa",
};

// Dataset families, matched by the builder name's prefix (longest first).
const FAMILIES: [string, string][] = [
  ["aok_vqa", "A-OKVQA: questions about COCO images that need commonsense and world knowledge"],
  ["audio_video_discrn", "Discriminatory reasoning over an audio clip and a video: which of the two inputs fits the question"],
  ["image_pc_discrn", "Discriminatory reasoning over an image and a 3D point cloud: which of the two inputs fits the question"],
  ["audiocaps", "AudioCaps: AudioSet sound clips with human-written captions"],
  ["audioset", "AudioSet: YouTube sound clips with sound-event labels"],
  ["avsd", "AVSD (audio-visual scene-aware dialog): dialogues about Charades videos"],
  ["blip_diffusion_finetune", "A few images of one subject with its subject text, for BLIP-Diffusion subject fine-tuning"],
  ["capfilt14m", "BLIP's CapFilt 14M web image-text pairs with synthetic, filtered captions"],
  ["charade", "Charades videos of indoor daily activities with descriptions"],
  ["clotho_qa", "Clotho-AQA: questions about Clotho sound clips"],
  ["clothov2", "Clotho v2: sound clips with five captions each"],
  ["coco_caption", "COCO images with human captions (Karpathy split)"],
  ["coco_retrieval", "COCO images with human captions (Karpathy split)"],
  ["coco_vqa", "VQAv2 questions about COCO images"],
  ["coin", "COIN instructional videos with step annotations"],
  ["conceptual_caption_3m", "Conceptual Captions 3M web image alt-text pairs"],
  ["conceptual_caption_12m", "Conceptual Captions 12M web image alt-text pairs"],
  ["didemo", "DiDeMo videos with localised descriptions"],
  ["esc50", "ESC-50 environmental sound clips in 50 classes"],
  ["flickr30k", "Flickr30k images with five captions each"],
  ["gqa", "GQA compositional questions over Visual Genome images"],
  ["iconqa", "IconQA questions about icon images and diagrams"],
  ["imagenet", "ImageNet-1k validation images, for zero-shot classification"],
  ["laion2B_multi", "LAION-2B multilingual web image-text pairs from WebDataset shards"],
  ["laion400M", "LAION-400M web image-text pairs from WebDataset shards"],
  ["llava150k", "LLaVA-Instruct-150K instruction dialogues about COCO images"],
  ["modelnet40", "ModelNet40 CAD models as point clouds in 40 classes"],
  ["msrvtt", "MSR-VTT web videos with twenty captions each"],
  ["msvd", "MSVD short YouTube clips with many captions each"],
  ["musicavqa", "MUSIC-AVQA audio-visual questions about musical performance videos"],
  ["nlvr", "NLVR2: statements about pairs of images, true or false"],
  ["nocaps", "NoCaps: Open Images validation and test images with objects unseen in COCO"],
  ["objaverse", "Objaverse 3D objects as point clouds with text"],
  ["ocr_vqa", "OCR-VQA: questions about the text on book covers"],
  ["ok_vqa", "OK-VQA: questions about COCO images that need outside knowledge"],
  ["sbu_caption", "SBU Captioned Photos: Flickr images with their user captions"],
  ["scienceqa", "ScienceQA: multiple-choice science questions with image context"],
  ["shapenet", "ShapeNet 3D models as point clouds with text"],
  ["snli_ve", "SNLI-VE visual entailment: does an image entail, contradict or leave open a sentence"],
  ["textcaps", "TextCaps: captions that read the text in images"],
  ["valor", "VALOR-32K videos with audio-visual captions"],
  ["vatex", "VATEX videos with English captions"],
  ["vg_caption", "Visual Genome region descriptions"],
  ["vg_vqa", "Visual Genome question-answer pairs"],
  ["violin", "VIOLIN: video clips with subtitles and statements to verify"],
  ["visdial", "VisDial: dialogues about COCO images"],
  ["vizwiz", "VizWiz: questions from blind people about their own photos"],
  ["vlep", "VLEP: predicting the next event in a video"],
  ["vsr", "VSR (visual spatial reasoning): true/false spatial-relation statements about COCO images"],
  ["wavcaps", "WavCaps: weakly labelled sound clips with rewritten captions"],
  ["webvid2m", "WebVid-2M stock videos with alt-text captions"],
  ["youcook", "YouCook2 cooking videos with step descriptions"],
  ["yt8m", "YouTube-8M videos with dialogue-style annotations"],
];

const TASK_PHRASE: Record<string, string> = {
  captioning: "captioning",
  vqa: "question answering",
  multimodal_classification: "classification",
  dialogue: "dialogue",
  discrn_qa: "discriminatory reasoning",
  image_text_pretrain: "image-text pairs for pre-training",
  retrieval: "retrieval",
  "text-to-image-generation": "text-to-image generation",
};

function builderDoc(name: string, moduleTask: string | undefined): string {
  const family = [...FAMILIES].sort((a, b) => b[0].length - a[0].length).find(([p]) => name.startsWith(p));
  if (!family) throw new Error(`no family description for builder ${name}`);
  const role = moduleTask ? TASK_PHRASE[moduleTask] : undefined;
  const instruct = name.endsWith("_instruct") ? " Instruction-tuning variant." : "";
  return `${family[1]}${role ? `; ${role}` : ""}.${instruct}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus scan.

interface Registry {
  models: Record<string, { class: string; file: string; model_types: Record<string, string> }>;
  datasets: Record<string, { class: string; file: string; types: Record<string, string> }>;
  processors: Record<string, { class: string; file: string; params: Record<string, unknown> }>;
  tasks: string[];
  lr_schedulers: string[];
  runners: string[];
}

export class Corpus {
  readonly registry: Registry;
  readonly archTasks = new Map<string, Set<string>>();
  readonly builderTasks = new Map<string, Set<string>>();
  /** Every value seen per key, for the type check of the schemas: `model.<key>`, `datasets.<key>`, `processor.<name>.<param>`. */
  readonly seen = new Map<string, Value[]>();
  readonly dataTypes: string[] = [];
  readonly notes: string[] = [];
  private readonly cache = new Map<string, Loaded>();

  constructor(readonly root: string) {
    this.registry = JSON.parse(readFileSync(join(root, "registry.json"), "utf8")) as Registry;
    for (const file of walkYaml(join(root, "projects"))) this.scanProject(file);
    for (const file of walkYaml(join(root, "configs"))) {
      const loaded = this.load(relative(root, file));
      if (!loaded.value) continue;
      this.scanModel(get(loaded.value, "model"));
      this.scanPreprocess(get(loaded.value, "preprocess"));
      const ds = get(loaded.value, "datasets");
      if (ds?.t === "map") for (const [, d] of ds.entries) this.scanDataset(d);
    }
  }

  /** A corpus file loaded strictly (OmegaConf's rules), or the reason it cannot be. */
  load(path: string): Loaded {
    let hit = this.cache.get(path);
    if (!hit) {
      const abs = join(this.root, path);
      hit = existsSync(abs) ? loadYaml(readFileSync(abs, "utf8"), true) : { value: null, error: "file does not exist" };
      if (hit.error) hit = { value: null, error: `${path}: ${hit.error}` };
      this.cache.set(path, hit);
    }
    return hit;
  }

  private note(key: string, v: Value) {
    const list = this.seen.get(key) ?? [];
    list.push(v);
    this.seen.set(key, list);
  }

  private scanProject(file: string) {
    // Project files only feed the task pairing and the key inventory, so a duplicate key is tolerated (last wins).
    const { value, error } = loadYaml(readFileSync(file, "utf8"), false);
    if (error || !value || value.t !== "map") {
      this.notes.push(`project ${relative(this.root, file)} skipped: ${error ?? "empty"}`);
      return;
    }
    const task = str(get(get(value, "run"), "task"));
    const model = get(value, "model");
    const arch = str(get(model, "arch"));
    if (task && arch) addTo(this.archTasks, arch, task);
    this.scanModel(model);
    const ds = get(value, "datasets");
    if (ds?.t === "map") {
      for (const [name, d] of ds.entries) {
        if (task) addTo(this.builderTasks, name, task);
        this.scanDataset(d);
      }
    }
  }

  private scanModel(model: Value | undefined) {
    if (model?.t === "map") for (const [k, v] of model.entries) this.note(`model.${k}`, v);
  }

  private scanPreprocess(pre: Value | undefined) {
    if (pre?.t !== "map") return;
    for (const [, slots] of pre.entries) this.scanSlots(slots);
  }

  private scanSlots(slots: Value | undefined) {
    if (slots?.t !== "map") return;
    for (const [, proc] of slots.entries) {
      const name = str(get(proc, "name"));
      if (name && proc.t === "map") for (const [k, v] of proc.entries) if (k !== "name") this.note(`processor.${name}.${k}`, v);
    }
  }

  private scanDataset(d: Value) {
    if (d.t !== "map") return;
    for (const [k, v] of d.entries) {
      this.note(`datasets.${k}`, v);
      if (k.endsWith("_processor")) this.scanSlots(v);
    }
    const dt = get(d, "data_type");
    for (const t of dt?.t === "list" ? dt.items : dt ? [dt] : []) {
      if (t.t === "str" && !this.dataTypes.includes(t.v)) this.dataTypes.push(t.v);
    }
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string) {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

function walkYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkYaml(p));
    else if (name.endsWith(".yaml") || name.endsWith(".yml")) out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The four files.

const HEADER = (what: string) =>
  `// Generated by tools/genStdlib.ts from the LAVIS corpus (salesforce/LAVIS @ 506965b): ${what}.\n` +
  `// Edit the generator's tables and rerun it rather than editing this file.\n\n`;

const taskRef = (t: string) => (isName(t) ? t : quote(t));

function fieldText(name: string, f: FieldSpec, indent: string): string {
  return docLines(f.doc, indent) + `${indent}${key(name)}: ${f.type}${f.default !== undefined ? ` = ${f.default}` : ""}\n`;
}

function processorsFile(reg: Registry, w: Writer): string {
  const order = Object.keys(COMMON_PARAMS);
  let out = HEADER("the 17 registered processors, their parameters and code defaults");
  for (const name of Object.keys(reg.processors).sort()) {
    const spec = PROCESSORS[name];
    if (!spec) throw new Error(`no doc for processor ${name}`);
    const defaults = reg.processors[name]!.params;
    const own = spec.params ?? {};
    for (const p of Object.keys(own)) if (!(p in defaults)) throw new Error(`processor ${name} has no parameter ${p} in registry.json`);
    const params = Object.keys(defaults).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    function rank(p: string): number {
      const i = order.indexOf(p);
      return i >= 0 ? i : order.length + Object.keys(own).indexOf(p);
    }
    out += docLines(spec.doc, "") + `processor ${name} {\n`;
    for (const p of params) {
      const ps = own[p] ?? COMMON_PARAMS[p];
      if (!ps) throw new Error(`no type for parameter ${p} of processor ${name}`);
      const value = fromJson(defaults[p], /^float/.test(ps.type));
      out += docLines(ps.doc, "  ") + `  ${key(p)}: ${ps.type} = ${w.expr(value, "  ")}\n`;
    }
    if (params.includes("min_scale") && params.includes("max_scale")) out += `  check min_scale <= max_scale "min_scale must not exceed max_scale"\n`;
    out += "}\n\n";
  }
  return out.trimEnd() + "\n";
}

function orderedTasks(reg: Registry, tasks: Iterable<string>): string[] {
  const set = new Set(tasks);
  for (const t of set) if (!reg.tasks.includes(t)) throw new Error(`unknown task ${t}`);
  return reg.tasks.filter((t) => set.has(t));
}

function modelsFile(c: Corpus, w: Writer, report: Report): string {
  const reg = c.registry;
  let out = HEADER(`the model section's keys and the ${Object.keys(reg.models).length} registered model architectures with their model types' default configs`);
  out += "/// The `model:` section of an experiment: LAVIS merges it over the default config of the chosen arch and model type.\n";
  out += "/// Defaults are the ones LAVIS's code applies when a key is absent from both.\nschema ModelConfig {\n";
  for (const [name, f] of Object.entries(MODEL_FIELDS)) out += fieldText(name, f, "  ");
  out += "}\n\n";
  for (const arch of Object.keys(reg.models).sort()) {
    const doc = ARCH_DOCS[arch];
    if (!doc) throw new Error(`no doc for arch ${arch}`);
    const tasks = orderedTasks(reg, [...(c.archTasks.get(arch) ?? []), ...(EXTRA_ARCH_TASKS[arch] ?? [])]);
    out += docLines(doc, "") + `arch ${key(arch)} : ModelConfig {\n  tasks = [${tasks.map(taskRef).join(", ")}]\n`;
    for (const [type, path] of Object.entries(reg.models[arch]!.model_types)) {
      out += `\n  /// Default config: ${path}.\n  type ${key(type)} {\n`;
      const loaded = c.load(path);
      const model = get(loaded.value, "model");
      if (loaded.error || model?.t !== "map") {
        const reason = loaded.error ?? `${path} has no model section`;
        report.invalid.push(`model ${arch}(${type}): ${reason}`);
        out += `    invalid = ${quote(reason)}\n  }\n`;
        continue;
      }
      for (const [k, v] of model.entries) {
        if (k === "arch" || k === "model_type") {
          if (str(v) !== (k === "arch" ? arch : type)) report.dropped.push(`${path}: model.${k} = ${JSON.stringify(str(v) ?? v)} (registered ${k === "arch" ? arch : type})`);
          continue;
        }
        out += w.member(k, v, "    ");
      }
      const pre = get(loaded.value, "preprocess");
      if (pre) out += w.member("preprocess", pre, "    ");
      out += "  }\n";
    }
    out += "}\n\n";
  }
  return out.trimEnd() + "\n";
}

function datasetsFile(c: Corpus, w: Writer, report: Report): string {
  const reg = c.registry;
  let out = HEADER(`the dataset entry's keys and the ${Object.keys(reg.datasets).length} registered dataset builders with their types' default configs`);
  out += "/// The slots of a processor section: LAVIS's dataset builders build a `train` and an `eval` processor\n";
  out += "/// (BaseDatasetBuilder.build_processors) and read no other key.\nenum ProcessorSplit {\n  train\n  eval\n}\n\n";
  out += "/// One entry of the `datasets:` section, keyed by builder name: LAVIS merges it over the builder's default config for `type`.\n";
  out += "schema DatasetConfig {\n";
  for (const [name, f] of Object.entries(DATASET_FIELDS)) out += fieldText(name, f, "  ");
  out += "}\n\n";
  for (const builder of Object.keys(reg.datasets).sort()) {
    const entry = reg.datasets[builder]!;
    const moduleFile = entry.file.split("/").pop()!;
    const moduleTask = BUILDER_MODULE_TASK[moduleFile];
    if (!moduleTask) throw new Error(`no task for builder module ${moduleFile}`);
    const tasks = orderedTasks(reg, [moduleTask, ...(c.builderTasks.get(builder) ?? [])]);
    out += docLines(builderDoc(builder, moduleTask), "") + `builder ${key(builder)} : DatasetConfig {\n  tasks = [${tasks.map(taskRef).join(", ")}]\n`;
    const types = Object.entries(entry.types).sort(([a], [b]) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
    for (const [type, path] of types) {
      out += `\n  /// Default config: ${path}.\n  type ${key(type)} {\n`;
      const loaded = c.load(path);
      const datasets = get(loaded.value, "datasets");
      if (loaded.error || datasets?.t !== "map" || datasets.entries.length === 0) {
        const reason = loaded.error ?? `${path} has no datasets section`;
        report.invalid.push(`dataset ${builder}(${type}): ${reason}`);
        out += `    invalid = ${quote(reason)}\n  }\n`;
        continue;
      }
      if (datasets.entries.length > 1) report.invalid.push(`dataset ${builder}(${type}): ${path} has ${datasets.entries.length} keys; the first is used`);
      const [fileKey, content] = datasets.entries[0]!;
      if (fileKey !== builder) {
        report.defaultKeys.push(`${builder}(${type}): ${path} is keyed ${fileKey}`);
        out += `    default_key = ${quote(fileKey)}\n`;
      }
      if (content.t === "map") for (const [k, v] of content.entries) out += w.member(k, v, "    ");
      out += "  }\n";
    }
    out += "}\n\n";
  }
  return out.trimEnd() + "\n";
}

const DATA_TYPE_ORDER = ["images", "videos", "video", "audio", "pc", "features"];

function registriesFile(c: Corpus): string {
  const reg = c.registry;
  const dataTypes = [...DATA_TYPE_ORDER, ...c.dataTypes.filter((t) => !DATA_TYPE_ORDER.includes(t))];
  const line = (names: readonly string[]) => names.map(taskRef).join("\n  ");
  let out = HEADER("names of the registries LAVIS keys by string");
  out += "/// Learning-rate schedules (`recipe.lr_sched`); all three warm up during epoch 0 only.\n";
  out += `enum LrScheduler {\n  ${line(reg.lr_schedulers)}\n}\n\n`;
  out += "/// Training loops (`recipe.runner`): epoch-based, or iteration-based with inner epochs of iters_per_inner_epoch.\n";
  out += `enum Runner {\n  ${line(reg.runners)}\n}\n\n`;
  out += "/// Tasks (`task`):\n" + reg.tasks.map((t) => `/// - ${t}: ${TASK_DOCS[t] ?? fail(`no doc for task ${t}`)}\n`).join("");
  out += `enum TaskName {\n  ${line(reg.tasks)}\n}\n\n`;
  out += "/// Values of a dataset's `data_type`; each names the `build_info` block that holds that modality's storage.\n";
  out += `enum DataType {\n  ${line(dataTypes)}\n}\n`;
  return out;
}

function fail(msg: string): never {
  throw new Error(msg);
}

export interface Report {
  dropped: string[];
  defaultKeys: string[];
  invalid: string[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Self-test: every file parses cleanly, every corpus key is declared, and every value seen fits its declared type.

function literalNumber(e: A.Expr): number | null {
  if (e.kind === "IntLit" || e.kind === "FloatLit") return e.value;
  if (e.kind === "Unary" && e.op === "-") {
    const n = literalNumber(e.operand);
    return n === null ? null : -n;
  }
  return null;
}

function refinementsHold(refs: readonly A.Refinement[], n: number): boolean {
  return refs.every((r) => {
    const b = literalNumber(r.bound);
    if (b === null) return true;
    switch (r.op) {
      case "<": return n < b;
      case "<=": return n <= b;
      case ">": return n > b;
      case ">=": return n >= b;
      case "==": return n === b;
      case "!=": return n !== b;
    }
  });
}

/** Whether a corpus value fits a declared type; enum names accept any string (their members are checked elsewhere). */
export function accepts(t: A.TypeExpr, v: Value): boolean {
  switch (t.kind) {
    case "NullableType": return v.t === "null" || accepts(t.inner, v);
    case "UnionType": return t.options.some((o) => accepts(o, v));
    case "NullType": return v.t === "null";
    case "ListTypeSugar": return v.t === "list" && v.items.every((i) => accepts(t.element, i));
    case "MissingType": return false;
    case "TypeRef": {
      const [arg] = t.args;
      switch (t.name.name) {
        case "any": return true;
        case "int": return v.t === "int" && refinementsHold(t.refinements, v.v);
        case "float": return (v.t === "int" || v.t === "float") && refinementsHold(t.refinements, v.v);
        case "bool": return v.t === "bool";
        case "list": return v.t === "list" && (!arg || v.items.every((i) => accepts(arg, i)));
        case "map": {
          // map<V> or map<K, V>: the values against the last argument (the key's enum is the checker's to enforce).
          const value = t.args.at(-1);
          return v.t === "map" && (!value || v.entries.every(([, x]) => accepts(value, x)));
        }
        default: return v.t === "str";
      }
    }
  }
}

function parseClean(text: string, path: string): A.File {
  const { ast, diagnostics } = parse(text, path);
  if (diagnostics.length) {
    const lines = diagnostics.slice(0, 10).map((d) => `${path}:${d.span?.start ?? "?"} ${d.code} ${JSON.stringify(d)}`);
    throw new Error(`generated ${path} does not parse cleanly:\n${lines.join("\n")}`);
  }
  return ast;
}

function fieldTypes(decl: A.Declaration | undefined): Map<string, A.TypeExpr> {
  const out = new Map<string, A.TypeExpr>();
  if (decl && (decl.kind === "SchemaDecl" || decl.kind === "RegistryDecl")) {
    for (const m of decl.members) if (m.kind === "FieldDecl") out.set(m.key.segments.map((s) => s.name).join("."), m.type);
  }
  return out;
}

function checkTypes(c: Corpus, files: Record<string, A.File>, report: Report) {
  const find = (file: A.File, name: string) => file.declarations.find((d) => d.kind !== "ExperimentDecl" && "name" in d && d.name.name === name);
  const schemas: Record<string, Map<string, A.TypeExpr>> = {
    model: fieldTypes(find(files["models.lv"]!, "ModelConfig")),
    datasets: fieldTypes(find(files["datasets.lv"]!, "DatasetConfig")),
  };
  for (const [path, values] of c.seen) {
    const [section, ...rest] = path.split(".");
    let type: A.TypeExpr | undefined;
    if (section === "processor") {
      const [proc, param] = rest as [string, string];
      if (!c.registry.processors[proc]) continue; // a fork's processor name: not LAVIS's to declare
      type = fieldTypes(find(files["processors.lv"]!, proc)).get(param);
      if (!type) {
        report.warnings.push(`processor ${proc} has no parameter ${param} (${values.length} uses in the corpus; LAVIS ignores it)`);
        continue;
      }
    } else {
      type = schemas[section!]!.get(rest.join("."));
      if (!type) throw new Error(`corpus key ${path} is not declared in the ${section} schema`);
    }
    const bad = values.filter((v) => !accepts(type!, v));
    if (bad.length) throw new Error(`${path}: ${bad.length} corpus value(s) do not fit the declared type, e.g. ${JSON.stringify(bad[0])}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the repository root");
    dir = up;
  }
  return dir;
}

/** Builds the four files' text from the corpus and checks them; writes nothing. */
export function generate(corpusRoot: string): { texts: Record<string, string>; report: Report; corpus: Corpus } {
  const c = new Corpus(corpusRoot);
  const w = new Writer(new Set(Object.keys(c.registry.processors)));
  const report: Report = { dropped: [], defaultKeys: [], invalid: [], warnings: [] };
  const raw: Record<string, string> = {
    "processors.lv": processorsFile(c.registry, w),
    "models.lv": modelsFile(c, w, report),
    "datasets.lv": datasetsFile(c, w, report),
    "registries.lv": registriesFile(c),
  };
  // Written in the formatter's canonical layout, so `lavisc fmt --check stdlib/` holds for generated files too.
  const texts: Record<string, string> = {};
  const files: Record<string, A.File> = {};
  for (const [name, text] of Object.entries(raw)) {
    texts[name] = format(parseClean(text, `stdlib/${name}`), text);
    files[name] = parseClean(texts[name], `stdlib/${name}`);
  }
  checkTypes(c, files, report);
  return { texts, report, corpus: c };
}

function main() {
  const repo = repoRoot();
  const corpusRoot = join(repo, "..", "shared", "lavis-configs");
  if (!existsSync(corpusRoot)) {
    console.error(`genStdlib: ${corpusRoot} not found`);
    process.exit(2);
  }
  const { texts, report, corpus: c } = generate(corpusRoot);
  mkdirSync(join(repo, "stdlib"), { recursive: true });
  for (const [name, text] of Object.entries(texts)) writeFileSync(join(repo, "stdlib", name), text);

  const section = (title: string, lines: string[]) => console.log(`${title} (${lines.length}):${lines.map((l) => "\n  " + l).join("")}`);
  const reg = c.registry;
  const types = Object.values(reg.models).reduce((n, m) => n + Object.keys(m.model_types).length, 0);
  const dtypes = Object.values(reg.datasets).reduce((n, d) => n + Object.keys(d.types).length, 0);
  console.log(`wrote stdlib/: ${Object.keys(reg.processors).length} processors, ${Object.keys(reg.models).length} archs (${types} model types), ` +
    `${Object.keys(reg.datasets).length} builders (${dtypes} dataset types), ${reg.tasks.length} tasks`);
  section("default-file arch/model_type dropped", report.dropped);
  section("default files keyed by another name (default_key)", report.defaultKeys);
  section("invalid or missing default files", report.invalid);
  section("processor parameters LAVIS ignores", report.warnings);
  section("corpus notes", c.notes);
  const unknown = [...c.builderTasks.keys()].filter((b) => !reg.datasets[b]);
  section("unregistered dataset names used by projects", unknown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
