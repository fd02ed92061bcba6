// LAVIS checkpoints in lavisc: the names LAVIS writes that lavisc does not keep, interpolate_pos_embed, the error
// for checkpoints that do not fit, and (with python3-torch) a LAVIS-format .pth made in PyTorch, converted to
// safetensors with the line in docs/checkpoints.md and loaded through the runtime's initial-weights path.
import { modelConfigOf } from "../harness/modelConfig.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adaptLavisState, bicubicResize, interpolatePosEmbed } from "../../src/runtime/checkpoint/lavisState.js";
import { decodeSafetensors, encodeSafetensors, type StTensor } from "../../src/runtime/checkpoint/safetensors.js";
import { describeIssues } from "../../src/runtime/models/model.js";
import { createModel, type Model } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { loadInitialWeights } from "../../src/runtime/train/runExperiment.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { repoRoot } from "../harness/repoRoot.js";
import { PYTHON, PY_SAFETENSORS, TORCH, available, testWith } from "../harness/requires.js";

await initBackend("wasm");

const tmp = mkdtempSync(join(tmpdir(), "lavisc-lavis-ckpt-"));
const f32 = (shape: number[], fill: (i: number) => number): StTensor => ({ dtype: "F32", shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)) });

// --- pure JS --------------------------------------------------------------------------------------------------

test("interpolatePosEmbed keeps the class token, resizes the patch grid, leaves equal shapes alone", () => {
  const d = 3;
  const src = f32([1, 1 + 9, d], (i) => (i < d ? 100 + i : 1.5)); // constant grid: bicubic keeps constants (weights sum to 1)
  const r = interpolatePosEmbed(src, [1, 1 + 16, d])!;
  assert.ok(r);
  assert.equal([r.from, r.to], ["3x3", "4x4"]);
  assert.equal(r.tensor.shape, [1, 17, d]);
  assert.equal(Array.from(r.tensor.data.subarray(0, d)), [100, 101, 102]);
  for (const v of r.tensor.data.subarray(d)) assert.ok(Math.abs(v - 1.5) < 1e-6, String(v));
  assert.is(interpolatePosEmbed(src, [1, 10, d]), null, "same shape");
  assert.is(interpolatePosEmbed(src, [1, 17, d + 1]), null, "another width is a real mismatch");
  assert.is(interpolatePosEmbed(f32([1, 11, d], () => 0), [1, 17, d]), null, "10 patches are no square grid");
});

test("bicubicResize: identity at the same size, PyTorch's kernel values on a 1-D impulse", () => {
  const src = Float32Array.from({ length: 4 * 5 * 2 }, (_, i) => Math.sin(i));
  assert.equal(Array.from(bicubicResize(src, 4, 5, 2, 4, 5)), Array.from(src));
  // Upsampling 2x an impulse at x=1 of 4: output x=2 sits at source 0.75 (t=0.75 from index 0), weight of tap 1 is
  // near(1 - 0.75) = ((A+2)0.25 - (A+3))0.0625 + 1 with A = -0.75.
  const row = bicubicResize(Float32Array.from([0, 1, 0, 0]), 1, 4, 1, 1, 8);
  const A = -0.75;
  const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
  assert.ok(Math.abs(row[2]! - near(0.25)) < 1e-7, `${row[2]} vs ${near(0.25)}`);
});

