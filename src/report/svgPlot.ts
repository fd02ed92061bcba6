// Self-contained SVG line charts for lavisc's HTML reports (the sweep's `sweep.html`; meant to serve a run's report
// too): axes with round tick values, one polyline per series, a legend, no scripts and no external resources.

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Drawn thicker and on top (the best trial). */
  readonly emphasis?: boolean;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
  /** Dots at every point (for short series such as one value per epoch). */
  readonly markers?: boolean;
  /** Ticks of the x axis at whole numbers only (epochs). */
  readonly integerX?: boolean;
}

/** Tableau's 10 colours: distinguishable, and the usual ones in training plots. */
export const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Tick values at 1, 2 or 5 times a power of ten, covering [lo, hi] with about `target` ticks. */
export function niceTicks(lo: number, hi: number, target = 5, minStep = 0): number[] {
  if (!(hi > lo)) return [lo];
  const raw = Math.max((hi - lo) / target, minStep);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function tickText(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

/** At most `max` points: every k-th one, the last one always kept. */
export function thin(points: readonly (readonly [number, number])[], max = 400): (readonly [number, number])[] {
  if (points.length <= max) return [...points];
  const k = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % k === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1)!);
  return out;
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 780, height = o.height ?? 360;
  const legendWidth = 210;
  const m = { top: 32, right: legendWidth + 16, bottom: 44, left: 64 };
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const all = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(o.title)}" font-family="sans-serif" font-size="12">`,
    `<text x="${m.left}" y="18" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  if (!all.length) {
    parts.push(`<text x="${m.left}" y="${m.top + ph / 2}" fill="#666">no data</text></svg>`);
    return parts.join("\n");
  }
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 === x0) [x0, x1] = [x0 - 0.5, x1 + 0.5];
  if (y1 === y0) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const f = (v: number) => v.toFixed(1);

  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (const t of niceTicks(x0, x1, 5, o.integerX ? 1 : 0)) {
    parts.push(`<line x1="${f(sx(t))}" y1="${m.top + ph}" x2="${f(sx(t))}" y2="${m.top + ph + 4}" stroke="#999"/><text x="${f(sx(t))}" y="${m.top + ph + 16}" text-anchor="middle">${tickText(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.left}" y1="${f(sy(t))}" x2="${m.left + pw}" y2="${f(sy(t))}" stroke="#eee"/><text x="${m.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${tickText(t)}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);

  const order = o.series.map((s, i) => ({ s, i })).sort((a, b) => Number(!!a.s.emphasis) - Number(!!b.s.emphasis));
  for (const { s, i } of order) {
    const color = palette[i % palette.length]!;
    const pts = thin(s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
    if (!pts.length) continue;
    const w = s.emphasis ? 3 : 1.5;
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="${w}" stroke-linejoin="round" points="${pts.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(" ")}"><title>${escapeXml(s.name)}</title></polyline>`);
    if (o.markers || pts.length === 1) for (const [x, y] of pts) parts.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="${s.emphasis ? 4 : 3}" fill="${color}"/>`);
  }
  o.series.forEach((s, i) => {
    const y = m.top + 8 + i * 18;
    if (y > height - 8) return;
    const x = width - legendWidth;
    parts.push(`<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${palette[i % palette.length]}" stroke-width="${s.emphasis ? 3 : 1.5}"/><text x="${x + 24}" y="${y + 4}"${s.emphasis ? ' font-weight="bold"' : ""}>${escapeXml(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}
