// 95% intervals for a test metric: Wilson's score interval for a proportion (accuracy), and the percentile bootstrap
// over test items for everything else (the statistic recomputed on items drawn with replacement).
import { Rng } from "../runtime/train/rng.js";

export interface Interval {
  readonly low: number;
  readonly high: number;
  /** How it was computed, in words (goes into the result file). */
  readonly method: string;
}

const Z95 = 1.959963984540054;

/** Wilson's score interval for `successes` out of `n` (as a fraction). */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (n <= 0) return { low: NaN, high: NaN, method: "Wilson score interval, no items" };
  const p = successes / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), method: `Wilson score interval (95%), ${successes}/${n}` };
}

/** The q-quantile of sorted values, linearly interpolated (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: number;
  /** What an item is ("image", "question"), for the method text. */
  readonly unit?: string;
}

/**
 * Percentile bootstrap: `statistic(picks)` computed on `resamples` draws of `n` item indices with replacement
 * (seeded, so the interval is reproducible), its 2.5% and 97.5% quantiles.
 */
export function bootstrapInterval(n: number, statistic: (picks: Int32Array) => number, o: BootstrapOptions = {}): Interval {
  const resamples = o.resamples ?? 2000, seed = o.seed ?? 0;
  if (n <= 0) return { low: NaN, high: NaN, method: "bootstrap, no items" };
  const rng = Rng.derive(seed, 0xb007);
  const stats: number[] = [];
  const picks = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) picks[i] = rng.int(n);
    stats.push(statistic(picks));
  }
  stats.sort((a, b) => a - b);
  return { low: quantile(stats, 0.025), high: quantile(stats, 0.975), method: `percentile bootstrap (95%) over ${n} test ${o.unit ?? "item"}s, ${resamples} resamples, seed ${seed}` };
}

/** Bootstrap interval of the mean of per-item scores. */
export function bootstrapMean(scores: readonly number[], o: BootstrapOptions = {}): Interval {
  return bootstrapInterval(scores.length, (picks) => {
    let s = 0;
    for (const i of picks) s += scores[i]!;
    return s / picks.length;
  }, o);
}

/**
 * Distribution-free interval for the median of `values` (at least 95%): the order statistics x(k) and x(n+1-k), k
 * the largest rank with P(Binomial(n, 1/2) < k) <= 2.5%, as in Conover's Practical Nonparametric Statistics (3.2).
 * Fewer than 6 values allow none (NaN).
 */
export function medianInterval(values: readonly number[]): Interval {
  const n = values.length;
  let below = 0, term = 0.5 ** n, k = 0; // below: P(X < k); term: P(X = k)
  while (below + term <= 0.025) below += term, term *= (n - k) / (k + 1), k++;
  if (k === 0) return { low: NaN, high: NaN, method: `median interval, ${n} values: too few for 95%` };
  const sorted = [...values].sort((a, b) => a - b);
  const coverage = ((1 - 2 * below) * 100).toFixed(1);
  return { low: sorted[k - 1]!, high: sorted[n - k]!, method: `order statistics ${k} and ${n + 1 - k} of ${n} (${coverage}% for the median, distribution-free)` };
}