test("adaptLavisState: skips modules the model lacks, ignores never-kept names, reshapes pos_embed (online and momentum)", () => {
  const own = new Map<string, { shape: number[] }>([
    ["visual_encoder.pos_embed", { shape: [1, 5, 2] }],
    ["visual_encoder_m.pos_embed", { shape: [1, 5, 2] }],
    ["text_decoder.bert.embeddings.word_embeddings.weight", { shape: [7, 2] }],
    ["text_decoder.cls.predictions.bias", { shape: [7] }],
  ]);
  const state = new Map<string, StTensor>([
    ["visual_encoder.pos_embed", f32([1, 10, 2], (i) => i)],
    ["visual_encoder_m.pos_embed", f32([1, 10, 2], (i) => -i)],
    ["text_decoder.bert.embeddings.word_embeddings.weight", f32([7, 2], (i) => i)],
    ["text_decoder.bert.embeddings.position_ids", f32([1, 512], (i) => i)],
    ["text_decoder.cls.predictions.decoder.weight", f32([7, 2], (i) => i)],
    ["text_decoder.cls.predictions.decoder.bias", f32([7], () => 0)],
    ["text_decoder.cls.predictions.bias", f32([7], () => 0)],
    ["text_decoder.bert.pooler.dense.weight", f32([2, 2], () => 0)],
    ["text_encoder_m.encoder.layer.0.output.dense.weight", f32([2, 2], () => 0)],
    ["text_encoder_m.encoder.layer.0.output.dense.bias", f32([2], () => 0)],
    ["image_queue", f32([2, 4], () => 0)],
    ["temp", f32([], () => 0.07)],
  ]);
  const a = adaptLavisState(own, state);
  assert.equal(Object.fromEntries(a.skipped), { text_encoder_m: 2, image_queue: 1, temp: 1 });
  assert.equal(a.neverKept.sort(), ["text_decoder.bert.embeddings.position_ids", "text_decoder.cls.predictions.decoder.bias", "text_decoder.cls.predictions.decoder.weight"]);
  assert.equal(a.interpolated.length, 2);
  assert.match(a.interpolated[0]!, /visual_encoder\.pos_embed from 3x3 to 2x2/);
  assert.equal(a.state.get("visual_encoder_m.pos_embed")!.shape, [1, 5, 2]);
  assert.equal(Array.from(a.state.get("visual_encoder_m.pos_embed")!.data.subarray(0, 2)), [-0, -1], "class token kept");
  assert.ok(a.state.has("text_decoder.bert.pooler.dense.weight"), "an unknown name inside a module the model has passes on, to be reported");
  assert.not.ok(a.state.has("temp"));
});

