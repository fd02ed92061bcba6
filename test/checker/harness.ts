import { checkFile } from "../../src/index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, type Diagnostic } from "../../src/diagnostics/index.js";

export interface Found {
  readonly code: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly path?: string | null;
}

/**
 * Checks `source` as a file named `name` (`.lv` or `.yaml`) and returns its diagnostics, sorted. LV4019 (a documented
 * default LAVIS's code does not share: the split lists most experiments here leave out) is left out unless
 * `codeDefaults` is set; test/checker/rules/codeDefault.test.ts tests it.
 */
export function diagnose(source: string, opts: { name?: string; sets?: string[]; options?: string[]; codeDefaults?: boolean } = {}): { diags: Diagnostic[]; sources: SourceSet } {
  const name = opts.name ?? "/virtual/exp.lv";
  const reader = {
    readFile: (p: string) => {
      if (p === name) return source;
      throw new Error(`no such file ${p}`);
    },
    exists: (p: string) => p === name,
  };
  const r = checkFile(name, reader, { sets: opts.sets ?? [], options: opts.options ?? [] });
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  return { diags: sortDiagnostics(r.diagnostics.filter((d) => opts.codeDefaults || d.code !== "LV4019")), sources };
}

/** `[{code, line, column}]` of the diagnostics in the checked file (stdlib problems would show too, with their own file). */
export function codes(source: string, opts: { name?: string; sets?: string[]; options?: string[]; withPath?: boolean; codeDefaults?: boolean } = {}): Found[] {
  const { diags, sources } = diagnose(source, opts);
  return diags.map((d) => {
    const pos = d.span ? sources.get(d.span.file)?.position(d.span.start) : undefined;
    const f: Found = { code: d.code, line: pos?.line ?? null, column: pos?.column ?? null };
    return opts.withPath ? { ...f, path: d.path } : f;
  });
}

export function render(source: string, opts: { name?: string; sets?: string[] } = {}): string {
  const { diags, sources } = diagnose(source, opts);
  return renderDiagnostics(diags, sources, { cwd: "/virtual" });
}

/** A valid retrieval experiment; tests edit one line of it. */
export const base = `experiment ret {
  task retrieval
  model blip_retrieval(coco) {
    load_finetuned = false
  }
  data coco_retrieval {
    vis_processor.train = blip_image_train { image_size = 384 }
    vis_processor.eval = blip_image_eval { image_size = 384 }
    text_processor.train = blip_caption
    text_processor.eval = blip_caption
  }
  recipe {
    init_lr = 2e-5
    min_lr = 0
    max_epoch = 6
    batch_size_train = 32
    batch_size_eval = 128
    k_test = 256
    output_dir = "output/ret"
  }
}
`;

/** `base` with one line replaced (`from` must occur exactly once). */
export function edit(from: string, to: string, src = base): string {
  const i = src.indexOf(from);
  if (i < 0 || src.indexOf(from, i + 1) >= 0) throw new Error(`edit: '${from}' must occur exactly once`);
  return src.slice(0, i) + to + src.slice(i + from.length);
}

/**
 * A LAVIS YAML that fine-tunes `arch(modelType)` on COCO captions, with `modelLines` (each `  key: value\n`) added to
 * its model section and `image_size` given to both image processors when set.
 */
export function captionYaml(arch: string, modelType: string, modelLines: string, imageSize?: number): string {
  const size = imageSize === undefined ? "" : `, image_size: ${imageSize}`;
  return `model:
  arch: ${arch}
  model_type: ${modelType}
  load_finetuned: false
${modelLines}datasets:
  coco_caption:
    vis_processor:
      train: { name: blip_image_train${size} }
      eval: { name: blip_image_eval${size} }
    text_processor:
      train: { name: blip_caption }
      eval: { name: blip_caption }
run:
  task: captioning
  init_lr: 1.0e-5
  min_lr: 0
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  train_splits: [train]
  valid_splits: [val]
  test_splits: [test]
  output_dir: out
`;
}
