/** mulberry32: a tiny deterministic generator in [0, 1), so a failing randomized test reproduces from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A chooser of one element of a list, drawn from `rnd` (a seededRandom generator). */
export function seededPick(rnd: () => number): <T>(xs: readonly T[]) => T {
  return (xs) => xs[Math.floor(rnd() * xs.length)]!;
}
