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
  return scoredMatches(input, candidates).slice(0, max).map((s) => s.c);
}

/**
 * The closest candidates that cannot be told apart: the best, and every other whose distance is under twice the best's
 * (`max_lenn`: `max_len` alone, one edit against `min_len`'s two). One name means no rival is nearly as close, which a
 * did-you-mean needs before `check --fix` may write it (`isCertainCorrection`).
 */
export function bestMatches(input: string, candidates: Iterable<string>, max = 3): string[] {
  const scored = scoredMatches(input, candidates);
  const best = scored[0]?.d;
  if (best === undefined) return [];
  return scored.filter((s) => s.d <= Math.max(best, 2 * best - 1)).slice(0, max).map((s) => s.c);
}

function scoredMatches(input: string, candidates: Iterable<string>): { c: string; d: number }[] {
  if (input.length > MAX_SUGGESTED_INPUT) return [];
  const lower = input.toLowerCase();
  const threshold = closeEnough(input);
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // Lengths further apart than the threshold are further apart in edit distance too: only a substring can match.
    let d = Math.abs(cl.length - lower.length) > threshold ? threshold + 1 : editDistance(lower, cl);
    if (d > threshold && lower.length >= 4 && (cl.includes(lower) || lower.includes(cl))) d = threshold;
    if (d <= threshold) scored.push({ c, d });
  }
  return scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
}

/** The most edits a candidate may be from `input` to be suggested at all. */
function closeEnough(input: string): number {
  return Math.max(2, Math.floor(input.length * 0.4));
}

/** The most edits a misspelling of a name this long can have and still be a typo: one, two from 8 characters on. */
function typoEdits(length: number): number {
  return length >= 8 ? 2 : length >= 3 ? 1 : 0;
}

/**
 * Whether `name`, the only name a did-you-mean suggests for `written`, is certain enough to write unasked (`check
 * --fix`, the editor's "fix all"): `written` is a typo of it (at most `typoEdits` edits, case aside). The hints list
 * every candidate nearly as close as the best (`didYouMean`: all within reach; `bestMatches`: all under twice the
 * best's distance), so a lone name has no rival under twice its distance. Anything else is a guess that the user
 * confirms (the editor's quick fixes offer it): a longer distance (`max_txt_len` -> `max_len`), several names, another
 * framework's word translated (`lr` -> `init_lr`, far from its translation by spelling), and a key of another section,
 * which the hint names as misplaced instead of suggesting a name (src/checker/rules/keyOwners.ts).
 */
export function isCertainCorrection(written: string, name: string): boolean {
  const lower = written.toLowerCase(), target = name.toLowerCase();
  if (Math.abs(lower.length - target.length) > 2) return false;
  return editDistance(lower, target) <= typoEdits(written.length);
}

/** "Did you mean `x`?" or "Did you mean `x` or `y`?", or null when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | null {
  return didYouMeanNames(closestMatches(input, candidates));
}

/** "Did you mean `x`?" or "Did you mean `x` or `y`?" for the names given, or null when there are none. */
export function didYouMeanNames(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const quoted = names.map((b) => `\`${b}\``);
  return `Did you mean ${quoted.length === 1 ? quoted[0] : quoted.slice(0, -1).join(", ") + " or " + quoted.at(-1)}?`;
}

/** The names a did-you-mean hint suggests (`Did you mean \`init_lr\` or \`min_lr\`?`), for fixes. */
export function suggestedNames(hint: string | null): string[] {
  const m = hint ? /Did you mean (.*?)\?/.exec(hint) : null;
  return m ? [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!) : [];
}
