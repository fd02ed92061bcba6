// A tuning record (results/tuning/<name>.json): the settings tried for a project, each trained with the test split
// out of sight (`recipe.test_splits=[]`), its validation numbers, and the rule that picks one. The project file holds
// the chosen settings; `npm run results` then trains it once more and evaluates the test split once.

export interface CandidateOutcome {
  readonly command: string;
  readonly commit: string | null;
  readonly date: string;
  readonly exitCode: number;
  readonly runDir: string | null;
  readonly wallSeconds: number;
  readonly load: { readonly before: number; readonly after: number; readonly cores: number };
  /** The validation metric (agg_metrics of the "val" split) after each epoch. */
  readonly valPerEpoch: readonly number[];
  /** The best of them, as the runner chose checkpoint_best (first epoch wins ties). */
  readonly bestVal: { readonly value: number; readonly epoch: number } | null;
}

export interface Candidate {
  readonly id: string;
  /** `--set` overrides on top of the project (the project's own values when empty). */
  readonly set: readonly string[];
  readonly outcome?: CandidateOutcome;
}

export interface TuningRecord {
  readonly project: string;
  /** What was being decided and why these candidates. */
  readonly question: string;
  readonly rule: string;
  readonly candidates: readonly Candidate[];
  /** Filled by `npm run tune` once every candidate has an outcome. */
  readonly chosen?: string;
}

/** The override every tuning run gets: no test split is evaluated while settings are chosen. */
export const HIDE_TEST = "recipe.test_splits=[]";

/** The best epoch's val agg_metrics, the first one on ties (the runner keeps the first strictly better value). */
export function bestOf(valPerEpoch: readonly number[]): { value: number; epoch: number } | null {
  let best: { value: number; epoch: number } | null = null;
  valPerEpoch.forEach((value, epoch) => {
    if (Number.isFinite(value) && (!best || value > best.value)) best = { value, epoch };
  });
  return best;
}

/** The candidate with the highest best val; ties go to the one listed first (candidates are listed cheapest first). */
export function chooseCandidate(record: TuningRecord): Candidate | null {
  let chosen: Candidate | null = null;
  for (const c of record.candidates) {
    const v = c.outcome?.bestVal?.value;
    if (v === undefined) return null;
    if (!chosen || v > chosen.outcome!.bestVal!.value) chosen = c;
  }
  return chosen;
}
