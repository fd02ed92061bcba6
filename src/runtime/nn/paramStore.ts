// Named parameters with LAVIS state-dict names. Layers read them through a `Params` lookup so the same forward
// code runs on the trained weights and on the momentum (EMA) copies.
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../train/rng.js";

export type Params = (name: string) => tf.Tensor;

export type Init = { kind: "zeros" } | { kind: "ones" } | { kind: "constant"; value: number } | { kind: "truncNormal"; std: number } | { kind: "normal"; std: number };

let drawRandomInit = true;

/**
 * Builds a model without drawing its random initial weights (they start at zero): for a model whose weights are
 * loaded next, or whose size is only measured. Drawing a base-size BLIP's 224M values takes about 25 s on a CPU.
 */
export function withoutRandomInit<T>(build: () => T): T {
  const before = drawRandomInit;
  drawRandomInit = false;
  try {
    return build();
  } finally {
    drawRandomInit = before;
  }
}

export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();

  /** `initStd` replaces the declared std of random inits (LAVIS's 0.02 gives a long symmetric plateau when training small models from scratch). */
  constructor(private readonly rng: Rng, readonly trainable = true, private readonly initStd: number | null = null) {}

  add(name: string, shape: number[], init: Init): tf.Variable {
    if (this.vars.has(name)) throw new Error(`bug: parameter ${name} declared twice`);
    const size = shape.reduce((p, x) => p * x, 1);
    if (!drawRandomInit && (init.kind === "truncNormal" || init.kind === "normal")) init = { kind: "zeros" };
    const data = new Float32Array(size);
    if (init.kind === "ones") data.fill(1);
    else if (init.kind === "constant") data.fill(init.value);
    else if (init.kind === "truncNormal") for (let i = 0; i < size; i++) data[i] = this.rng.truncNormal(this.initStd ?? init.std);
    else if (init.kind === "normal") for (let i = 0; i < size; i++) data[i] = this.rng.normal() * (this.initStd ?? init.std);
    // tf variable names are global to the engine; ours live in the map so several models can coexist.
    const v = ownedVariable(tf.tensor(data, shape, "float32"), this.trainable);
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`bug: unknown parameter ${name}`);
    return v;
  }

  lookup(prefix = ""): Params {
    return (name: string) => this.get(prefix + name);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** Declares the weights of a Linear layer in PyTorch layout ([out, in]). */
export function declareLinear(store: ParamStore, name: string, inDim: number, outDim: number, std = 0.02, bias = true): void {
  store.add(`${name}.weight`, [outDim, inDim], { kind: "truncNormal", std });
  if (bias) store.add(`${name}.bias`, [outDim], { kind: "zeros" });
}

export function declareLayerNorm(store: ParamStore, name: string, dim: number): void {
  store.add(`${name}.weight`, [dim], { kind: "ones" });
  store.add(`${name}.bias`, [dim], { kind: "zeros" });
}

/** A variable that owns its data: the initial tensor is released (tf.variable keeps its own reference). */
export function ownedVariable(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}

/** Every tensor of `vars` as float32 data, read from the device asynchronously (all reads in flight at once). */
export async function readTensors(vars: ReadonlyMap<string, tf.Tensor>): Promise<Map<string, { dtype: "F32"; shape: number[]; data: Float32Array }>> {
  const entries = [...vars];
  const data = await Promise.all(entries.map(([, v]) => v.data()));
  return new Map(entries.map(([name, v], i) => [name, { dtype: "F32" as const, shape: v.shape, data: Float32Array.from(data[i]!) }]));
}
