// The built-in "shapes" dataset: generated, deterministic small images of one or two coloured shapes, with
// captions, VQA questions and (for one-shape images) a shape class — no download needed.
import { join } from "node:path";
import { createRng, deriveSeed, type Rng } from "../runtime/data/rng.js";
import { writeLavisAnnotations, type GeneratedImage, type GeneratedQuestion } from "./lavisAnnotations.js";
import { encodePng } from "./png.js";
import { DatasetFolder, type PrepareWriteOptions } from "./datasetFolder.js";
import { annotationFiles, reusable, MANIFEST, type DatasetManifest, type PreparedDataset } from "./preparedDataset.js";

export const SHAPE_CLASSES = ["circle", "square", "triangle", "star", "diamond"] as const;
const COLORS: Record<string, readonly [number, number, number]> = {
  red: [220, 40, 40], green: [40, 170, 60], blue: [40, 80, 220], yellow: [235, 200, 30], purple: [140, 60, 180], orange: [245, 130, 30],
};
const COLOR_NAMES = Object.keys(COLORS);
type Kind = (typeof SHAPE_CLASSES)[number];
type Size = "small" | "big";
type Place = "left" | "right" | "top" | "bottom" | "center";

interface Shape { readonly kind: Kind; readonly color: string; readonly size: Size; readonly place: Place }

export interface ShapesOptions {
  readonly seed?: number;
  readonly counts?: Partial<Record<"train" | "val" | "test", number>>;
  /** Side of the square images in pixels (default 64). */
  readonly imageSize?: number;
}

export const SHAPES_GENERATOR_VERSION = 1;
// Small enough that every quickstart trains and evaluates in about a minute on a laptop CPU.
const DEFAULT_COUNTS = { train: 640, val: 100, test: 100 };
const SINGLE_SHARE = 0.4;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;

