// The official VQAv2 accuracy as LAVIS runs it (lavis/common/vqa_tools/vqa_eval.py, VQAEval with n=2, reported by
// VQATask._report_metrics), quirks included: ground-truth answers are punctuation-normalised only when the annotators
// disagree, and the period strip is limited to 32 replacements (re.UNICODE passed as `count`).
import { requireCompleteEvaluation } from "./completeness.js";

/** One question's ground truth: the (usually 10) human answers in annotation order, and its answer type. */
export interface VqaGroundTruthItem {
  readonly answers: readonly string[];
  readonly answerType?: string;
  /** The record's answers as written (a string or a list), copied into `gt_ans` by the tasks that write it. */
  readonly written?: string | readonly string[];
}

export interface VqaAccuracy {
  /** `{agg_metrics: overall, <answer type>: acc, ...}` in percent rounded to 2 decimals, types in first-seen order. */
  readonly metrics: Record<string, number>;
  /** Per question accuracy in [0, 1] (before rounding). */
  readonly perQuestion: Map<string, number>;
}

const CONTRACTIONS: Record<string, string> = {
  aint: "ain't", arent: "aren't", cant: "can't", couldve: "could've", couldnt: "couldn't", "couldn'tve": "couldn't've",
  "couldnt've": "couldn't've", didnt: "didn't", doesnt: "doesn't", dont: "don't", hadnt: "hadn't", "hadnt've": "hadn't've",
  "hadn'tve": "hadn't've", hasnt: "hasn't", havent: "haven't", hed: "he'd", "hed've": "he'd've", "he'dve": "he'd've",
  hes: "he's", howd: "how'd", howll: "how'll", hows: "how's", "Id've": "I'd've", "I'dve": "I'd've", Im: "I'm", Ive: "I've",
  isnt: "isn't", itd: "it'd", "itd've": "it'd've", "it'dve": "it'd've", itll: "it'll", "let's": "let's", maam: "ma'am",
  mightnt: "mightn't", "mightnt've": "mightn't've", "mightn'tve": "mightn't've", mightve: "might've", mustnt: "mustn't",
  mustve: "must've", neednt: "needn't", notve: "not've", oclock: "o'clock", oughtnt: "oughtn't", "ow's'at": "'ow's'at",
  "'ows'at": "'ow's'at", "'ow'sat": "'ow's'at", shant: "shan't", "shed've": "she'd've", "she'dve": "she'd've",
  "she's": "she's", shouldve: "should've", shouldnt: "shouldn't", "shouldnt've": "shouldn't've",
  "shouldn'tve": "shouldn't've", "somebody'd": "somebodyd", "somebodyd've": "somebody'd've",
  "somebody'dve": "somebody'd've", somebodyll: "somebody'll", somebodys: "somebody's", someoned: "someone'd",
  "someoned've": "someone'd've", "someone'dve": "someone'd've", someonell: "someone'll", someones: "someone's",
  somethingd: "something'd", "somethingd've": "something'd've", "something'dve": "something'd've",
  somethingll: "something'll", thats: "that's", thered: "there'd", "thered've": "there'd've", "there'dve": "there'd've",
  therere: "there're", theres: "there's", theyd: "they'd", "theyd've": "they'd've", "they'dve": "they'd've",
  theyll: "they'll", theyre: "they're", theyve: "they've", twas: "'twas", wasnt: "wasn't", "wed've": "we'd've",
  "we'dve": "we'd've", weve: "we've", werent: "weren't", whatll: "what'll", whatre: "what're", whats: "what's",
  whatve: "what've", whens: "when's", whered: "where'd", wheres: "where's", whereve: "where've", whod: "who'd",
  "whod've": "who'd've", "who'dve": "who'd've", wholl: "who'll", whos: "who's", whove: "who've", whyll: "why'll",
  whyre: "why're", whys: "why's", wont: "won't", wouldve: "would've", wouldnt: "wouldn't", "wouldnt've": "wouldn't've",
  "wouldn'tve": "wouldn't've", yall: "y'all", "yall'll": "y'all'll", "y'allll": "y'all'll", "yall'd've": "y'all'd've",
  "y'alld've": "y'all'd've", "y'all'dve": "y'all'd've", youd: "you'd", "youd've": "you'd've", "you'dve": "you'd've",
  youll: "you'll", youre: "you're", youve: "you've",
};
const MANUAL_MAP: Record<string, string> = {
  none: "0", zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9", ten: "10",
};
const ARTICLES = new Set(["a", "an", "the"]);
const PUNCT = [";", "/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`", ",", "?", "!"];
const COMMA_STRIP = /(\d)(,)(\d)/;
/** `(?!<=\d)(\.)(?!\d)`: the first lookahead never fails at a ".", so every period not followed by a digit goes. */
const PERIOD_STRIP = /\.(?!\d)/g;

