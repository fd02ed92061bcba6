// One short detail line per node for the diagram renderers.
import type { GraphNode } from "../graph.js";

export const STAGES = ["data", "model", "optimisation", "evaluation", "outputs"] as const;

export function nodeDetail(n: GraphNode): string {
  const a = n.attrs;
  switch (n.kind) {
    case "dataset_source": return `${a["format"]}, ${(a["annotations"] as unknown[]).length} annotation file(s)`;
    case "processor": return `${a["slot"]}.${a["phase"]}${typeof (a["params"] as Record<string, unknown>)["image_size"] === "number" ? `, ${(a["params"] as Record<string, unknown>)["image_size"]}px` : ""}`;
    case "loader": return `batch ${a["batchSize"]}${a["shuffle"] ? ", shuffle, drop_last" : ""}`;
    case "model": return "model";
    case "weights": return String(a["source"]);
    case "loss": return "loss";
    case "optimizer": return `weight_decay ${a["weightDecay"]}`;
    case "lr_schedule": return `init_lr ${a["initLr"]}, ${a["maxEpoch"]} epoch(s)`;
    case "train_step": return `${a["runner"]}, accum ${a["accumGradIters"]}`;
    case "eval_step": return String(a["when"]);
    case "generation": {
      const keys = a["generates"] ? ["num_beams", "max_len", "min_len"] : ["k_test", "inference_method", "max_len"];
      return keys.filter((k) => a[k] !== undefined).map((k) => `${k} ${a[k]}`).join(", ") || "settings";
    }
    case "checkpoint": return String(a["dir"]);
    case "logging": return String(a["file"]);
    case "result_files": return String(a["dir"]);
  }
}
