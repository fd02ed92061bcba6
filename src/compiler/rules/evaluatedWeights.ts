import { diag } from "../../diagnostics/index.js";
import { TFJS_ARCHS, type RunSpec } from "../../runtime/runSpec.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * Whether the run's weights bring their tokenizer vocabulary, as the runtime reads them (runtime/checkpoint's
 * loadCheckpoint): a lavisc checkpoint (`x.json`, or `x` beside it, and `finetuned_from`'s best checkpoint) carries it;
 * a `.safetensors` file or URL is a bare state dict (LAVIS's, converted), which carries none.
 */
function weightsCarryVocabulary(m: RunSpec["model"]): boolean {
  if (m.weightsFrom) return true;
  if (!m.loadWeights) return false;
  return !/^(https?|file):/i.test(m.loadWeights) && !/\.(safetensors|pth|pt|bin)$/i.test(m.loadWeights);
}

/**
 * An evaluation-only run's weights. LV5018 (tfjs engine): no vocabulary to tokenize with (no vocab_file, no lavisc
 * checkpoint, and no training texts to build one from: runtime/train/vocabulary.ts's chooseVocabulary), which `run`
 * stops on. LV5019 (a warning, tfjs engine): it loads no weights at all, so it evaluates a random initialisation.
 * Both only where the tfjs engine is chosen: LAVIS tokenizes with BERT's or its model's own tokenizer, and many of its
 * models load weights in their own code (CLIP: lavis/models/clip_models/model.py, CLIP._build_from_cfg calls
 * create_model(pretrained=cfg.pretrained), which loads OpenAI's weights for "openai"; PNP-VQA's parts; GPT-2 from
 * Hugging Face) whatever load_checkpoint_from_config would pick.
 */
export const evaluatedWeightsRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  const m = run.model;
  // An arch the runtime does not build is LV5016's (tfjsModelData.ts): nothing here would be news.
  if (!run.evaluate || ctx.engine !== "tfjs" || m.weightsByOwnCode || !(TFJS_ARCHS as readonly string[]).includes(m.arch)) return;
  const at = { path: "run.evaluate" };
  if (typeof m.config["vocab_file"] !== "string" && !weightsCarryVocabulary(m)) {
    const why = m.loadWeights ? `its weights ${m.loadWeights} are a state dict, not a lavisc checkpoint, so they carry none` : "it loads no weights";
    ctx.report(diag("LV5018", ctx.spanFor(["run", "evaluate"]), { arch: m.arch, why }, at));
    return;
  }
  if (!m.loadWeights && !m.weightsFrom) ctx.report(diag("LV5019", ctx.spanFor(["run", "evaluate"]), { arch: m.arch }, at));
};
