// Reader for the IDX files MNIST-style datasets ship (optionally gzipped): a magic number giving the element
// type and rank, the dimensions, then the data.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export interface IdxArray { readonly dims: readonly number[]; readonly data: Uint8Array }

export function readIdx(path: string): IdxArray {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${path} is not an IDX file`);
  if (bytes[2] !== 0x08) throw new Error(`${path}: only unsigned-byte IDX data is supported (type 0x${bytes[2]!.toString(16)})`);
  const rank = bytes[3]!;
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length < offset + count) throw new Error(`${path} is truncated: ${bytes.length - offset} of ${count} data bytes`);
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + offset, count) };
}
