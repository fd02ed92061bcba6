import type { RuleContext } from "../context.js";
import { modelKeys, datasetKeys, recipeKeys } from "./knownKeys.js";
import { processorSlots } from "./processorSlots.js";

// The sections of the experiment and the keys each accepts, for LV2001's "misplaced" hint. LAVIS hands each section to
// its own reader (Config.model_cfg / run_cfg in lavis/common/config.py): BaseTask.build_model (lavis/tasks/base_task.py)
// gives `model` to the arch's `from_config`, which reads `queue_size` and `max_txt_len` there
// (BlipRetrieval.from_config, lavis/models/blip_models/blip_retrieval.py), and nothing reads them from `run`. So a key
// of another section is a key in the wrong place, to move, never a misspelling to rename into a setting of this one.

export interface KeySection {
  /** The section's path in LAVIS's names (`run`, `model`, `datasets.coco`, `datasets.coco.vis_processor.train`). */
  readonly path: readonly string[];
  readonly keys: ReadonlySet<string>;
  /** What the section is, in words: "the model (`blip_retrieval`)", "processor `blip_image_eval`". */
  readonly what: string;
  /** Where to write a key of it, in the file's syntax: "`recipe`" in a `.lv`, "`run`" in YAML. */
  readonly where: string;
}

/** Each section of the experiment whose keys the stdlib knows: the recipe, the model, each dataset and processor. */
export function keySections(ctx: RuleContext): readonly KeySection[] {
  let sections = sectionsOf.get(ctx);
  if (!sections) sectionsOf.set(ctx, (sections = findSections(ctx)));
  return sections;
}

/** Several rules' keys are checked against the same tree (the rules read it, never change it). */
const sectionsOf = new WeakMap<RuleContext, readonly KeySection[]>();

function findSections(ctx: RuleContext): KeySection[] {
  const reg = ctx.registry, lv = ctx.resolved.input.format === "lv";
  const out: KeySection[] = [{ path: ["run"], keys: recipeKeys(reg), what: lv ? "the recipe" : "`run`", where: lv ? "`recipe`" : "`run`" }];
  const archName = ctx.at(["model", "arch"]);
  const arch = archName?.kind === "scalar" ? reg.archs.get(String(archName.value)) : undefined;
  if (arch) out.push({ path: ["model"], keys: modelKeys(reg, arch), what: `the model (\`${arch.name}\`)`, where: "`model`" });
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") {
    for (const name of datasets.entries.keys()) {
      const builder = reg.builders.get(name);
      if (builder) out.push({ path: ["datasets", name], keys: datasetKeys(reg, builder), what: `dataset \`${name}\``, where: lv ? `\`data ${name}\`` : `\`datasets.${name}\`` });
    }
  }
  for (const { path, proc } of processorSlots(ctx)) {
    // A project's `preprocess` is the model default file's (Config.build_model_config in lavis/common/config.py merges
    // the whole file), which only load_model_and_preprocess reads, never the runner: no place for a project's key.
    if (path[0] === "preprocess" && ctx.resolved.input.role !== "model-defaults") continue;
    const pname = proc.kind === "map" ? proc.entries.get("name") : undefined;
    const p = pname?.kind === "scalar" ? reg.processors.get(String(pname.value)) : undefined;
    if (p) out.push({ path, keys: new Set(p.schema.fields.keys()), what: `processor \`${p.name}\``, where: slotPlace(path, lv) });
  }
  return out;
}

/** A processor slot as the file writes it: `vis_processor.train` of `data coco` (`.lv`), `datasets.coco.vis_processor.train`. */
function slotPlace(path: readonly string[], lv: boolean): string {
  if (!lv || path[0] !== "datasets") return `\`${path.join(".")}\``;
  return `\`${path.slice(2).join(".")}\` of \`data ${path[1]}\``;
}

/** The most places a misplaced key's hint names. */
const MOST_PLACES = 4;

/**
 * "`queue_size` is a key of the model (`blip_retrieval`), not of the recipe: move it into `model`." for a key the
 * section at `path` does not accept and another section of the experiment does; null when none does.
 */
export function misplacedKeyHint(ctx: RuleContext, key: string, path: readonly string[]): string | null {
  const sections = keySections(ctx);
  const here = sections.find((s) => samePath(s.path, path));
  const owners = sections.filter((s) => s !== here && s.keys.has(key)).slice(0, MOST_PLACES);
  if (!owners.length) return null;
  const notHere = here ? `, not of ${here.what}` : "";
  return `\`${key}\` is a key of ${list(owners.map((o) => o.what), "and")}${notHere}: move it into ${list(owners.map((o) => o.where), "or")}.`;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function list(items: readonly string[], word: string): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}`;
}
