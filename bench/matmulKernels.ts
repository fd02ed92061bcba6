// The wasm backend's matrix products, per call: XNNPACK (tfjs's, after a Transpose where an operand is transposed),
// the routing without the cache-blocked kernel (a transposed weight or gradient product on the plain SIMD kernel of
// simdMatMul.wat within its size bounds, XNNPACK otherwise) and the cache-blocked kernel (simdGemm.wat, the default
// for 2-D products with n a multiple of 8). `node dist/bench/matmulKernels.js`; the
// shapes are those of lavisc's small models and of 768-wide BERT/ViT layers (rows = batch x tokens).
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/runtime/backend/initBackend.js";
import { installWasmKernelFixes, setBlockedGemm, setSimdMatMul } from "../src/runtime/backend/wasmKernelFixes.js";

/** [label, a shape, b shape, transposeA, transposeB] */
type Product = [string, number[], number[], boolean, boolean];

const PRODUCTS: Product[] = [
  ["x·Wᵀ, width 64", [136, 64], [64, 64], false, true],
  ["x·Wᵀ, 64 -> 256", [128, 64], [256, 64], false, true],
  ["x·Wᵀ, 768, 16 rows", [16, 768], [768, 768], false, true],
  ["x·Wᵀ, 768", [280, 768], [768, 768], false, true],
  ["x·Wᵀ, 768 -> 3072", [280, 768], [3072, 768], false, true],
  ["x·Wᵀ, 3072 -> 768", [280, 3072], [768, 3072], false, true],
  ["xᵀ·dy (weight gradient), 768", [280, 768], [280, 768], true, false],
  ["xᵀ·dy, 768 -> 3072", [280, 768], [280, 3072], true, false],
  ["dy·W (input gradient), 3072 -> 768", [280, 3072], [3072, 768], false, false],
  ["x·W, 512 x 768 x 3072", [512, 768], [768, 3072], false, false],
];

type Path = "xnnpack" | "plain" | "blocked";

function use(path: Path): void {
  setSimdMatMul(path !== "xnnpack");
  setBlockedGemm(path === "blocked");
}

/** Median ms of one call, paths taking turns. */
function measure(p: Product): Record<Path, number> {
  const [, sa, sb, tA, tB] = p;
  const a = tf.randomNormal(sa);
  const b = tf.randomNormal(sb);
  const macs = (sa[0]! * sa[1]! * (tB ? sb[0]! : sb[1]!));
  const reps = Math.max(5, Math.min(41, Math.round(3e8 / macs)));
  const times: Record<Path, number[]> = { xnnpack: [], plain: [], blocked: [] };
  for (let r = 0; r <= reps; r++) {
    for (const path of ["xnnpack", "plain", "blocked"] as const) {
      use(path);
      const t = performance.now();
      tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, tA, tB).dispose();
      if (r > 0) times[path].push(performance.now() - t);
    }
  }
  use("blocked");
  tf.dispose([a, b]);
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1]!;
  return { xnnpack: median(times.xnnpack), plain: median(times.plain), blocked: median(times.blocked) };
}

async function main(): Promise<void> {
  const info = await initBackend("wasm");
  if (!info.ok) throw new Error(info.message);
  installWasmKernelFixes();
  console.log("product                                   shapes                       XNNPACK  w/o blocked      blocked    blocked vs XNNPACK, vs w/o");
  for (const p of PRODUCTS) {
    const t = measure(p);
    const shapes = `${p[1].join("x")}${p[3] ? "ᵀ" : ""} · ${p[2].join("x")}${p[4] ? "ᵀ" : ""}`;
    const ms = (x: number) => `${x.toFixed(3)} ms`.padStart(11);
    console.log(`${p[0].padEnd(41)} ${shapes.padEnd(26)} ${ms(t.xnnpack)} ${ms(t.plain)} ${ms(t.blocked)}    ${(t.xnnpack / t.blocked).toFixed(2)}x, ${(t.plain / t.blocked).toFixed(2)}x`);
  }
}

await main();
