import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closestMatches, didYouMean } from "../../src/diagnostics/suggest.js";

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
Suggest.run();
