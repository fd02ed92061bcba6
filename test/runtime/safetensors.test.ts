import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors, encodeSafetensors, type StTensor } from "../../src/runtime/checkpoint/safetensors.js";
import { loadCheckpoint, saveCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";

const tensors = new Map<string, StTensor>([
  ["text_encoder.embeddings.word_embeddings.weight", { dtype: "F32", shape: [3, 2], data: Float32Array.from([1.5, -2, 3.25, 0, -0.125, 1e-7]) }],
  ["temp", { dtype: "F32", shape: [], data: Float32Array.from([0.07]) }],
  ["idx", { dtype: "I32", shape: [4], data: Int32Array.from([-100, 0, 7, 2147483647]) }],
]);

test("round trip keeps names, shapes, dtypes and exact values; layout is the safetensors format", () => {
  const bytes = encodeSafetensors(tensors, { format: "pt" });
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLen)).toString());
  assert.equal(header["temp"], { dtype: "F32", shape: [], data_offsets: [16, 20] }); // sorted: idx (16 bytes), temp, text_...
  assert.is((8 + headerLen) % 8, 0);
  assert.is(new DataView(bytes.buffer, 8 + headerLen).getFloat32(16, true), Math.fround(0.07));
  const d = decodeSafetensors(bytes);
  assert.ok(d.ok);
  if (!d.ok) return;
  assert.equal(d.metadata, { format: "pt" });
  for (const [k, t] of tensors) {
    const got = d.tensors.get(k)!;
    assert.is(got.dtype, t.dtype, k);
    assert.equal([...got.shape], [...t.shape], k);
    assert.equal(Array.from(got.data), Array.from(t.data), k);
  }
});

test("truncated or garbled files are reported, not thrown", () => {
  const bytes = encodeSafetensors(tensors);
  const cut = decodeSafetensors(bytes.subarray(0, bytes.length - 3));
  assert.ok(!cut.ok && /truncated|do not fit/.test(cut.error));
  const garbled = Uint8Array.from(bytes);
  garbled[8] = 0x78; // "x" instead of "{": the JSON header no longer parses
  assert.not.ok(decodeSafetensors(garbled).ok);
  assert.not.ok(decodeSafetensors(new Uint8Array(4)).ok);
});

test("a checkpoint pair detects a replaced weights file by its sha256", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-ckpt-"));
  const meta = {
    epoch: 0, iters: null, optimizer: { name: "adamw" as const, step: 1, expAvgPrefix: "", expAvgSqPrefix: "", hyper: {} }, rng: [1, 2, 3, 4] as const,
    lrScheduler: { epoch: 0, step: 0 }, best: { aggMetrics: 0, epoch: 0 }, reason: "epoch", vocab: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"], partial: null, config: {},
  };
  const path = saveCheckpoint(dir, "checkpoint_0", tensors, new Map(), new Map(), meta);
  const ok = loadCheckpoint(path);
  assert.ok(ok.ok);
  const st = join(dir, JSON.parse(readFileSync(path, "utf8")).weights as string);
  const bytes = readFileSync(st);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(st, bytes);
  const bad = loadCheckpoint(path);
  assert.ok(!bad.ok && /sha256/.test(bad.error));
  assert.not.ok(loadCheckpoint(join(dir, "nope.json")).ok);
});

test("reads the dtypes PyTorch writes: F16, BF16 and F64 as F32, I64 as I32", () => {
  const entries: [string, string, number[], number[]][] = [
    ["h", "F16", [3], [0x3e00, 0xc000, 0x0001]], // 1.5, -2, smallest subnormal
    ["b", "BF16", [2], [0x3fc0, 0xbf80]], // 1.5, -1
    ["d", "F64", [1], []],
    ["q", "I64", [2], []],
  ];
  const parts: Uint8Array[] = [];
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const [name, dtype, shape, halves] of entries) {
    let bytes: Uint8Array;
    if (dtype === "F64") bytes = new Uint8Array(Float64Array.from([0.1]).buffer);
    else if (dtype === "I64") bytes = new Uint8Array(BigInt64Array.from([-100n, 511n]).buffer);
    else bytes = new Uint8Array(Uint16Array.from(halves).buffer);
    header[name] = { dtype, shape, data_offsets: [off, off + bytes.length] };
    parts.push(bytes);
    off += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const file = Buffer.concat([Buffer.from(new BigUint64Array([BigInt(json.length)]).buffer), json, ...parts]);
  const d = decodeSafetensors(file);
  assert.ok(d.ok, d.ok ? "" : d.error);
  if (!d.ok) return;
  assert.equal(Array.from(d.tensors.get("h")!.data), [1.5, -2, 2 ** -24]);
  assert.equal(Array.from(d.tensors.get("b")!.data), [1.5, -1]);
  assert.equal(Array.from(d.tensors.get("d")!.data), [Math.fround(0.1)]);
  assert.equal(d.tensors.get("q")!.dtype, "I32");
  assert.equal(Array.from(d.tensors.get("q")!.data), [-100, 511]);
  const big = Buffer.from(JSON.stringify({ q: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }));
  const bad = decodeSafetensors(Buffer.concat([Buffer.from(new BigUint64Array([BigInt(big.length)]).buffer), big, Buffer.from(new BigInt64Array([1n << 40n]).buffer)]));
  assert.ok(!bad.ok && /does not fit in int32/.test(bad.error));
});

test.run();
