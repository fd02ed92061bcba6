// Turns a prepared built-in dataset into the runtime's DatasetSpec for one annotation format, so a built-in dataset
// can be trained on without a hand-written build_info.
import { join } from "node:path";
import type { DatasetSpec, ProcessorSpec } from "../runtime/runSpec.js";
import type { PreparedDataset } from "./preparedDataset.js";

export interface BuiltinSpecOptions {
  readonly format: DatasetSpec["format"];
  readonly visProcessor: { readonly train?: ProcessorSpec; readonly eval?: ProcessorSpec };
  readonly textProcessor: { readonly train?: ProcessorSpec; readonly eval?: ProcessorSpec };
  /** Builder name (default `<dataset>_<format>`, e.g. shapes_retrieval). */
  readonly name?: string;
}

export function builtinDatasetSpec(prepared: PreparedDataset, o: BuiltinSpecOptions): DatasetSpec {
  const m = prepared.manifest;
  const name = o.name ?? `${m.name.replace(/-/g, "_")}_${o.format}`;
  const layout = m.annotations[o.format];
  if (!layout) throw new Error(`${m.name} has no ${o.format} annotations`);
  return {
    name, builder: name, type: "default", dataType: "images", format: o.format,
    imageRoot: join(prepared.root, m.images),
    storageRoot: prepared.root,
    splits: Object.entries(layout).map(([split, files]) => ({ split, annotations: files.map((storage) => ({ storage })) })),
    visProcessor: o.visProcessor, textProcessor: o.textProcessor,
  };
}
