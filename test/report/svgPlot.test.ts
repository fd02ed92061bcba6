import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineChart, niceTicks, thin, escapeXml } from "../../src/report/svgPlot.js";

test("ticks are round numbers covering the range", () => {
  assert.equal(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.equal(niceTicks(3.7, 9.2), [4, 6, 8]);
  assert.equal(niceTicks(1, 2, 5, 1), [1, 2]);
  assert.equal(niceTicks(5, 5), [5]);
});

test("long series are thinned, keeping the last point", () => {
  const pts = Array.from({ length: 1001 }, (_, i) => [i, i] as const);
  const t = thin(pts, 400);
  assert.ok(t.length <= 401);
  assert.equal(t.at(-1), [1000, 1000]);
  assert.equal(thin(pts.slice(0, 10)).length, 10);
});

test("one polyline per series, the emphasised one drawn last and thicker; names escaped", () => {
  const svg = lineChart({
    title: "loss <a&b>", xLabel: "epoch", yLabel: "loss",
    series: [
      { name: "t01", points: [[0, 3], [1, 2]], emphasis: true },
      { name: "t02 \"x\"", points: [[0, 4], [1, NaN], [2, 1]] },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const lines = [...svg.matchAll(/<polyline [^>]*stroke-width="([\d.]+)"[^>]*points="([^"]*)"><title>([^<]*)</g)];
  assert.equal(lines.map((m) => [m[1], m[3]]), [["1.5", "t02 &quot;x&quot;"], ["3", "t01"]]);
  assert.is(lines[0]![2]!.split(" ").length, 2, "a non-finite point is left out");
  assert.match(svg, /loss &lt;a&amp;b&gt;/);
  assert.is(escapeXml(`<'&">`), "&lt;&#39;&amp;&quot;&gt;");
});

test("no data is said, not drawn", () => {
  assert.match(lineChart({ title: "t", xLabel: "x", yLabel: "y", series: [{ name: "a", points: [] }] }), />no data</);
});

test.run();
