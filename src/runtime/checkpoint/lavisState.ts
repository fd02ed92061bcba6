// LAVIS state dicts (a `.pth` converted to safetensors, see docs/checkpoints.md) against a lavisc model's tensors:
// the names LAVIS writes that lavisc never keeps, whole modules the target model does not have (as LAVIS's
// `load_state_dict(strict=False)` ignores them), and `interpolate_pos_embed` for a checkpoint of another image size.
import type { StTensor } from "./safetensors.js";

/** What adapting a LAVIS state dict did, for the run's log. */
export interface LavisAdaptation {
  /** The state dict to load: interpolated tensors replaced, skipped and never-kept names removed. */
  readonly state: Map<string, StTensor>;
  /** Tensors of modules the model does not have, by top-level module name (e.g. `text_encoder_m` → 120). */
  readonly skipped: Map<string, number>;
  /** Names lavisc never keeps (BERT's position_ids buffer, the tied decoder weight and bias). */
  readonly neverKept: string[];
  /** One line per reshaped position embedding. */
  readonly interpolated: string[];
}

/**
 * True for LAVIS names that no lavisc model keeps: BERT's `embeddings.position_ids` (a buffer of 0..511, non-persistent
 * in recent transformers) and the decoder's `cls.predictions.decoder.weight/bias`, tied to the word embeddings and to
 * `cls.predictions.bias` (only when the model has that head).
 */
export function neverKept(name: string, own: ReadonlyMap<string, unknown>): boolean {
  if (/(^|\.)embeddings\.position_ids$/.test(name)) return true;
  const tied = /^(.*)cls\.predictions\.decoder\.(weight|bias)$/.exec(name);
  return !!tied && own.has(`${tied[1]}cls.predictions.bias`);
}

const topModule = (name: string) => name.split(".")[0]!;

/**
 * Non-strict loading of a LAVIS state dict: drops never-kept names and the tensors of top-level modules the model
 * lacks (a pre-training checkpoint's `text_encoder_m.*`, `image_queue`, `temp`, … into a captioner), and resizes a
 * `pos_embed` of another patch grid with LAVIS's bicubic `interpolate_pos_embed`. Names inside modules the model has
 * pass through unchanged, so the caller still reports them as unexpected or missing.
 */
export function adaptLavisState(own: ReadonlyMap<string, { readonly shape: readonly number[] }>, state: ReadonlyMap<string, StTensor>): LavisAdaptation {
  const modules = new Set([...own.keys()].map(topModule));
  const out = new Map<string, StTensor>();
  const skipped = new Map<string, number>();
  const never: string[] = [];
  const interpolated: string[] = [];
  for (const [name, t] of state) {
    if (own.has(name)) {
      const target = own.get(name)!.shape;
      const resized = /(^|\.)pos_embed$/.test(name) ? interpolatePosEmbed(t, target) : null;
      if (resized) {
        interpolated.push(`${name} from ${resized.from} to ${resized.to} patches (bicubic, as LAVIS's interpolate_pos_embed)`);
        out.set(name, resized.tensor);
      } else out.set(name, t);
    } else if (neverKept(name, own)) never.push(name);
    else if (!modules.has(topModule(name))) skipped.set(topModule(name), (skipped.get(topModule(name)) ?? 0) + 1);
    else out.set(name, t);
  }
  return { state: out, skipped, neverKept: never, interpolated };
}

/**
 * LAVIS's `interpolate_pos_embed` (lavis/models/vit.py): a ViT position embedding [1, extra + g*g, D] of a checkpoint
 * made at another image size, resized to `target` [1, extra + h*h, D]: the extra (class) tokens are kept and the g x g
 * patch grid is resized to h x h as torch's `interpolate(mode="bicubic", align_corners=False)`. Null when the shapes
 * already match or are not two such embeddings.
 */
export function interpolatePosEmbed(t: StTensor, target: readonly number[]): { tensor: StTensor; from: string; to: string } | null {
  if (t.shape.length !== 3 || target.length !== 3 || t.shape[0] !== 1 || target[0] !== 1 || t.shape[2] !== target[2]) return null;
  if (t.shape[1] === target[1]) return null;
  const d = target[2]!;
  // LAVIS: num_extra_tokens = model pos_embed length - num_patches; ViTs with a class token have one.
  const extra = 1;
  const g = Math.round(Math.sqrt(t.shape[1]! - extra));
  const h = Math.round(Math.sqrt(target[1]! - extra));
  if (g * g + extra !== t.shape[1] || h * h + extra !== target[1]) return null;
  const src = Float32Array.from(t.data);
  const grid = bicubicResize(src.subarray(extra * d), g, g, d, h, h);
  const data = new Float32Array(target[1]! * d);
  data.set(src.subarray(0, extra * d), 0);
  data.set(grid, extra * d);
  return { tensor: { dtype: "F32", shape: [...target], data }, from: `${g}x${g}`, to: `${h}x${h}` };
}

/** PyTorch's bicubic convolution kernel (Keys, A = -0.75): weights of the 4 taps at offsets -1, 0, 1, 2 from floor(x). */
function cubicWeights(t: number): [number, number, number, number] {
  const A = -0.75;
  const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1; // |x| <= 1
  const far = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; // 1 < |x| < 2
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/** Source taps and weights of each output index along one axis (torch's compute_indices_weights_cubic). */
function axisTaps(inSize: number, outSize: number): { idx: Int32Array; w: Float64Array } {
  const scale = inSize / outSize; // align_corners=False with an explicit output size
  const idx = new Int32Array(outSize * 4);
  const w = new Float64Array(outSize * 4);
  for (let o = 0; o < outSize; o++) {
    const real = scale * (o + 0.5) - 0.5; // not clamped at 0 for cubic
    const i0 = Math.min(Math.floor(real), inSize - 1);
    const t = Math.min(Math.max(real - i0, 0), 1);
    const ws = cubicWeights(t);
    for (let k = 0; k < 4; k++) {
      idx[o * 4 + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1); // edge taps clamp to the border
      w[o * 4 + k] = ws[k]!;
    }
  }
  return { idx, w };
}

/**
 * Bicubic resize of an H x W x C (channels last) grid to outH x outW, as torch.nn.functional.interpolate(x,
 * size=(outH, outW), mode="bicubic", align_corners=False) on the channels-first view: A = -0.75, borders clamped.
 */
export function bicubicResize(src: Float32Array, inH: number, inW: number, channels: number, outH: number, outW: number): Float32Array {
  if (src.length !== inH * inW * channels) throw new Error(`bug: bicubicResize got ${src.length} values for ${inH}x${inW}x${channels}`);
  const ys = axisTaps(inH, outH);
  const xs = axisTaps(inW, outW);
  const out = new Float32Array(outH * outW * channels);
  const row = new Float64Array(channels);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const o = (oy * outW + ox) * channels;
      const acc = new Float64Array(channels);
      for (let ky = 0; ky < 4; ky++) {
        const y = ys.idx[oy * 4 + ky]!;
        row.fill(0);
        for (let kx = 0; kx < 4; kx++) {
          const base = (y * inW + xs.idx[ox * 4 + kx]!) * channels;
          const wx = xs.w[ox * 4 + kx]!;
          for (let c = 0; c < channels; c++) row[c]! += wx * src[base + c]!;
        }
        const wy = ys.w[oy * 4 + ky]!;
        for (let c = 0; c < channels; c++) acc[c]! += wy * row[c]!;
      }
      for (let c = 0; c < channels; c++) out[o + c] = acc[c]!;
    }
  }
  return out;
}
