import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closestMatches, didYouMean, bestMatches, isCertainCorrection } from "../../src/diagnostics/suggest.js";

const Suggest = suite("did you mean");
Suggest("close names and substrings are suggested, best first", () => {
  assert.equal(closestMatches("init_rl", ["init_lr", "min_lr", "warmup_lr"]), ["init_lr"]);
  assert.equal(closestMatches("lr_sched_name", ["lr_sched", "seed"]), ["lr_sched"]);
  assert.is(didYouMean("sede", ["seed", "init_lr"]), "Did you mean `seed`?");
});
Suggest("a 1,000,000-character key gets no suggestion, at once (17 s before)", () => {
  const key = "init_lr".repeat(150_000);
  const candidates = Array.from({ length: 300 }, (_, i) => `key_number_${i}`);
  const started = process.hrtime.bigint();
  assert.equal(closestMatches(key, candidates), []);
  // A generous guard, not a timing test: the bound check returns before reading the key.
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
});
Suggest("bestMatches names every candidate nearly as close as the best, so one name means no rival", () => {
  assert.equal(bestMatches("max_lenn", ["max_len", "min_len"]), ["max_len"], "one edit against two");
  assert.equal(bestMatches("LV2010", ["LV2001", "LV2011", "LV4002"]), ["LV2001", "LV2011"], "two at one edit: not one name");
});
Suggest("a correction is certain only for a typo (one edit, two from 8 characters on), case aside", () => {
  assert.ok(isCertainCorrection("num_beam", "num_beams"));
  assert.ok(isCertainCorrection("blip_captoin", "blip_caption"));
  assert.ok(isCertainCorrection("Init_LR", "init_lr"));
  assert.not.ok(isCertainCorrection("max_txt_len", "max_len"), "four edits: another key, not a typo");
  assert.not.ok(isCertainCorrection("lerning_rate", "init_lr"), "a translation, not a spelling");
  assert.not.ok(isCertainCorrection("sede", "side_x"));
  assert.not.ok(isCertainCorrection("ab", "abc"), "too short to tell");
});
Suggest.run();
