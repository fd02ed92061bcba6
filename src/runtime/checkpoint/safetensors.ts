// The safetensors format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensor bytes. Parsing validates everything and returns errors as data. Files may hold
// F32, F16, BF16, F64 (read as F32) and I32, I64 (read as I32); lavisc writes F32 and I32.

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
    const size = typeof e.dtype === "string" && Object.hasOwn(ELEMENT_BYTES, e.dtype) ? ELEMENT_BYTES[e.dtype] : undefined;
    if (size === undefined) return { ok: false, error: `tensor ${name}: unsupported dtype ${String(e.dtype)} (lavisc reads ${Object.keys(ELEMENT_BYTES).join(", ")})` };
    if (!Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) return { ok: false, error: `tensor ${name}: malformed header entry` };
    const [begin, end] = e.data_offsets;
    const n = e.shape.reduce((p, x) => p * x, 1);
    if (!(begin >= 0 && end <= dataLen && end - begin === n * size)) {
      return { ok: false, error: `tensor ${name}: data_offsets [${begin}, ${end}] do not fit shape [${e.shape}] in ${dataLen} data bytes (truncated file?)` };
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, n * size);
    const read = readElements(e.dtype!, dv, n);
    if (typeof read === "string") return { ok: false, error: `tensor ${name}: ${read}` };
    tensors.set(name, { dtype: read instanceof Float32Array ? "F32" : "I32", shape: e.shape, data: read });
  }
  return { ok: true, tensors, metadata };
}

/** Bytes per element of the dtypes lavisc reads; all floats become F32 and all integers I32 in memory. */
const ELEMENT_BYTES: Record<string, number> = { F32: 4, I32: 4, F16: 2, BF16: 2, F64: 8, I64: 8 };

function readElements(dtype: string, dv: DataView, n: number): Float32Array | Int32Array | string {
  switch (dtype) {
    case "F32": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case "I32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, true);
      return out;
    }
    case "F64": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(i * 8, true);
      return out;
    }
    case "F16": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
      return out;
    }
    case "BF16": {
      // bfloat16 is the top half of a float32.
      const word = new DataView(new ArrayBuffer(4));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        word.setUint32(0, dv.getUint16(i * 2, true) << 16);
        out[i] = word.getFloat32(0);
      }
      return out;
    }
    case "I64": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = dv.getBigInt64(i * 8, true);
        if (v < -2147483648n || v > 2147483647n) return `int64 value ${v} does not fit in int32`;
        out[i] = Number(v);
      }
      return out;
    }
    default:
      return `unsupported dtype ${dtype}`;
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
