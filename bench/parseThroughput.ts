// Parse throughput on a generated 10,000-line file of realistic declarations (experiments, schemas with refinements
// and checks, registries, comments). `node dist/bench/parseThroughput.js` prints the numbers; the compile bench
// calls `measureParseThroughput()`; `--full` measures the full parser alone (fastParser.ts switched off).
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { plainParserSwitch } from "../src/syntax/fastParser.js";
import { parse } from "../src/syntax/index.js";

/** A 13-line experiment and a 12-line schema per step, until `lines` lines. */
export function generateSource(lines = 10_000): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `/// Experiment number ${i}.`,
      `experiment caption_${i} extends base.caption {`,
      `  task captioning`,
      `  model blip_caption(base_coco) { load_finetuned = false }`,
      `  data coco_caption {`,
      `    vis_processor.train = blip_image_train { image_size = 384, min_scale = 0.5 }`,
      `    text_processor.eval = blip_caption { prompt = "a picture of " }`,
      `  }`,
      `  recipe {`,
      `    init_lr = 1e-5 // after warm-up`,
      `    train_splits = [train, val]`,
      `  }`,
      `}`,
      `schema Recipe_${i}: Base {`,
      `  /// Initial learning rate.`,
      `  init_lr: float(> 0, <= 1) = 3e-4`,
      `  min_lr: float(>= 0) = 0`,
      `  warmup_lr: float? = \${recipe.init_lr}`,
      `  splits: [string] = ["train", "val"]`,
      `  /* the decay only matters for the step schedule */`,
      `  lr_decay_rate: float = if lr_sched == linear_warmup_step_lr then 0.9 else 1.0`,
      `  check min_lr <= init_lr "min_lr must not exceed init_lr"`,
      `  warn lr_decay_rate is set and not (lr_sched in [constant_lr]) "unused"`,
      `  type default { max_len = 20 * 2 - 1 }`,
      `}`,
    );
  }
  return out.slice(0, lines).join("\n") + "\n";
}

export interface ParseThroughput {
  readonly bytes: number;
  /** Median wall-clock time of one parse. */
  readonly ms: number;
  readonly mbPerSec: number;
  readonly lines: number;
  /** Median process CPU time of one parse: close to the wall time of an idle machine when the host is loaded. */
  readonly cpuMs: number;
}

/** Median of `runs` timed parses after one warm-up parse (which also builds the parser). */
export function measureParseThroughput(runs = 5): ParseThroughput {
  const text = generateSource();
  // The last line may cut a declaration; close it so the file is valid and the measurement covers no error recovery.
  const source = text + "}\n".repeat(Math.max(0, (text.match(/\{/g)?.length ?? 0) - (text.match(/\}/g)?.length ?? 0)));
  const warm = parse(source, "bench.lv");
  if (warm.diagnostics.length) throw new Error(`generated source does not parse: ${warm.diagnostics[0]!.message}`);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parse(source, "bench.lv");
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = median(times);
  const bytes = Buffer.byteLength(source);
  return { bytes, ms, mbPerSec: bytes / 1e6 / (ms / 1000), lines: source.split("\n").length - 1, cpuMs: median(cpu) };
}

/** (d) with the full parser alone (`--full`: parser.ts's CST and toAst.ts, what every file took before fastParser.ts), in a process of its own. */
export function fullParserLine(): string {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--full", "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`parse throughput with the full parser failed:\n${r.stderr}`);
  const p = JSON.parse(r.stdout) as ParseThroughput;
  return `the same with the full parser alone (a CST, then the AST): ${p.mbPerSec.toFixed(2)} MB/s`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--full")) plainParserSwitch.enabled = false;
  const r = measureParseThroughput();
  const cpuRate = r.bytes / 1e6 / (r.cpuMs / 1000);
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else console.log(`parse: ${r.lines} lines, ${(r.bytes / 1e6).toFixed(2)} MB in ${r.ms.toFixed(1)} ms = ${r.mbPerSec.toFixed(2)} MB/s (CPU ${r.cpuMs.toFixed(1)} ms = ${cpuRate.toFixed(2)} MB/s)`);
}
