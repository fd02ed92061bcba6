// Checkpoints under faults: the weights + JSON pair is one atomic unit (a failure or a crash between the two writes
// keeps the previous checkpoint), the JSON's `weights` field is followed only inside the checkpoint's folder, and
// corrupt safetensors files are diagnostics, never exceptions.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, type StTensor } from "../../src/runtime/checkpoint/safetensors.js";
import { loadCheckpoint, saveCheckpoint, type FileWriter } from "../../src/runtime/checkpoint/checkpoint.js";
import { writeFileAtomic } from "../../src/storage/index.js";
import { seededRandom } from "../harness/seededRandom.js";

const fresh = (): string => mkdtempSync(join(tmpdir(), "lavisc-ckpt-safety-"));
const weightsOf = (v: number): Map<string, StTensor> => new Map([["w", { dtype: "F32", shape: [2, 2], data: Float32Array.from([v, v + 1, v + 2, v + 3]) }]]);
const META = {
  epoch: 0, iters: null, optimizer: { name: "adamw" as const, step: 1, expAvgPrefix: "", expAvgSqPrefix: "", hyper: {} }, rng: [1, 2, 3, 4] as const,
  lrScheduler: { epoch: 0, step: 0 }, best: { aggMetrics: 0, epoch: 0 }, reason: "best", vocab: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"], partial: null, config: {},
};
const save = (dir: string, v: number, write?: FileWriter) => saveCheckpoint(dir, "checkpoint_best", weightsOf(v), new Map(), new Map(), { ...META, epoch: v }, write);
const loadedValue = (path: string): number => {
  const r = loadCheckpoint(path);
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.ok ? r.ckpt.model.get("w")!.data[0]! : NaN;
};

const unit = suite("checkpoint: weights and JSON are one atomic unit");

unit("a failure between the two writes keeps the previous best, and leaves no stray weights", () => {
  const dir = fresh();
  const path = save(dir, 1);
  assert.is(loadedValue(path), 1);
  let calls = 0;
  const failOnJson: FileWriter = (p, data) => {
    if (++calls === 2) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    writeFileAtomic(p, data);
  };
  assert.throws(() => save(dir, 5, failOnJson), /ENOSPC/);
  assert.is(calls, 2, "the weights were written, the JSON failed");
  assert.is(loadedValue(path), 1, "checkpoint_best is still the previous best, complete");
  assert.is(readdirSync(dir).filter((f) => f.endsWith(".safetensors")).length, 1);
  // The next save replaces it as a whole.
  save(dir, 7);
  assert.is(loadedValue(path), 7);
  assert.is(readdirSync(dir).filter((f) => f.endsWith(".safetensors")).length, 1, "the old weights are removed after the commit");
  assert.not.ok(existsSync(join(dir, "checkpoint_best.safetensors")), "weights are named by content, never overwritten in place");
});

