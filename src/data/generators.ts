// The built-in datasets' generators: the version each writes into its manifest, its parameters with the defaults
// filled in, and the function that prepares it.
import { FASHION_MNIST_GENERATOR_VERSION, fashionMnistParams, prepareFashionMnist, type FashionMnistOptions } from "./fashionMnist.js";
import { DataError } from "../runtime/data/dataError.js";
import type { PrepareWriteOptions } from "./datasetFolder.js";
import type { PreparedDataset } from "./preparedDataset.js";
import { SHAPES_GENERATOR_VERSION, prepareShapes, shapesParams, type ShapesOptions } from "./shapes.js";

export type GeneratorOptions = ShapesOptions & FashionMnistOptions & PrepareWriteOptions;

export interface Generator {
  readonly version: number;
  readonly params: (options: GeneratorOptions) => Record<string, unknown>;
  readonly prepare: (root: string, options: GeneratorOptions) => PreparedDataset;
}

export const GENERATORS: Readonly<Record<string, Generator>> = {
  shapes: { version: SHAPES_GENERATOR_VERSION, params: shapesParams, prepare: prepareShapes },
  "fashion-mnist": { version: FASHION_MNIST_GENERATOR_VERSION, params: fashionMnistParams, prepare: prepareFashionMnist },
};

/** The generator of the built-in dataset `name`; DataError "unsupported" for a name that is none. */
export function generatorOf(name: string): Generator {
  if (!Object.hasOwn(GENERATORS, name)) throw new DataError("unsupported", `unknown built-in dataset "${name}" (known: ${Object.keys(GENERATORS).join(", ")})`);
  return GENERATORS[name]!;
}
