// Named parameters with LAVIS state-dict names. Layers read them through a `Params` lookup so the same forward
// code runs on the trained weights and on the momentum (EMA) copies.
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../train/rng.js";

export type Params = (name: string) => tf.Tensor;

/**
 * What lavisc's `init_std = x` draws instead of a parameter's random LAVIS init: normal(0, x) truncated at ±2x by
 * resampling ("truncNormal"), normal(0, x) untruncated ("normal"), or zeros (a bias PyTorch's default draws at random).
 */
export type InitStdDraw = "truncNormal" | "normal" | "zeros";

/**
 * A parameter's initial values as LAVIS draws them (`init_std` absent), and `initStd`: what `init_std` draws instead
 * (fixed values stay). `truncNormal` is timm's trunc_normal_(std): cutoffs at the ABSOLUTE ±2 (its a=-2, b=2), so at
 * std 0.02 it is effectively untruncated. `uniform` is U(-bound, bound). The schemes of each kind of layer: `init.ts`.
 */
export type Init =
  | { kind: "zeros" }
  | { kind: "ones" }
  | { kind: "constant"; value: number }
  | { kind: "truncNormal"; std: number; initStd: InitStdDraw }
  | { kind: "normal"; std: number; initStd: InitStdDraw }
  | { kind: "uniform"; bound: number; initStd: InitStdDraw };

/** A Linear layer's weight and bias inits. */
export interface LinearInit {
  readonly weight: Init;
  readonly bias: Init;
}

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

  /**
   * `initStd`: lavisc's `init_std` (null = LAVIS's inits): every random init draws its `Init.initStd` at that std
   * instead (LAVIS's 0.02 gives a long symmetric plateau when training small models from scratch).
   */
  constructor(private readonly rng: Rng, readonly trainable = true, private readonly initStd: number | null = null) {}

  add(name: string, shape: number[], init: Init): tf.Variable {
    if (this.vars.has(name)) throw new Error(`bug: parameter ${name} declared twice`);
    const size = shape.reduce((p, x) => p * x, 1);
    const data = new Float32Array(size);
    const value = drawRandomInit ? sampler(init, this.initStd, this.rng) : fixedValue(init);
    if (typeof value === "number") data.fill(value);
    else for (let i = 0; i < size; i++) data[i] = value();
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

/** The value every element of a fixed init takes (0 for a random one: a model built without drawing). */
function fixedValue(init: Init): number {
  return init.kind === "ones" ? 1 : init.kind === "constant" ? init.value : 0;
}

/** One element's draw of `init` (or its fixed value), at lavisc's `init_std` when it is set. */
function sampler(init: Init, initStd: number | null, rng: Rng): number | (() => number) {
  if (init.kind === "zeros" || init.kind === "ones" || init.kind === "constant") return fixedValue(init);
  if (initStd !== null) {
    if (init.initStd === "zeros") return 0;
    if (init.initStd === "truncNormal") return () => rng.truncNormal(initStd);
    return () => rng.normal() * initStd;
  }
  if (init.kind === "truncNormal") return () => rng.truncNormalWithin(init.std, -2, 2);
  if (init.kind === "normal") return () => rng.normal() * init.std;
  const bound = init.bound;
  return () => rng.uniform(bound);
}

/** Declares the weights of a Linear layer in PyTorch layout ([out, in]). */
export function declareLinear(store: ParamStore, name: string, inDim: number, outDim: number, init: LinearInit): void {
  store.add(`${name}.weight`, [outDim, inDim], init.weight);
  store.add(`${name}.bias`, [outDim], init.bias);
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
