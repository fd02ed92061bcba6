// Numbers as OmegaConf reads them: PyYAML's SafeLoader int resolver and OmegaConf's float resolver (`1e-5` and `2e4`
// are floats). Python ints are exact at any size; beyond 2^53 a JS number is not, so such an int also keeps its exact
// decimal digits (`exact`), which every writer (explain, export, migrate) prints instead of the rounded value.

export const INT_PATTERN = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
export const FLOAT_PATTERN = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** The int a YAML int literal means, with its exact digits when it is beyond 2^53 (`-0` is 0, as in Python). */
export function yamlInt(text: string): { value: number; exact?: string } {
  // Most ints in configs are short decimals: exact as doubles, no BigInt needed (`+ 0` makes -0 a 0).
  if (SHORT_DECIMAL.test(text)) return { value: Number(text) + 0 };
  const exact = exactYamlInt(text);
  const value = Number(exact) + 0;
  return Number.isSafeInteger(value) ? { value } : { value, exact };
}

/** A decimal int of at most 15 digits, without `_` or a leading zero: always below 2^53. */
const SHORT_DECIMAL = /^[-+]?(?:0|[1-9][0-9]{0,14})$/;

/** The value of a YAML int literal (the nearest double beyond 2^53). */
export function parseYamlInt(text: string): number {
  return yamlInt(text).value;
}

/** PyYAML's construct_yaml_int, in BigInt arithmetic: the exact decimal digits. */
function exactYamlInt(text: string): string {
  let t = text.replace(/_/g, "");
  let negative = false;
  if (t[0] === "-" || t[0] === "+") {
    negative = t[0] === "-";
    t = t.slice(1);
  }
  let n: bigint;
  if (t.includes(":")) n = t.split(":").reduce((acc, p) => acc * 60n + BigInt(p), 0n);
  else if (t.startsWith("0b")) n = BigInt(t);
  else if (t.startsWith("0x")) n = BigInt(t);
  else if (t.length > 1 && t.startsWith("0")) n = BigInt(`0o${t.slice(1)}`);
  else n = BigInt(t);
  return (negative ? -n : n).toString();
}

/** The value of a YAML float literal: `.inf`, `.nan`, sexagesimal, or a decimal (`1e400` is inf, as in Python). */
export function parseYamlFloat(text: string): number {
  const t = text.replace(/_/g, "");
  const lower = t.toLowerCase();
  if (lower.endsWith(".inf")) return t.startsWith("-") ? -Infinity : Infinity;
  if (lower === ".nan") return NaN;
  if (t.includes(":")) {
    const sign = t.startsWith("-") ? -1 : 1;
    return sign * t.replace(/^[-+]/, "").split(":").reduce((acc, p) => acc * 60 + Number(p), 0);
  }
  return Number(t);
}
