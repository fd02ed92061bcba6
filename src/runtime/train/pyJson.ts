// json.dumps as Python writes LAVIS's log lines: ", " and ": " separators and float reprs ("100.0", "1e-07").

export type PyValue = string | number | boolean | null | { readonly int: number } | PyValue[] | { readonly [k: string]: PyValue };

/** Wrap integers that Python holds as int (e.g. best_epoch), so they print without ".0". */
export function pyInt(n: number): { readonly int: number } {
  return { int: n };
}

export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const s = String(x);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3]!.padStart(2, "0")}`;
  return s;
}

export function pyDumps(v: PyValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return pyFloat(v);
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(", ")}]`;
  if ("int" in v && typeof (v as { int: unknown }).int === "number" && Object.keys(v).length === 1) return String((v as { int: number }).int);
  return `{${Object.entries(v as Record<string, PyValue>).map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`).join(", ")}}`;
}
