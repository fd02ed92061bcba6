// n-gram counting shared by BLEU and CIDEr (pycocoevalcap's precook): every n-gram of order 1..n, keyed by its words.

export function ngramCounts(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i + k <= words.length; i++) {
      const g = words.slice(i, i + k).join(" ");
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return counts;
}
