/** Damerau-Levenshtein (optimal string alignment) distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  if (!n) return m;
  if (!m) return n;
  let prev2: number[] = [];
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur = [i];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m]!;
}

/**
 * Longest input a suggestion is searched for: no key or name lavisc knows is nearly this long, and the search costs
 * the input's length times each candidate's (a 1,000,000-character key took 17 s).
 */
const MAX_SUGGESTED_INPUT = 200;

/** Candidates close to `input`, best first (case-insensitive; substring matches count as close). */
export function closestMatches(input: string, candidates: Iterable<string>, max = 3): string[] {
  if (input.length > MAX_SUGGESTED_INPUT) return [];
  const lower = input.toLowerCase();
  const threshold = Math.max(2, Math.floor(input.length * 0.4));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // Lengths further apart than the threshold are further apart in edit distance too: only a substring can match.
    let d = Math.abs(cl.length - lower.length) > threshold ? threshold + 1 : editDistance(lower, cl);
    if (d > threshold && lower.length >= 4 && (cl.includes(lower) || lower.includes(cl))) d = threshold;
    if (d <= threshold) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
  return scored.slice(0, max).map((s) => s.c);
}

/** "Did you mean `x`?" or "Did you mean `x` or `y`?", or null when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | null {
  const best = closestMatches(input, candidates);
  if (best.length === 0) return null;
  const quoted = best.map((b) => `\`${b}\``);
  return `Did you mean ${quoted.length === 1 ? quoted[0] : quoted.slice(0, -1).join(", ") + " or " + quoted.at(-1)}?`;
}

/** The names a did-you-mean hint suggests (`Did you mean \`init_lr\` or \`min_lr\`?`), for fixes. */
export function suggestedNames(hint: string | null): string[] {
  const m = hint ? /Did you mean (.*?)\?/.exec(hint) : null;
  return m ? [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!) : [];
}
