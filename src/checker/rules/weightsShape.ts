import { diag } from "../../diagnostics/index.js";
import type * as A from "../../syntax/ast.js";
import { keyText } from "../../syntax/ast.js";
import type { CNode } from "../../semantic/configTree.js";
import type { EntryInfo } from "../../semantic/registry.js";
import type { Rule, RuleContext } from "../context.js";
import { blockOf, keysOf, memberOf, namesOf } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";

type Literal = string | number | boolean;

/**
 * LV4073: a key that sets parameter shapes changed while the model type's own weights are loaded. The stdlib's
 * `weights_shape` (stdlib/contracts_weights.lv) says what the weights of an arch's model types were trained with;
 * BaseModel.load_checkpoint_from_config loads `finetuned` (load_finetuned) or `pretrained` (load_pretrained, the
 * default), and torch's load_state_dict stops with "size mismatch" on a parameter of another shape, strict or not
 * (LAVIS#253, #602: `vit_model: clip_L` kept with ViT-g weights). The language model counts by its hidden size, which
 * the projection into it has (LAVIS#574: another OPT's opt_proj). Weights the experiment names itself are not judged.
 */
export const weightsShapeRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  const entry = arch ? ctx.registry.archs.get(arch) : undefined;
  const shape = blockOf(entry, "weights_shape");
  const weights = loadedWeights(ctx);
  if (!entry || !shape || !weights) return;
  const type = nameAt(ctx, ["model", "model_type"]);
  const widths = languageModelWidths(entry);
  for (const key of [...keysOf(shape), ...(widths ? [widths.key] : [])]) {
    const node = ctx.at(["model", key]);
    if (node?.kind !== "scalar" || !ctx.isUserValue(node) || node.value === null) continue;
    const trained = trainedWith(entry, type, key);
    if (trained === undefined || trained === node.value) continue;
    let detail = "";
    if (key === widths?.key) {
      // A language model matters by its width only (opt_proj, t5_proj); one named otherwise (a local folder) is unknown.
      const [mine, theirs] = [widths.sizes.get(String(node.value)), widths.sizes.get(String(trained))];
      if (mine === undefined || theirs === undefined || mine === theirs) continue;
      detail = ` (hidden size ${mine} against ${theirs})`;
    }
    const others = [...entry.types.keys()].filter((t) => trainedWith(entry, t, key) === node.value);
    ctx.report(diag("LV4073", node.span ?? ctx.spanFor(["model", key]), {
      key, value: show(node.value), which: weights.key, model: type ? `${arch}(${type})` : arch!, trained: show(trained), detail, reports: detail ? "LAVIS#574" : "LAVIS#253, #602",
    }, {
      path: `model.${key}`,
      hint: `${others.length ? `Use a model type whose weights were trained with ${key} ${show(node.value)} (${quoteList(others)}), set` : "Set"} \`model.${weights.key}\` to weights trained with ${key} ${show(node.value)}, or keep ${key} ${show(trained)}.`,
    }));
  }
};

/** The language model key of an arch and the hidden sizes the stdlib knows for its Hugging Face ids. */
function languageModelWidths(entry: EntryInfo): { key: string; sizes: Map<string, number> } | null {
  const lm = blockOf(entry, "language_model");
  const key = lm ? namesOf(memberOf(lm, "key"))?.[0] : undefined;
  const table = memberOf(lm, "widths");
  if (!key || table?.kind !== "Block") return null;
  const sizes = new Map<string, number>();
  for (const m of table.members) if (m.kind === "Assignment" && m.value.kind === "IntLit") sizes.set(keyText(m.key), m.value.value);
  return { key, sizes };
}

/** The weights key LAVIS loads (`finetuned` or `pretrained`), when it is the model type's own, non-empty value. */
function loadedWeights(ctx: RuleContext): { key: "finetuned" | "pretrained"; node: CNode } | null {
  const flag = (k: string) => {
    const n = ctx.at(["model", k]);
    return n?.kind === "scalar" && typeof n.value === "boolean" ? n.value : true;
  };
  const key = flag("load_finetuned") ? "finetuned" : flag("load_pretrained") ? "pretrained" : null;
  const node = key ? ctx.at(["model", key]) : undefined;
  if (!key || node?.kind !== "scalar" || typeof node.value !== "string" || node.value === "" || ctx.isUserValue(node)) return null;
  return { key, node };
}

/** What a model type's weights were trained with for `key`: the type's own value, else the arch's `weights_shape`. */
function trainedWith(entry: EntryInfo, type: string | undefined, key: string): Literal | undefined {
  const own = type ? entry.types.get(type)?.members.find((m): m is A.Assignment => m.kind === "Assignment" && keyText(m.key) === key) : undefined;
  return literal(own?.value ?? null) ?? literal(memberOf(blockOf(entry, "weights_shape"), key));
}

function literal(e: A.Expr | A.Block | null): Literal | undefined {
  if (!e) return undefined;
  if (e.kind === "StringLit" || e.kind === "IntLit" || e.kind === "FloatLit") return e.value;
  if (e.kind === "BoolLit") return e.value;
  return undefined;
}

const show = (v: Literal) => (typeof v === "string" ? JSON.stringify(v) : String(v));
