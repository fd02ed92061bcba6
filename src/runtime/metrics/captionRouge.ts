// ROUGE-L as pycocoevalcap's Rouge: per image, LCS precision and recall against each reference, the maxima of each
// over references combined as an F-measure with beta = 1.2; the score is the mean over images.

const BETA = 1.2;

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[b.length]!;
}

export function rougeL(candidate: string, references: readonly string[]): number {
  const cand = candidate.split(" ");
  let precMax = 0;
  let recMax = 0;
  for (const r of references) {
    const ref = r.split(" ");
    const lcs = lcsLength(ref, cand);
    precMax = Math.max(precMax, lcs / cand.length);
    recMax = Math.max(recMax, lcs / ref.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}

export function corpusRougeL(candidates: readonly string[], references: readonly (readonly string[])[]): number {
  if (!candidates.length) return 0;
  return candidates.reduce((s, c, i) => s + rougeL(c, references[i] ?? []), 0) / candidates.length;
}