test("describeIssues names a few tensors, the counts and what to do", () => {
  const missing = Array.from({ length: 12 }, (_, i) => `visual_encoder.blocks.${i}.attn.qkv.weight`);
  const s = describeIssues({
    missing, unexpected: ["text_encoder.pooler.dense.weight"],
    mismatched: [{ name: "text_decoder.bert.embeddings.word_embeddings.weight", expected: [4096, 768], got: [30524, 768] }],
  });
  assert.match(s, /shape mismatch in 1 tensor: text_decoder\.bert\.embeddings\.word_embeddings\.weight \(checkpoint \[30524,768\], model \[4096,768\]\)/);
  assert.match(s, /missing 12 tensors: visual_encoder\.blocks\.0\.attn\.qkv\.weight, .*visual_encoder\.blocks\.4\.attn\.qkv\.weight, … \(7 more\)/);
  assert.match(s, /unexpected 1 tensor: text_encoder\.pooler\.dense\.weight/);
  assert.match(s, /To fix: the vocabularies differ \(checkpoint 30524 tokens, model 4096\).*vocab_file to bert-base-uncased's vocab\.txt/);
  const size = describeIssues({ missing: [], unexpected: [], mismatched: [{ name: "visual_encoder.patch_embed.proj.weight", expected: [32, 3, 8, 8], got: [768, 3, 16, 16] }] });
  assert.match(size, /another size: set the model's size keys/);
});

// --- a tiny BLIP captioner and its LAVIS-format checkpoint ---------------------------------------------------------

const CAPTION_CONFIG = modelConfigOf({
  arch: "blip_caption", model_type: "tiny", image_size: 32, patch_size: 8, vit_width: 16, vit_depth: 1, vit_heads: 2,
  text_width: 16, text_layers: 1, text_heads: 2, max_txt_len: 10, prompt: "a picture of ", init_std: 0.2,
});
const tokenizer = new WordPieceTokenizer(buildVocab(["a picture of a red square", "a picture of a blue circle"]));
const caption = (seed: number): Model => {
  const m = createModel({ arch: "blip_caption", modelType: "tiny", config: CAPTION_CONFIG, loadWeights: null }, tokenizer, seed);
  if (Array.isArray(m)) throw new Error(m.join("; "));
  return m;
};

function lossOf(model: Model): number {
  const rng = new Rng(3);
  const px = Float32Array.from({ length: 2 * 32 * 32 * 3 }, () => rng.normal());
  const image = tf.tensor4d(px, [2, 32, 32, 3]);
  const step = model.prepareStep({ image, text: ["a picture of a red square", "a picture of a blue circle"], imageIds: [0, 1] }, { epoch: 0, iters: 0, itersPerEpoch: 1, rng });
  try {
    return tf.tidy(() => step.loss().dataSync()[0]!);
  } finally {
    step.dispose();
    image.dispose();
  }
}

test("a checkpoint with none of the model's tensors is refused, naming what it holds", () => {
  const model = caption(1);
  try {
    const file = join(tmp, "clip_like.safetensors");
    writeFileSync(file, encodeSafetensors(new Map([["visual.conv1.weight", f32([4, 3, 2, 2], () => 0)], ["text_projection", f32([2, 2], () => 0)]])));
    assert.throws(() => loadInitialWeights(model, file), (e: Error) => /holds none of the blip_caption model's tensors \(missing \d+ tensors: visual_encoder\..*it has: skipped 2 tensors of modules this model does not have .*: text_projection \(1\), visual \(1\)\. Is it a checkpoint of another architecture/.test(e.message));
  } finally {
    model.dispose();
  }
});

// --- with python3-torch ------------------------------------------------------------------------------------------

const py = (args: string[]) => spawnSync(PYTHON, args, { encoding: "utf8", maxBuffer: 64 << 20 });
const withTorch = testWith(test, TORCH);
// With the safetensors package the test below converts with the exact line of docs/checkpoints.md; without it, with
// an equivalent torch-only writer, and the exact line is a skipped test.
const hasSafetensors = available(test, "docs/checkpoints.md's conversion line, run as written", TORCH, PY_SAFETENSORS);

/** Helpers for the Python side: lavisc's safetensors read with torch, and the format written with torch alone. */
const PY_HELPERS = String.raw`
import json, struct, sys, torch

def read_st(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for k, e in header.items():
        if k == "__metadata__":
            continue
        s, t = e["data_offsets"]
        dt = {"F32": torch.float32, "I32": torch.int32}[e["dtype"]]
        raw = bytearray(b[8 + n + s:8 + n + t])
        out[k] = torch.frombuffer(raw, dtype=dt).reshape(e["shape"]).clone() if raw else torch.zeros(e["shape"], dtype=dt)
    return out

def write_st(path, tensors):
    # What safetensors.torch.save_file writes for float32 tensors, with torch and numpy only (Debian has no
    # python3-safetensors).
    header, blobs, off = {}, [], 0
    for k in sorted(tensors):
        raw = tensors[k].detach().float().contiguous().clone().numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(tensors[k].shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

def interpolate_pos_embed(pos_embed_checkpoint, num_patches, num_extra_tokens=1):
    # lavis/models/vit.py, with the model's sizes passed in
    embedding_size = pos_embed_checkpoint.shape[-1]
    orig_size = int((pos_embed_checkpoint.shape[-2] - num_extra_tokens) ** 0.5)
    new_size = int(num_patches ** 0.5)
    if orig_size == new_size:
        return pos_embed_checkpoint
    extra_tokens = pos_embed_checkpoint[:, :num_extra_tokens]
    pos_tokens = pos_embed_checkpoint[:, num_extra_tokens:]
    pos_tokens = pos_tokens.reshape(-1, orig_size, orig_size, embedding_size).permute(0, 3, 1, 2)
    pos_tokens = torch.nn.functional.interpolate(pos_tokens, size=(new_size, new_size), mode="bicubic", align_corners=False)
    pos_tokens = pos_tokens.permute(0, 2, 3, 1).flatten(1, 2)
    return torch.cat((extra_tokens, pos_tokens), dim=1)
`;

function runPy(script: string, args: string[]): string {
  const file = join(tmp, `script${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, PY_HELPERS + script);
  const r = py([file, ...args]);
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function readSt(path: string): Map<string, StTensor> {
  const d = decodeSafetensors(readFileSync(path));
  if (!d.ok) throw new Error(d.error);
  return d.tensors;
}

withTorch("interpolate_pos_embed matches PyTorch's bicubic interpolate (align_corners=False)", () => {
  const out = join(tmp, "interp.safetensors");
  runPy(String.raw`
torch.manual_seed(0)
t = {}
for g, h in [(14, 24), (24, 14), (3, 4), (4, 3), (2, 5), (16, 24)]:
    pos = torch.randn(1, 1 + g * g, 6)
    t[f"in.{g}.{h}"] = pos
    t[f"out.{g}.{h}"] = interpolate_pos_embed(pos, h * h)
    t[f"f64.{g}.{h}"] = interpolate_pos_embed(pos.double(), h * h)
write_st(sys.argv[1], t)
`, [out]);
  const t = readSt(out);
  // torch accumulates in float32 (a few ulps off); in float64 it is the same arithmetic as ours up to rounding.
  const worst = { f32: 0, f64: 0 };
  for (const [name, input] of t) {
    if (!name.startsWith("in.")) continue;
    const [, , h] = name.split(".");
    const r = interpolatePosEmbed(input, [1, 1 + Number(h) ** 2, 6])!;
    for (const kind of ["f32", "f64"] as const) {
      const expected = t.get(name.replace("in.", kind === "f32" ? "out." : "f64."))!;
      assert.equal(r.tensor.shape, expected.shape, name);
      for (let i = 0; i < expected.data.length; i++) worst[kind] = Math.max(worst[kind], Math.abs(r.tensor.data[i]! - expected.data[i]!));
    }
  }
  assert.ok(worst.f64 < 1e-6, `largest difference from torch in float64: ${worst.f64}`);
  assert.ok(worst.f32 < 1e-5, `largest difference from torch in float32: ${worst.f32}`);
});

withTorch("a LAVIS .pth made in PyTorch, converted as docs/checkpoints.md says, loads exactly through the runtime's loader", async () => {
  const source = caption(7);
  const ours = join(tmp, "ours.safetensors");
  writeFileSync(ours, encodeSafetensors((await source.stateDict())));
  // LAVIS's layout: {"model": state_dict, ...}, the decoder's output matrix and bias tied to (the same tensors as) the
  // embeddings and cls.predictions.bias, BERT's int64 position_ids buffer, and the modules a pre-training checkpoint
  // has that a captioner does not. A second, bare state dict has pos_embed made at 24 pixels (3x3 patches).
  runPy(String.raw`
sd = read_st(sys.argv[1])
out = sys.argv[2]
lavis = dict(sd)
lavis["text_decoder.bert.embeddings.position_ids"] = torch.arange(512).expand((1, -1))
lavis["text_decoder.cls.predictions.decoder.weight"] = lavis["text_decoder.bert.embeddings.word_embeddings.weight"]
lavis["text_decoder.cls.predictions.decoder.bias"] = lavis["text_decoder.cls.predictions.bias"]
torch.manual_seed(1)
lavis["text_encoder.embeddings.position_ids"] = torch.arange(512).expand((1, -1))
lavis["text_encoder.encoder.layer.0.attention.self.query.weight"] = torch.randn(16, 16)
lavis["visual_encoder_m.pos_embed"] = torch.randn(1, 17, 16)
lavis["temp"] = torch.tensor(0.07)
lavis["image_queue"] = torch.randn(8, 4)
lavis["queue_ptr"] = torch.zeros(1, dtype=torch.long)
torch.save({"model": lavis, "config": {"arch": "blip_caption"}, "epoch": 4}, out + "/model.pth")
bare = dict(lavis)
small = torch.randn(1, 1 + 9, 16)
bare["visual_encoder.pos_embed"] = small
torch.save(bare, out + "/bare.pth")
write_st(out + "/expected_pos.safetensors", {"pos": interpolate_pos_embed(small, 16)})
`, [ours, tmp]);

  // The documented line when safetensors is importable; otherwise the same steps with the torch-only writer.
  const doc = readFileSync(join(repoRoot(), "docs/checkpoints.md"), "utf8");
  const line = /^python3 -c "(.+)" model_base\.pth model_base\.safetensors$/m.exec(doc);
  assert.ok(line, "docs/checkpoints.md has the conversion line");
  const convert = (from: string, to: string) => {
    if (hasSafetensors) {
      const r = py(["-c", line![1]!, from, to]);
      if (r.status !== 0) throw new Error(`the documented line failed: ${r.stderr}`);
    } else {
      runPy(String.raw`
sd = torch.load(sys.argv[1], map_location="cpu")
sd = sd.get("model", sd)
write_st(sys.argv[2], {k: v.float().clone().contiguous() for k, v in sd.items() if torch.is_tensor(v)})
`, [from, to]);
    }
  };
  const converted = join(tmp, "model.safetensors");
  const bareConverted = join(tmp, "bare.safetensors");
  convert(join(tmp, "model.pth"), converted);
  convert(join(tmp, "bare.pth"), bareConverted);

  const want = (await source.stateDict());
  const target = caption(8);
  const other = caption(9);
  try {
    assert.not.equal(Array.from((await target.stateDict()).get("visual_encoder.pos_embed")!.data), Array.from(want.get("visual_encoder.pos_embed")!.data), "another init");
    const infos: string[] = [];
    const warnings: string[] = [];
    loadInitialWeights(target, converted, { info: (m) => infos.push(m), warn: (m) => warnings.push(m) });
    assert.equal(warnings, [], "nothing missing or unexpected");
    const skipped = infos.find((m) => /skipped 5 tensors of modules this model does not have \(as LAVIS's strict=False load\)/.test(m));
    assert.ok(skipped, infos.join("\n"));
    for (const part of ["text_encoder (1)", "visual_encoder_m (1)", "temp (1)", "image_queue (1)", "queue_ptr (1)"]) assert.ok(skipped!.includes(part), `${part} in ${skipped}`);
    assert.ok(infos.some((m) => /ignored 4 tensors lavisc does not keep/.test(m)), infos.join("\n"));
    const got = (await target.stateDict());
    assert.equal([...got.keys()].sort(), [...want.keys()].sort());
    for (const [k, v] of want) assert.ok(Buffer.from(got.get(k)!.data.buffer).equals(Buffer.from(v.data.buffer)), `${k} differs`);
    assert.is(lossOf(target), lossOf(source), "same outputs");

    // The bare state dict with a 3x3 pos_embed: reshaped to the model's 4x4 as LAVIS; everything else exact.
    const infos2: string[] = [];
    loadInitialWeights(other, bareConverted, { info: (m) => infos2.push(m), warn: (m) => assert.unreachable(m) });
    assert.ok(infos2.some((m) => /reshaped visual_encoder\.pos_embed from 3x3 to 4x4 patches/.test(m)), infos2.join("\n"));
    const expected = readSt(join(tmp, "expected_pos.safetensors")).get("pos")!;
    const pos = (await other.stateDict()).get("visual_encoder.pos_embed")!;
    assert.equal(pos.shape, expected.shape);
    let worst = 0;
    for (let i = 0; i < pos.data.length; i++) worst = Math.max(worst, Math.abs(pos.data[i]! - expected.data[i]!));
    assert.ok(worst < 1e-5, `pos_embed differs from LAVIS's interpolate_pos_embed by ${worst}`);
    const otherState = (await other.stateDict());
    for (const [k, v] of want) if (k !== "visual_encoder.pos_embed") assert.equal(Array.from(otherState.get(k)!.data), Array.from(v.data), k);
  } finally {
    source.dispose();
    target.dispose();
    other.dispose();
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