export function processPunctuation(inText: string): string {
  let out = inText;
  const commaNumber = COMMA_STRIP.test(inText);
  for (const p of PUNCT) {
    // Decided on the input text, applied to the running output, as the original.
    const drop = inText.includes(p + " ") || inText.includes(" " + p) || commaNumber;
    out = out.split(p).join(drop ? "" : " ");
  }
  let n = 0;
  return out.replace(PERIOD_STRIP, (m) => (n++ < 32 ? "" : m));
}

export function processDigitArticle(inText: string): string {
  const words: string[] = [];
  for (const raw of inText.toLowerCase().split(/\s+/).filter(Boolean)) {
    const w = Object.prototype.hasOwnProperty.call(MANUAL_MAP, raw) ? MANUAL_MAP[raw]! : raw;
    if (!ARTICLES.has(w)) words.push(w);
  }
  return words.map((w) => (Object.prototype.hasOwnProperty.call(CONTRACTIONS, w) ? CONTRACTIONS[w]! : w)).join(" ");
}

/** The prediction as VQAEval normalises it before matching. */
export function normalizeVqaAnswer(answer: string): string {
  return processDigitArticle(processPunctuation(answer.replace(/\n/g, " ").replace(/\t/g, " ").trim()));
}

/** min(1, #matches/3) averaged over the leave-one-out subsets (each annotator's answer left out once). */
export function vqaQuestionAccuracy(prediction: string, gtAnswers: readonly string[]): number {
  if (!gtAnswers.length) return 0;
  const res = normalizeVqaAnswer(prediction);
  const gts = new Set(gtAnswers).size > 1 ? gtAnswers.map(processPunctuation) : gtAnswers;
  let sum = 0;
  for (let i = 0; i < gts.length; i++) {
    let matches = 0;
    for (let j = 0; j < gts.length; j++) if (j !== i && gts[j] === res) matches++;
    sum += Math.min(1, matches / 3);
  }
  return sum / gts.length;
}

/**
 * Scores predictions (question id → answer) against the ground truth, question by question in ground-truth order.
 * As LAVIS's VQA.loadRes asserts, the predicted and the ground-truth question ids must be the same set, and every
 * question needs reference answers.
 */
export function vqaAccuracy(predictions: ReadonlyMap<string, string>, groundTruth: ReadonlyMap<string, VqaGroundTruthItem>, what = "VQA"): VqaAccuracy {
  const unanswerable = [...groundTruth].filter(([, gt]) => !gt.answers.length).map(([q]) => q);
  const notInSplit = [...predictions.keys()].filter((q) => !groundTruth.has(q));
  requireCompleteEvaluation({
    what, unit: "question", expected: [...groundTruth.keys(), ...notInSplit], predicted: predictions.keys(), withoutReference: [...unanswerable, ...notInSplit],
  });
  const perQuestion = new Map<string, number>();
  const byType = new Map<string, number[]>();
  const all: number[] = [];
  for (const [qid, gt] of groundTruth) {
    const acc = vqaQuestionAccuracy(predictions.get(qid)!, gt.answers);
    perQuestion.set(qid, acc);
    all.push(acc);
    const type = gt.answerType ?? "other";
    const list = byType.get(type) ?? [];
    list.push(acc);
    byType.set(type, list);
  }
  const pct = (xs: number[]) => (xs.length ? pyRound((100 * xs.reduce((a, b) => a + b, 0)) / xs.length, 2) : 0);
  const metrics: Record<string, number> = { agg_metrics: pct(all) };
  for (const [type, xs] of byType) metrics[type] = pct(xs);
  return { metrics, perQuestion };
}

/** Python's round(x, n): the exact binary value rounded to n decimals, exact ties to even. */
export function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) return x;
  const exact = Math.abs(x).toFixed(60); // exact for the magnitudes metrics have
  const [int, frac = ""] = exact.split(".");
  const kept = frac.slice(0, n);
  const rest = frac.slice(n);
  const digits = BigInt(int! + kept);
  const half = "5" + "0".repeat(Math.max(0, rest.length - 1));
  const cmp = rest.padEnd(half.length, "0") > half ? 1 : rest.padEnd(half.length, "0") === half ? 0 : -1;
  const up = cmp > 0 || (cmp === 0 && digits % 2n === 1n);
  const rounded = Number(up ? digits + 1n : digits) / 10 ** n;
  return x < 0 ? -rounded : rounded;
}
