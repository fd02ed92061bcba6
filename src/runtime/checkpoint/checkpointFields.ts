// The fields of a checkpoint JSON that a resume or a weights load acts on, checked before any of them is used: a hand
// edited or damaged JSON otherwise crashes deep in the runner (a null optimizer), trains with NaN (no optimizer step),
// or resumes silently from a nonsense position (epoch -5, an RNG state of one number).

/** What a field must hold; `ok` is given the field's value. */
interface FieldRule {
  readonly field: string;
  readonly ok: (value: unknown, meta: Record<string, unknown>) => boolean;
  readonly expected: (meta: Record<string, unknown>) => string;
}

/** The tokens the tokenizer cannot work without (WordPieceTokenizer's required ids). */
export const REQUIRED_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] as const;

const wholeFrom = (min: number) => (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= min;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isUint32 = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
// xoshiro128** never leaves the all-zero state, so the Rng never writes it.
const isRngState = (v: unknown): boolean => Array.isArray(v) && v.length === 4 && v.every(isUint32) && v.some((x) => x !== 0);
const RNG_EXPECTED = "4 whole numbers from 0 to 4294967295, not all 0 (the xoshiro128** state)";

const isMeter = (v: unknown): boolean => isObject(v) && Number.isFinite(v["sum"]) && wholeFrom(0)(v["count"]);
const isPartial = (v: unknown, meta: Record<string, unknown>): boolean =>
  v === null || (isObject(v) && v["epoch"] === (meta["epoch"] as number) + 1 && wholeFrom(0)(v["step"]) && isObject(v["meters"]) && Object.values(v["meters"]).every(isMeter));

const isVocab = (v: unknown): boolean =>
  Array.isArray(v) && v.every((t) => typeof t === "string") && REQUIRED_TOKENS.every((t) => v.includes(t));

// In the order a reader meets them; `epoch` comes before `partial`, whose rule uses it.
const RULES: readonly FieldRule[] = [
  { field: "version", ok: (v) => v === 1, expected: () => "1" },
  { field: "weightsSha256", ok: (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v), expected: () => "64 hex digits (the weights file's sha256)" },
  { field: "epoch", ok: wholeFrom(-1), expected: () => "a whole number from -1 up (the last finished epoch; -1 for a stop inside the first)" },
  { field: "iters", ok: (v) => v === null || wholeFrom(0)(v), expected: () => "null or a whole number from 0 up" },
  { field: "optimizer", ok: isObject, expected: () => "an object with the AdamW state (name, step)" },
  { field: "optimizer.name", ok: (v) => v === "adamw", expected: () => '"adamw"' },
  { field: "optimizer.step", ok: wholeFrom(0), expected: () => "a whole number from 0 up (the optimizer steps taken)" },
  { field: "rng", ok: isRngState, expected: () => RNG_EXPECTED },
  { field: "replicaRng", ok: (v) => v === undefined || (Array.isArray(v) && v.every(isRngState)), expected: () => `absent or a list of ${RNG_EXPECTED}` },
  { field: "best", ok: isObject, expected: () => "an object with aggMetrics and epoch" },
  { field: "best.aggMetrics", ok: Number.isFinite, expected: () => "a finite number (the best validation agg_metrics)" },
  { field: "best.epoch", ok: wholeFrom(0), expected: () => "a whole number from 0 up" },
  { field: "vocab", ok: isVocab, expected: () => `a list of token strings with ${REQUIRED_TOKENS.join(", ")}` },
  {
    field: "partial", ok: isPartial,
    expected: (meta) => `null or { epoch: ${wholeFrom(-1)(meta["epoch"]) ? (meta["epoch"] as number) + 1 : "epoch + 1"}, step: a whole number from 0 up, meters: { name: { sum, count } } }`,
  },
];

/** The first field of `meta` (a parsed checkpoint JSON object) that no lavisc writes, as a message; null when all fit. */
export function checkpointFieldProblem(jsonPath: string, meta: Record<string, unknown>): string | null {
  for (const rule of RULES) {
    const value = fieldValue(meta, rule.field);
    if (value.present && rule.ok(value.value, meta)) continue;
    if (!value.present && rule.ok(undefined, meta)) continue;
    const is = value.present ? `is ${describeValue(value.value)}` : "is missing";
    return `checkpoint ${jsonPath}: field "${rule.field}" ${is}, expected ${rule.expected(meta)}; it was not written by this lavisc or is damaged (resume from another checkpoint, or start the run afresh)`;
  }
  return null;
}

function fieldValue(meta: Record<string, unknown>, dotted: string): { present: boolean; value: unknown } {
  let at: unknown = meta;
  for (const key of dotted.split(".")) {
    if (!isObject(at) || !(key in at)) return { present: false, value: undefined };
    at = at[key];
  }
  return { present: true, value: at };
}

/** A short rendering: a vocabulary of 200,000 tokens is not printed whole. */
function describeValue(v: unknown): string {
  if (Array.isArray(v) && v.length > 8) return `a list of ${v.length} items (${JSON.stringify(v.slice(0, 4)).slice(1, -1)}, …)`;
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
