// Headless Chromium (Debian's `chromium`) for tests that check what a page draws: `measureCharts` loads a page with a
// measuring script appended and reads back, per `figure[data-chart]`, the plot area, each polyline's bounding box
// and point count, and the y-axis ticks (value and position); `screenshot` writes a PNG. No network, a fresh profile.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export function findChromium(): string | null {
  for (const p of [process.env["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (p && existsSync(p)) return p;
  return null;
}

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

function chromium(args: string[]): string {
  const exe = findChromium();
  if (!exe) throw new Error("chromium is not installed");
  const profile = mkdtempSync(join(tmpdir(), "lavisc-chromium-"));
  try {
    const r = spawnSync(exe, [...FLAGS, `--user-data-dir=${profile}`, ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface ChartMeasure {
  readonly chart: string;
  readonly plot: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly lines: readonly { readonly name: string; readonly n: number; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
  readonly yTicks: readonly { readonly v: number; readonly y: number }[];
  readonly rendered: { readonly w: number; readonly h: number };
}

const MEASURE = `<script>
const out = [...document.querySelectorAll('figure[data-chart]')].map((f) => {
  const svg = f.querySelector('svg'), plot = svg.querySelector('rect').getBBox(), shown = svg.getBoundingClientRect();
  const lines = [...svg.querySelectorAll('polyline')].map((p) => { const b = p.getBBox(); return { name: p.querySelector('title')?.textContent ?? '', n: p.points.numberOfItems, x: b.x, y: b.y, w: b.width, h: b.height }; });
  const yTicks = [...svg.querySelectorAll('text[text-anchor="end"]')].map((t) => ({ v: Number(t.textContent), y: Number(t.getAttribute('y')) - 4 })).filter((t) => Number.isFinite(t.v));
  return { chart: f.dataset.chart, plot: { x: plot.x, y: plot.y, w: plot.width, h: plot.height }, lines, yTicks, rendered: { w: shown.width, h: shown.height } };
});
const pre = document.createElement('pre'); pre.id = 'lavisc-measure'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>`;

/** Renders `html` (with a measuring script appended) and returns the measures of its charts. */
export function measureCharts(html: string): ChartMeasure[] {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-page-"));
  try {
    const page = join(dir, "page.html");
    writeFileSync(page, html.replace("</body>", `${MEASURE}</body>`));
    const dom = chromium(["--dump-dom", pathToFileURL(page).href]);
    const m = /<pre id="lavisc-measure">([^<]*)<\/pre>/.exec(dom);
    if (!m) throw new Error("the measuring script did not run");
    return JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as ChartMeasure[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value range a chart's polylines cover, read back through its y-axis ticks (pixel → value). */
export function drawnRange(c: ChartMeasure): { readonly low: number; readonly high: number; readonly x0: number; readonly x1: number } {
  const [a, b] = [c.yTicks[0]!, c.yTicks.at(-1)!];
  const toValue = (y: number) => a.v + ((y - a.y) * (b.v - a.v)) / (b.y - a.y);
  const top = Math.min(...c.lines.map((l) => l.y)), bottom = Math.max(...c.lines.map((l) => l.y + l.h));
  return { low: toValue(bottom), high: toValue(top), x0: Math.min(...c.lines.map((l) => l.x)), x1: Math.max(...c.lines.map((l) => l.x + l.w)) };
}

export function screenshot(htmlPath: string, pngPath: string, width = 1100, height = 1600): void {
  chromium([`--screenshot=${pngPath}`, `--window-size=${width},${height}`, "--hide-scrollbars", pathToFileURL(htmlPath).href]);
}
