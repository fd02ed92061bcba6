// The safetensors format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the raw little-endian tensor bytes. Parsing validates everything and returns errors as data. Files may hold
// F32, F16, BF16, F64 (read as F32) and I32, I64 (read as I32); lavisc writes F32 and I32.
import type { FileChunks } from "../../storage/index.js";

export type StDtype = "F32" | "I32";

export interface StTensor {
  readonly dtype: StDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** Tensor bytes as the format stores them (little-endian); a view without copying on little-endian machines. */
function littleEndian(t: StTensor): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(t.data.length * 4);
  const dv = new DataView(out.buffer);
  if (t.dtype === "F32") for (let i = 0; i < t.data.length; i++) dv.setFloat32(i * 4, t.data[i]!, true);
  else for (let i = 0; i < t.data.length; i++) dv.setInt32(i * 4, t.data[i]!, true);
  return out;
}
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The file in pieces (the header, then each tensor), so a checkpoint of any size is written without one big buffer. */
export function safetensorsFile(tensors: ReadonlyMap<string, StTensor>, metadata: Record<string, string> = {}): FileChunks {
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
  const prefix = new Uint8Array(8 + headerBytes.length);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  prefix.set(headerBytes, 8);
  return {
    byteLength: prefix.length + offset,
    *chunks() {
      yield prefix;
      for (const name of names) yield littleEndian(tensors.get(name)!);
    },
  };
}

/** The whole file in one buffer (small files: results, tests). */
export function encodeSafetensors(tensors: ReadonlyMap<string, StTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const file = safetensorsFile(tensors, metadata);
  const out = new Uint8Array(file.byteLength);
  let pos = 0;
  for (const c of file.chunks()) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

export type DecodeResult = { ok: true; tensors: Map<string, StTensor>; metadata: Record<string, string> } | { ok: false; error: string };

/** The format's own limit on the JSON header (safetensors refuses larger headers as a denial-of-service guard). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface Entry { readonly name: string; readonly dtype: string; readonly shape: number[]; readonly begin: number; readonly end: number; readonly count: number }

/**
 * Reads a safetensors file held in memory after validating all of its header as the format requires (see
 * `parseHeader`). Every problem is an error message, never a throw. `readSafetensorsFile` reads from disk instead.
 */
export function decodeSafetensors(bytes: Uint8Array): DecodeResult {
  const headerLen = headerLength(bytes.subarray(0, 8), bytes.length);
  if (typeof headerLen === "string") return { ok: false, error: headerLen };
  const parsed = parseHeader(bytes.subarray(8, 8 + headerLen), bytes.length - 8 - headerLen);
  if (typeof parsed === "string") return { ok: false, error: parsed };
  return tensorsOf(parsed, (e) => bytes.subarray(8 + headerLen + e.begin, 8 + headerLen + e.end));
}

/** Decodes each validated entry from its bytes. */
export function tensorsOf(parsed: { entries: readonly Entry[]; metadata: Record<string, string> }, bytesOf: (e: Entry) => Uint8Array | string): DecodeResult {
  const tensors = new Map<string, StTensor>();
  for (const e of parsed.entries) {
    const raw = bytesOf(e);
    if (typeof raw === "string") return { ok: false, error: `tensor ${e.name}: ${raw}` };
    const read = readElements(e.dtype, new DataView(raw.buffer, raw.byteOffset, raw.byteLength), e.count);
    if (typeof read === "string") return { ok: false, error: `tensor ${e.name}: ${read}` };
    tensors.set(e.name, { dtype: read instanceof Float32Array ? "F32" : "I32", shape: e.shape, data: read });
  }
  return { ok: true, tensors, metadata: parsed.metadata };
}

/** The header length from the file's first 8 bytes, checked against the format's limit and the file's size. */
export function headerLength(first8: Uint8Array, fileSize: number): number | string {
  if (fileSize < 8 || first8.length < 8) return `file is ${fileSize} bytes, too short for a safetensors header`;
  const declared = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) return `header length ${declared} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`;
  const headerLen = Number(declared);
  if (headerLen > fileSize - 8) return `header length ${headerLen} exceeds the file size ${fileSize} (truncated file?)`;
  return headerLen;
}

/**
 * Validates the JSON header: a UTF-8 JSON object, string metadata, known dtypes, non-negative integer shapes, offsets
 * that match shape x dtype size, and tensors that cover the `dataLen` data bytes exactly (no overlaps, no holes, nothing
 * past the end).
 */
export function parseHeader(headerBytes: Uint8Array, dataLen: number): { entries: Entry[]; metadata: Record<string, string> } | string {
  if (headerBytes.length < 2 || headerBytes[0] !== 0x7b) return "the header does not start with a JSON object (not a safetensors file?)";
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(headerBytes));
  } catch (e) {
    return `header is not valid UTF-8 JSON (${(e as Error).message})`;
  }
  if (!isObject(header)) return "the header is not a JSON object";
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (!isObject(raw) || Object.values(raw).some((v) => typeof v !== "string")) return "__metadata__ must map names to strings";
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = parseEntry(name, raw);
    if (typeof entry === "string") return `tensor ${name}: ${entry}`;
    entries.push(entry);
  }
  return checkLayout(entries, dataLen) ?? { entries, metadata };
}

function parseEntry(name: string, raw: unknown): Entry | string {
  if (!isObject(raw)) return "header entry is not an object";
  const { dtype, shape, data_offsets: offsets } = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== "string") return "no dtype";
  const size = Object.hasOwn(ELEMENT_BYTES, dtype) ? ELEMENT_BYTES[dtype]! : undefined;
  if (size === undefined) {
    return KNOWN_DTYPES.has(dtype) ? `dtype ${dtype} is not supported (lavisc reads ${Object.keys(ELEMENT_BYTES).join(", ")})` : `unknown dtype ${JSON.stringify(dtype).slice(0, 40)}`;
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) return `shape ${JSON.stringify(shape)?.slice(0, 80)} is not a list of non-negative integers`;
  const count = shape.reduce((p: number, x: number) => p * x, 1);
  if (!Number.isSafeInteger(count * size)) return `shape [${shape}] is too large`;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) return `data_offsets ${JSON.stringify(offsets)?.slice(0, 80)} must be two non-negative integers`;
  const [begin, end] = offsets as [number, number];
  if (begin > end) return `data_offsets [${begin}, ${end}] end before they begin`;
  if (end - begin !== count * size) return `data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape [${shape}] of ${dtype} needs ${count * size}`;
  return { name, dtype, shape: shape as number[], begin, end, count };
}

/** The tensors must tile the data buffer: sorted by offset, each begins where the previous ends, the last at its end. */
function checkLayout(entries: Entry[], dataLen: number): string | null {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: Entry | null = null;
  for (const e of sorted) {
    if (e.begin < at) return `tensors ${prev!.name} and ${e.name} overlap (bytes ${e.begin}..${Math.min(at, e.end)})`;
    if (e.begin > at) return `bytes ${at}..${e.begin} of the data belong to no tensor (the format allows no holes)`;
    if (e.end > dataLen) return `tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] run past the ${dataLen} data bytes (truncated file?)`;
    at = e.end;
    prev = e;
  }
  if (at !== dataLen) return `${dataLen - at} bytes after the last tensor belong to no tensor`;
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Every dtype the format defines, so an unsupported one is told apart from garbage. */
const KNOWN_DTYPES = new Set(["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]);

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
