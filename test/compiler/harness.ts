// Compiles inline experiments to graphs for the compiler tests.
import { checkFile } from "../../src/index.js";
import { SourceSet, type Diagnostic } from "../../src/diagnostics/index.js";
import { lowerToGraph, type LowerOptions } from "../../src/compiler/lower.js";
import type { Graph } from "../../src/compiler/graph.js";

export interface Compiled {
  readonly graph: Graph;
  readonly graphDiagnostics: Diagnostic[];
  readonly checkDiagnostics: readonly Diagnostic[];
  readonly sources: SourceSet;
}

export function compile(source: string, opts: LowerOptions & { name?: string; sets?: string[] } = {}): Compiled {
  const name = opts.name ?? "/virtual/exp.lv";
  const reader = {
    readFile: (p: string) => {
      if (p === name) return source;
      throw new Error(`no such file ${p}`);
    },
    exists: (p: string) => p === name,
  };
  const r = checkFile(name, reader, { sets: opts.sets ?? [] });
  if (!r.resolved) throw new Error(`does not resolve: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  const { graph, diagnostics } = lowerToGraph(r.resolved, opts);
  return { graph, graphDiagnostics: diagnostics, checkDiagnostics: r.diagnostics, sources };
}

/** Graph diagnostics as `[code, path, line]` (line in the experiment file, null when the span is elsewhere). */
export function graphCodes(source: string, opts: LowerOptions & { name?: string; sets?: string[] } = {}): [string, string | null, number | null][] {
  const c = compile(source, opts);
  const file = opts.name ?? "/virtual/exp.lv";
  return c.graphDiagnostics.map((d) => [d.code, d.path, d.span && d.span.file === file ? c.sources.get(file)!.position(d.span.start).line : null]);
}

/** A valid captioning experiment; tests edit one line of it. */
export const captioning = `experiment cap {
  task captioning
  model blip_caption(base_coco) {
    load_finetuned = false
  }
  data coco_caption {
    vis_processor.train = blip_image_train { image_size = 384 }
    vis_processor.eval = blip_image_eval { image_size = 384 }
    text_processor.train = blip_caption { prompt = "a picture of " }
    text_processor.eval = blip_caption
  }
  recipe {
    init_lr = 1e-5
    min_lr = 0
    max_epoch = 5
    batch_size_train = 32
    batch_size_eval = 64
    num_beams = 3
    max_len = 20
    min_len = 5
    output_dir = "output/cap"
    train_splits = [train]
    valid_splits = [val]
    test_splits = [test]
  }
}
`;

/** A retrieval experiment whose annotation files are `<dir>/{train,val,test}.json`. */
export function retrievalWithFiles(dir: string, recipe = ""): string {
  return `experiment ret {
  task retrieval
  model blip_retrieval(coco) {
    load_finetuned = false
  }
  data coco_retrieval {
    vis_processor.train = blip_image_train { image_size = 384 }
    vis_processor.eval = blip_image_eval { image_size = 384 }
    text_processor.train = blip_caption
    text_processor.eval = blip_caption
    build_info.annotations.train.storage = "${dir}/train.json"
    build_info.annotations.val.storage = "${dir}/val.json"
    build_info.annotations.test.storage = "${dir}/test.json"
  }
  recipe {
    init_lr = 2e-5
    min_lr = 0
    max_epoch = 2
    batch_size_train = 4
    batch_size_eval = 8
    k_test = 3
    output_dir = "output/ret"
    train_splits = [train]
    valid_splits = [val]
    test_splits = [test]
${recipe}  }
}
`;
}

export const edit = (src: string, from: string, to: string): string => {
  if (!src.includes(from)) throw new Error(`the case has no \`${from}\``);
  return src.replace(from, to);
};

/**
 * A small shapes_retrieval experiment at 32 px that the tfjs engine can plan: `model` is the model line (with any
 * block), `recipe` extra recipe lines placed first, `after` text inside the experiment after the recipe (a sweep).
 */
export function shapesRetrieval(model = "blip_retrieval(tiny)", recipe = "", after = ""): string {
  return `experiment e {
  task retrieval
  model ${model}
  data shapes_retrieval {
    vis_processor.train = blip_image_train { image_size = 32 }
    vis_processor.eval = blip_image_eval { image_size = 32 }
  }
  recipe {
${recipe}
    init_lr = 1e-3
    min_lr = 0
    max_epoch = 2
    batch_size_train = 8
    batch_size_eval = 8
    k_test = 8
    output_dir = "/w/out"
    train_splits = [train]
    valid_splits = [val]
    test_splits = [test]
  }
${after}}
`;
}
