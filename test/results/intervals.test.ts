import { test } from "uvu";
import * as assert from "uvu/assert";
import { bootstrapInterval, bootstrapMean, medianInterval, quantile, wilsonInterval } from "../../src/results/intervals.js";

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test("Wilson's interval matches the closed form (statsmodels' proportion_confint, method wilson)", () => {
  const w = wilsonInterval(808, 1000);
  close(w.low, 0.7824275640840395);
  close(w.high, 0.8312151526888587);
  close(wilsonInterval(0, 10).low, 0);
  close(wilsonInterval(0, 10).high, 0.2775327998628892);
  close(wilsonInterval(18, 34).low, 0.3673671298006892);
  assert.ok(wilsonInterval(10, 10).high <= 1);
  assert.match(w.method, /808\/1000/);
});

test("median interval: the binomial order statistics (ranks 4 and 12 of 15, 10 and 22 of 31), none under 6 values", () => {
  const shuffled = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7) % n) + 1); // 1..n in another order
  const m15 = medianInterval(shuffled(15));
  assert.equal([m15.low, m15.high], [4, 12]);
  assert.match(m15.method, /96\.5%/);
  const m31 = medianInterval(shuffled(31));
  assert.equal([m31.low, m31.high], [10, 22]);
  assert.match(m31.method, /97\.1%/);
  assert.equal([medianInterval(shuffled(6)).low, medianInterval(shuffled(6)).high], [1, 6]);
  assert.ok(Number.isNaN(medianInterval(shuffled(5)).low));
});

test("quantile interpolates as numpy", () => {
  close(quantile([1, 2, 3, 4], 0.5), 2.5);
  close(quantile([0, 10], 0.025), 0.25);
});

test("bootstrap: seeded, brackets the mean, narrows with more items, zero width for constant scores", () => {
  const rnd = (i: number) => ((i * 2654435761) % 1000) / 1000;
  const small = Array.from({ length: 50 }, (_, i) => rnd(i));
  const big = Array.from({ length: 2000 }, (_, i) => rnd(i));
  const a = bootstrapMean(small, { seed: 3 }), b = bootstrapMean(small, { seed: 3 });
  assert.equal(a, b);
  const mean = small.reduce((x, y) => x + y, 0) / small.length;
  assert.ok(a.low < mean && mean < a.high);
  const wide = bootstrapMean(big, { seed: 3 });
  assert.ok(wide.high - wide.low < (a.high - a.low) / 3);
  const flat = bootstrapMean([0.5, 0.5, 0.5]);
  assert.is(flat.low, 0.5);
  assert.is(flat.high, 0.5);
  // A proportion's bootstrap interval is close to Wilson's for many items.
  const hits = Array.from({ length: 1000 }, (_, i) => (i < 808 ? 1 : 0));
  const boot = bootstrapMean(hits, { seed: 1 });
  const w = wilsonInterval(808, 1000);
  assert.ok(Math.abs(boot.low - w.low) < 0.006 && Math.abs(boot.high - w.high) < 0.006, JSON.stringify([boot, w]));
});

test("bootstrapInterval resamples indices with replacement", () => {
  let seen = 0;
  bootstrapInterval(5, (picks) => {
    assert.is(picks.length, 5);
    for (const i of picks) assert.ok(i >= 0 && i < 5);
    seen++;
    return 0;
  }, { resamples: 10 });
  assert.is(seen, 10);
});

test.run();