function polygon(n: number, outer: number, inner: number, rotation: number): [number, number][] {
  const pts: [number, number][] = [];
  const steps = inner > 0 ? n * 2 : n;
  for (let i = 0; i < steps; i++) {
    const r = inner > 0 && i % 2 === 1 ? inner : outer;
    const a = rotation + (i * 2 * Math.PI) / steps;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

function insidePolygon(x: number, y: number, pts: readonly [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!, [xj, yj] = pts[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const TRIANGLE = polygon(3, 1.15, 0, -Math.PI / 2);
const STAR = polygon(5, 1.2, 0.5, -Math.PI / 2);

/** Inside test in shape-local units (radius 1). Areas are roughly matched so size words mean the same for every kind. */
function inside(kind: Kind, x: number, y: number): boolean {
  switch (kind) {
    case "circle": return x * x + y * y <= 1;
    case "square": return Math.max(Math.abs(x), Math.abs(y)) <= 0.82;
    case "diamond": return Math.abs(x) + Math.abs(y) <= 1.15;
    case "triangle": return insidePolygon(x, y, TRIANGLE);
    case "star": return insidePolygon(x, y, STAR);
  }
}

function paint(canvas: Uint8Array, side: number, kind: Kind, cx: number, cy: number, r: number, rgb: readonly number[]): void {
  const SS = 3; // 3x3 supersampling for smooth edges
  const x0 = Math.max(0, Math.floor(cx - 1.3 * r)), x1 = Math.min(side - 1, Math.ceil(cx + 1.3 * r));
  const y0 = Math.max(0, Math.floor(cy - 1.3 * r)), y1 = Math.min(side - 1, Math.ceil(cy + 1.3 * r));
  for (let py = y0; py <= y1; py++) for (let px = x0; px <= x1; px++) {
    let hits = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      if (inside(kind, (px + (sx + 0.5) / SS - cx) / r, (py + (sy + 0.5) / SS - cy) / r)) hits++;
    }
    if (!hits) continue;
    const cov = hits / (SS * SS), i = (py * side + px) * 3;
    for (let c = 0; c < 3; c++) canvas[i + c] = Math.round(canvas[i + c]! * (1 - cov) + rgb[c]! * cov);
  }
}

const PLACE_CENTER: Record<Place, readonly [number, number]> = { left: [17, 32], right: [47, 32], top: [32, 17], bottom: [32, 47], center: [32, 32] };
const PLACE_WORDS: Record<Place, string> = { left: "on the left", right: "on the right", top: "at the top", bottom: "at the bottom", center: "in the center" };

function render(shapes: readonly Shape[], side: number, rng: Rng): Uint8Array {
  const unit = side / 64;
  const canvas = new Uint8Array(side * side * 3);
  const bg = [rng.int(205, 245), rng.int(205, 245), rng.int(205, 245)];
  for (let p = 0; p < canvas.length; p += 3) {
    const grain = rng.int(-6, 6); // luminance grain, one draw per pixel
    canvas[p] = bg[0]! + grain; canvas[p + 1] = bg[1]! + grain; canvas[p + 2] = bg[2]! + grain;
  }
  for (const s of shapes) {
    const [px, py] = PLACE_CENTER[s.place];
    const r = (s.size === "small" ? rng.uniform(6, 7.5) : rng.uniform(11, 12.5)) * unit;
    const jitter = (): number => rng.uniform(-3, 3) * unit;
    const base = COLORS[s.color]!;
    const rgb = base.map((v) => Math.min(255, Math.max(0, v + rng.int(-15, 15))));
    paint(canvas, side, s.kind, px * unit + jitter(), py * unit + jitter(), r, rgb);
  }
  return canvas;
}

const phrase = (s: Shape): string => `${s.size} ${s.color} ${s.kind}`;

function captions(shapes: readonly Shape[]): string[] {
  if (shapes.length === 1) {
    const s = shapes[0]!, where = PLACE_WORDS[s.place];
    return [`a ${phrase(s)} ${where}`, `there is a ${phrase(s)} ${where} of the picture`, `one ${s.color} ${s.kind}`];
  }
  const [a, b] = shapes as [Shape, Shape];
  const horizontal = a.place === "left";
  return [
    `a ${phrase(a)} ${horizontal ? "on the left of" : "above"} a ${phrase(b)}`,
    `a ${phrase(b)} ${horizontal ? "on the right of" : "below"} a ${phrase(a)}`,
    `a ${a.color} ${a.kind} and a ${b.color} ${b.kind}`,
  ];
}

function questions(shapes: readonly Shape[], rng: Rng): GeneratedQuestion[] {
  const pool: GeneratedQuestion[] = [{ question: "how many shapes are there?", answer: String(shapes.length), answerType: "number" }];
  for (const s of shapes) {
    if (shapes.filter((o) => o.kind === s.kind).length === 1) {
      pool.push({ question: `what color is the ${s.kind}?`, answer: s.color, answerType: "other" });
    }
    if (shapes.length > 1) pool.push({ question: `what shape is ${PLACE_WORDS[s.place]}?`, answer: s.kind, answerType: "other" });
    if (shapes.filter((o) => o.kind === s.kind && o.color === s.color).length === 1) {
      pool.push({ question: `what size is the ${s.color} ${s.kind}?`, answer: s.size, answerType: "other" });
    }
  }
  if (shapes.length === 1) pool.push({ question: "what shape is in the picture?", answer: shapes[0]!.kind, answerType: "other" });
  const present = rng.next() < 0.5;
  const color = present ? pick(rng, shapes).color : pick(rng, COLOR_NAMES.filter((c) => !shapes.some((s) => s.color === c)));
  pool.push({ question: `is there a ${color} shape?`, answer: present ? "yes" : "no", answerType: "yes/no" });
  // Three distinct questions per image, chosen by the seeded generator.
  const chosen: GeneratedQuestion[] = [];
  while (chosen.length < 3 && pool.length) chosen.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]!);
  return chosen;
}

function drawScene(rng: Rng): Shape[] {
  const shape = (place: Place): Shape => ({ kind: pick(rng, SHAPE_CLASSES), color: pick(rng, COLOR_NAMES), size: rng.next() < 0.5 ? "small" : "big", place });
  if (rng.next() < SINGLE_SHARE) return [shape(pick(rng, ["left", "right", "top", "bottom", "center"] as const))];
  return rng.next() < 0.5 ? [shape("left"), shape("right")] : [shape("top"), shape("bottom")];
}

/** The generator's parameters (as its manifest records them) for `options`: the defaults filled in. */
export function shapesParams(options: ShapesOptions = {}) {
  return { seed: options.seed ?? 0, counts: { ...DEFAULT_COUNTS, ...options.counts }, imageSize: options.imageSize ?? 64 };
}

/** Generates <outDir>/shapes/{images,annotations,manifest.json}; reuses an existing folder prepared with the same options. */
export function prepareShapes(outDir: string, options: ShapesOptions & PrepareWriteOptions = {}): PreparedDataset {
  const root = join(outDir, "shapes");
  const params = shapesParams(options);
  const existing = reusable(root, "shapes", SHAPES_GENERATOR_VERSION, params);
  if (existing) return { root, files: annotationFiles(root, existing), manifest: existing, created: false };
  const folder = DatasetFolder.reset(root, options.force);
  const files: string[] = [];
  const splits: Record<string, GeneratedImage[]> = {};
  for (const [splitIndex, [split, count]] of Object.entries(params.counts).entries()) {
    const rng = createRng(deriveSeed(params.seed, splitIndex));
    const seen = new Set<string>();
    const imgs: GeneratedImage[] = [];
    for (let i = 0; i < count; i++) {
      // Prefer scenes not yet used in this split, so captions tell images apart (retrieval needs that).
      let scene = drawScene(rng);
      for (let attempt = 0; attempt < 50 && seen.has(JSON.stringify(scene)); attempt++) scene = drawScene(rng);
      seen.add(JSON.stringify(scene));
      const rel = `${split}/${split}_${String(i).padStart(6, "0")}.png`;
      folder.write(`images/${rel}`, encodePng(params.imageSize, params.imageSize, 3, render(scene, params.imageSize, rng)));
      files.push(`images/${rel}`);
      imgs.push({
        image: rel, imageId: `shapes_${split}_${i}`, captions: captions(scene), questions: questions(scene, rng),
        label: scene.length === 1 ? SHAPE_CLASSES.indexOf(scene[0]!.kind) : null,
      });
    }
    splits[split] = imgs;
  }
  const written = writeLavisAnnotations(folder, splits, SHAPE_CLASSES);
  const manifest: DatasetManifest = {
    name: "shapes", generatorVersion: SHAPES_GENERATOR_VERSION, params, images: "images", annotations: written.layout, classnames: SHAPE_CLASSES,
    counts: Object.fromEntries(Object.entries(splits).map(([s, imgs]) => [s, imgs.length])), files: [...written.files, ...files],
  };
  folder.writeJson(MANIFEST, manifest);
  return { root, files: annotationFiles(root, manifest), manifest, created: true };
}
