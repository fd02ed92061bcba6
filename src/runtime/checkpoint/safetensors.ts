// The safetensors format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensor bytes. Parsing validates everything and returns errors as data.

export type StDtype = "F32" | "I32";

export interface StTensor {
  readonly dtype: StDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export function encodeSafetensors(tensors: ReadonlyMap<string, StTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header["__metadata__"] = metadata;
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name)!;
    const size = t.data.length * 4;
    if (t.shape.reduce((p, x) => p * x, 1) !== t.data.length) throw new Error(`bug: tensor ${name} data length does not match shape`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    const dv = new DataView(out.buffer, pos, t.data.length * 4);
    if (t.dtype === "F32") for (let i = 0; i < t.data.length; i++) dv.setFloat32(i * 4, t.data[i]!, true);
    else for (let i = 0; i < t.data.length; i++) dv.setInt32(i * 4, t.data[i]!, true);
    pos += t.data.length * 4;
  }
  return out;
}

export type DecodeResult = { ok: true; tensors: Map<string, StTensor>; metadata: Record<string, string> } | { ok: false; error: string };

export function decodeSafetensors(bytes: Uint8Array): DecodeResult {
  if (bytes.length < 8) return { ok: false, error: `file is ${bytes.length} bytes, too short for a safetensors header` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) return { ok: false, error: `header length ${headerLen} exceeds the file size ${bytes.length}` };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLen)).toString("utf8"));
  } catch (e) {
    return { ok: false, error: `header is not valid JSON (${(e as Error).message})` };
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, StTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = raw as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (e.dtype !== "F32" && e.dtype !== "I32") return { ok: false, error: `tensor ${name}: unsupported dtype ${String(e.dtype)}` };
    if (!Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) return { ok: false, error: `tensor ${name}: malformed header entry` };
    const [begin, end] = e.data_offsets;
    const n = e.shape.reduce((p, x) => p * x, 1);
    if (!(begin >= 0 && end <= dataLen && end - begin === n * 4)) {
      return { ok: false, error: `tensor ${name}: data_offsets [${begin}, ${end}] do not fit shape [${e.shape}] in ${dataLen} data bytes (truncated file?)` };
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, n * 4);
    const data = e.dtype === "F32" ? new Float32Array(n) : new Int32Array(n);
    if (e.dtype === "F32") for (let i = 0; i < n; i++) data[i] = dv.getFloat32(i * 4, true);
    else for (let i = 0; i < n; i++) data[i] = dv.getInt32(i * 4, true);
    tensors.set(name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { ok: true, tensors, metadata };
}
