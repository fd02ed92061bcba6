// A split with no records stops the run, training or evaluated (preflight, and the evaluator that finds one).

/** An empty split stops the run: nothing to train on, or a score of 0 that would score nothing. */
export function emptySplitMessage(dataset: string, split: string, train: boolean): string {
  const why = train ? "nothing to train on" : "its metrics would be computed on nothing (a score of 0 that is no score)";
  return `${dataset}/${split} has no records: ${why}; give it annotations with records, or leave "${split}" out of the run's ${train ? "train_splits" : "valid_splits / test_splits"}`;
}