unit("a crash (SIGKILL) between the two writes keeps the previous best; the next save cleans up", () => {
  const dir = fresh();
  const path = save(dir, 1);
  const module = new URL("../../src/runtime/checkpoint/checkpoint.js", import.meta.url).href;
  const storage = new URL("../../src/storage/index.js", import.meta.url).href;
  const child = `
    import { saveCheckpoint } from ${JSON.stringify(module)};
    import { writeFileAtomic } from ${JSON.stringify(storage)};
    let n = 0;
    const crashOnJson = (p, d) => { if (++n === 2) process.kill(process.pid, "SIGKILL"); writeFileAtomic(p, d); };
    const w = new Map([["w", { dtype: "F32", shape: [2, 2], data: Float32Array.from([9, 9, 9, 9]) }]]);
    saveCheckpoint(${JSON.stringify(dir)}, "checkpoint_best", w, new Map(), new Map(), ${JSON.stringify({ ...META, epoch: 9 })}, crashOnJson);
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
  assert.is(r.signal, "SIGKILL", r.stderr);
  assert.is(readdirSync(dir).filter((f) => f.endsWith(".safetensors")).length, 2, "the new weights were written before the crash");
  assert.is(loadedValue(path), 1, "the JSON still names the previous weights, which are intact");
  save(dir, 3);
  assert.is(loadedValue(path), 3);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith(".safetensors")).length, 1, "orphans of the crash are removed");
});

unit("a .safetensors path that is not there follows the JSON of the same name", () => {
  const dir = fresh();
  save(dir, 4);
  assert.is(loadedValue(join(dir, "checkpoint_best.safetensors")), 4);
  assert.is(loadedValue(join(dir, "checkpoint_best")), 4);
});
unit.run();

const confine = suite("checkpoint: the JSON's weights field stays in the checkpoint's folder");

confine("a weights field that leads elsewhere is refused before anything is read", () => {
  const outside = fresh();
  writeFileSync(join(outside, "secret.safetensors"), encodeSafetensors(weightsOf(1)));
  const dir = fresh();
  const path = save(dir, 1);
  const meta = JSON.parse(readFileSync(path, "utf8"));
  mkdirSync(join(dir, "sub"));
  symlinkSync(join(outside, "secret.safetensors"), join(dir, "linked.safetensors"));
  for (const weights of [join(outside, "secret.safetensors"), "../" + outside.split("/").pop() + "/secret.safetensors", "sub/../../x.safetensors", "..", "", 42, "linked.safetensors"]) {
    writeFileSync(path, JSON.stringify({ ...meta, weights }));
    const r = loadCheckpoint(path);
    assert.ok(!r.ok, `followed ${JSON.stringify(weights)}`);
    if (!r.ok) assert.match(r.error, /must name a file in the checkpoint's own folder/, String(weights));
  }
});
confine.run();

const corrupt = suite("safetensors: a corrupt file is a diagnostic, not an exception");

/** A file from a raw header object and data bytes. */
function file(header: unknown, data = new Uint8Array(0), headerText?: string): Uint8Array {
  const json = Buffer.from(headerText ?? JSON.stringify(header));
  return Buffer.concat([Buffer.from(new BigUint64Array([BigInt(json.length)]).buffer), json, data]);
}
const f32 = (n: number) => new Uint8Array(n * 4);
const withLength = (len: bigint, rest: Uint8Array) => Buffer.concat([Buffer.from(new BigUint64Array([len]).buffer), rest]);

const CASES: [string, Uint8Array, RegExp][] = [
  ["empty file", new Uint8Array(0), /too short/],
  ["7 bytes", new Uint8Array(7), /too short/],
  ["header length past the end", withLength(1000n, Buffer.from("{}")), /exceeds the file size/],
  ["header length 2^63", withLength(1n << 63n, Buffer.from("{}")), /exceeds the format's limit/],
  ["header length over the format's limit", withLength(BigInt(MAX_HEADER_BYTES + 1), Buffer.from("{}")), /exceeds the format's limit/],
  ["header not JSON", file(null, undefined, "{not json"), /not valid UTF-8 JSON/],
  ["header not an object", file(null, undefined, "[1, 2]"), /does not start with a JSON object/],
  ["header invalid UTF-8", file(null, undefined, "{\"\xff\": 1}".replace("\xff", "\u00ff")).map((b, i) => (i === 10 ? 0xff : b)), /UTF-8|JSON/],
  ["metadata not strings", file({ __metadata__: { a: 1 } }), /__metadata__ must map names to strings/],
  ["entry not an object", file({ w: 5 }), /tensor w: header entry is not an object/],
  ["unknown dtype", file({ w: { dtype: "F33", shape: [1], data_offsets: [0, 4] } }, f32(1)), /unknown dtype "F33"/],
  ["unsupported dtype", file({ w: { dtype: "U8", shape: [4], data_offsets: [0, 4] } }, f32(1)), /dtype U8 is not supported/],
  ["negative dimension", file({ w: { dtype: "F32", shape: [-1, 2], data_offsets: [0, 8] } }, f32(2)), /shape .* non-negative integers/],
  ["fractional dimension", file({ w: { dtype: "F32", shape: [1.5], data_offsets: [0, 6] } }, f32(2)), /shape .* non-negative integers/],
  ["string dimension", file({ w: { dtype: "F32", shape: ["2"], data_offsets: [0, 8] } }, f32(2)), /shape .* non-negative integers/],
  ["no shape", file({ w: { dtype: "F32", data_offsets: [0, 8] } }, f32(2)), /shape undefined/],
  ["shape too large", file({ w: { dtype: "F32", shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, f32(2)), /too large/],
  ["one offset", file({ w: { dtype: "F32", shape: [2], data_offsets: [0] } }, f32(2)), /two non-negative integers/],
  ["negative offset", file({ w: { dtype: "F32", shape: [2], data_offsets: [-8, 0] } }, f32(2)), /two non-negative integers/],
  ["fractional offsets", file({ w: { dtype: "F32", shape: [1], data_offsets: [0.5, 4.5] } }, f32(2)), /two non-negative integers/],
  ["reversed offsets", file({ w: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, f32(2)), /end before they begin/],
  ["offsets do not match the shape", file({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, f32(2)), /hold 8 bytes, but shape \[3\] of F32 needs 12/],
  ["dtype size ignored by the offsets", file({ w: { dtype: "F64", shape: [2], data_offsets: [0, 8] } }, f32(2)), /needs 16/],
  ["overlapping tensors", file({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }, f32(3)), /overlap/],
  ["a hole between tensors", file({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } }, f32(3)), /belong to no tensor/],
  ["trailing bytes", file({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, f32(3)), /after the last tensor/],
  ["truncated data", file({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, f32(2)), /run past the 8 data bytes/],
  ["duplicate names (JSON keeps the last)", file(null, f32(2), '{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}'), /belong to no tensor/],
];

corrupt("each kind of corruption is named", () => {
  for (const [what, bytes, pattern] of CASES) {
    let r: ReturnType<typeof decodeSafetensors> | undefined;
    assert.not.throws(() => (r = decodeSafetensors(bytes)), what);
    assert.ok(r && !r.ok, `${what}: accepted`);
    if (r && !r.ok) assert.match(r.error, pattern, `${what}: ${r.error}`);
  }
});

corrupt("the same files given as weights are a load error naming the file", () => {
  const dir = fresh();
  for (const [i, [what, bytes]] of CASES.entries()) {
    const path = join(dir, `case${i}.safetensors`);
    writeFileSync(path, bytes);
    const r = loadCheckpoint(path);
    assert.ok(!r.ok && r.error.startsWith(`checkpoint ${path} is corrupt: `), what);
  }
});

corrupt("valid edge cases still load: zero-size tensors, padding, a tensor named __proto__", () => {
  const padded = file(null, f32(1), '{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "e": {"dtype": "F32", "shape": [0, 3], "data_offsets": [4, 4]}}   ');
  const r = decodeSafetensors(padded);
  assert.ok(r.ok, r.ok ? "" : r.error);
  if (r.ok) assert.equal([...r.tensors.keys()].sort(), ["__proto__", "e"]);
});

corrupt("random damage to a real checkpoint never throws", () => {
  const good = encodeSafetensors(new Map([...weightsOf(1), ["b", { dtype: "I32", shape: [3], data: Int32Array.from([1, 2, 3]) }]]), { format: "pt" });
  const rand = seededRandom(18);
  for (let i = 0; i < 400; i++) {
    const bad = Uint8Array.from(good);
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips; k++) bad[Math.floor(rand() * Math.min(bad.length, 8 + 200))] = Math.floor(rand() * 256);
    const cut = rand() < 0.3 ? bad.subarray(0, Math.floor(rand() * bad.length)) : bad;
    assert.not.throws(() => decodeSafetensors(cut), `iteration ${i}`);
  }
});
corrupt.run();
