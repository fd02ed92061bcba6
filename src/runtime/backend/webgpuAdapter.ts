// Finding a WebGPU adapter for Node through Dawn (the `webgpu` package: Dawn's Node binding, prebuilt). Hardware
// first, through the platform's native API (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows); on Linux then
// OpenGL ES in WebGPU's compatibility mode, which is how Mesa's drivers, the software llvmpipe included, give Dawn an
// adapter (EGL without a display: EGL_PLATFORM=surfaceless, set here when the user has not set it). That last search
// runs in a child process (adapterProbeProcess.ts: Dawn's warnings about it would otherwise reach the user's terminal
// on every `run` and `plan`), and the adapter is created here only when a run uses it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { probeAdapterInChild, type ChildProbe } from "./adapterProbeProcess.js";

/** What the run log and `plan` say about an adapter. */
export interface AdapterSummary {
  /** e.g. "NVIDIA GeForce RTX 4090" or "llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)". */
  readonly name: string;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader, WARP): used only when `webgpu` is asked for. */
  readonly software: boolean;
  /** The native API Dawn drives: vulkan, metal, d3d12 or opengles. */
  readonly api: string;
}

export interface FoundAdapter extends AdapterSummary {
  /** The GPUAdapter and the Dawn instance it came from (which must stay referenced while it is used). */
  readonly adapter: GpuAdapterLike;
  readonly instance: unknown;
  /** Dawn's globals (GPUBufferUsage, GPUMapMode, ...) that tfjs's WebGPU backend reads from globalThis. */
  readonly globals: Record<string, unknown>;
}

export interface GpuAdapterLike {
  readonly info: { readonly vendor?: string; readonly architecture?: string; readonly device?: string; readonly description?: string; readonly isFallbackAdapter?: boolean };
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  requestDevice(descriptor?: unknown): Promise<unknown>;
}

interface DawnModule {
  create(options: string[]): { requestAdapter(options?: unknown): Promise<GpuAdapterLike | null> };
  globals: Record<string, unknown>;
}

/** An adapter the search found: what it is, and how a run gets it in this process (created on the first call). */
export interface ProbedAdapter extends AdapterSummary {
  open(): Promise<FoundAdapter | null>;
}

export type AdapterSearch = { readonly found: ProbedAdapter[]; readonly problems: string[] };

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render|\bwarp\b/i;
const ADAPTER_TIMEOUT_MS = 15_000;

let cached: Promise<AdapterSearch> | null = null;
/** Whether the search's child process keeps this process running (off for a search started ahead of need). */
let waitedFor = true;
let openGlProbe: ChildProbe | null = null;

/** Every adapter Dawn offers here (hardware first), and why an API gave none. Probed once per process. */
export function findWebGpuAdapters(): Promise<AdapterSearch> {
  if (!waitedFor) openGlProbe?.keepAlive(true);
  waitedFor = true;
  cached ??= search();
  return cached;
}

/**
 * Starts the search ahead of need: until someone asks for its answer (findWebGpuAdapters), the process does not wait
 * for it, so a command that ends without it (an experiment with errors, a wasm device) is not held up.
 */
export function startWebGpuAdapterSearch(): void {
  if (cached) return;
  waitedFor = false;
  cached = search();
  cached.catch(() => undefined);
}

/** The adapter a run uses: the first hardware one, else (only when `allowSoftware`) a software one. */
export async function pickAdapter(allowSoftware: boolean): Promise<{ adapter: FoundAdapter | null; search: AdapterSearch }> {
  const s = await findWebGpuAdapters();
  const chosen = s.found.find((a) => !a.software) ?? (allowSoftware ? s.found.find((a) => a.software) ?? null : null);
  return { adapter: chosen ? await chosen.open() : null, search: s };
}

async function search(): Promise<AdapterSearch> {
  const problems: string[] = [];
  // Dawn is loaded in this process only to ask the native API or to open an adapter (the OpenGL ES search asks a child).
  let loaded: Promise<DawnModule> | undefined;
  const dawn = () => (loaded ??= import("webgpu") as unknown as Promise<DawnModule>);
  const found: ProbedAdapter[] = [];
  const native = nativeApi();
  if (native?.missing) problems.push(`${native.api}: ${native.missing}`);
  else if (native) {
    let module: DawnModule;
    try {
      module = await dawn();
    } catch (e) {
      return { found: [], problems: [`the webgpu package (Dawn) did not load: ${firstLine(e)}`] };
    }
    const a = await tryApi(module, native.api, {}, problems);
    if (a) found.push({ name: a.name, software: a.software, api: a.api, open: async () => a });
  }
  // OpenGL ES only when the native API gave no hardware adapter (a machine with a working GPU driver needs no more).
  if (process.platform === "linux" && !found.some((f) => !f.software)) {
    process.env["EGL_PLATFORM"] ??= "surfaceless";
    const a = await probeOpenGl(dawn, problems);
    if (a && !found.some((f) => f.name === a.name)) found.push(a);
  }
  found.sort((a, b) => Number(a.software) - Number(b.software));
  return { found, problems };
}

/** The OpenGL ES adapter as a child process sees it; created in this process by `open`, once. */
async function probeOpenGl(dawn: () => Promise<DawnModule>, problems: string[]): Promise<ProbedAdapter | null> {
  const request = { powerPreference: "high-performance", featureLevel: "compatibility" };
  const probe = (openGlProbe = probeAdapterInChild("opengles", request, ADAPTER_TIMEOUT_MS));
  probe.keepAlive(waitedFor);
  const answer = await probe.answer;
  if ("problem" in answer) {
    problems.push(`opengles: ${answer.problem}`);
    return null;
  }
  if ("none" in answer) {
    problems.push("opengles: Dawn found no adapter");
    return null;
  }
  let opened: Promise<FoundAdapter | null> | undefined;
  const open = async () => tryApi(await dawn(), "opengles", { featureLevel: "compatibility" }, []);
  return { ...summaryOf(answer.info, "opengles"), open: () => (opened ??= open().catch(() => null)) };
}

function summaryOf(info: GpuAdapterLike["info"], api: string): AdapterSummary {
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ");
  return { name: adapterName(info), software: !!info.isFallbackAdapter || SOFTWARE.test(text), api };
}

async function tryApi(dawn: DawnModule, api: string, request: Record<string, unknown>, problems: string[]): Promise<FoundAdapter | null> {
  try {
    const instance = dawn.create([`backend=${api}`]);
    const adapter = await withTimeout(instance.requestAdapter({ powerPreference: "high-performance", ...request }), ADAPTER_TIMEOUT_MS);
    if (!adapter) {
      problems.push(`${api}: Dawn found no adapter`);
      return null;
    }
    return { adapter, instance, globals: dawn.globals, ...summaryOf(adapter.info, api) };
  } catch (e) {
    problems.push(`${api}: ${firstLine(e)}`);
    return null;
  }
}

/** "llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)" from Dawn's `device` "llvmpipe-llvm-15-0-6-256-bits-" and its description. */
export function adapterName(info: GpuAdapterLike["info"]): string {
  const device = (info.device ?? "").replace(/-+$/, "");
  const description = (info.description ?? "").replace(/^OpenGL version /, "");
  const short = /^(llvmpipe|lavapipe|softpipe)/i.exec(device)?.[1] ?? device;
  const parts = [short, description && description !== short ? description : ""].filter(Boolean);
  const name = parts.length === 2 ? `${parts[0]} (${parts[1]})` : parts[0] ?? "";
  return name || [info.vendor, info.architecture].filter(Boolean).join(" ") || "unnamed adapter";
}

/** The platform's native WebGPU API and, when it cannot load, why (Dawn would only print a warning). */
function nativeApi(): { api: string; missing: string | null } | null {
  if (process.platform === "darwin") return { api: "metal", missing: null };
  if (process.platform === "win32") return { api: "d3d12", missing: null };
  if (process.platform !== "linux") return null;
  const dirs = [...(process.env["LD_LIBRARY_PATH"] ?? "").split(":").filter(Boolean), "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64", "/usr/local/lib"];
  const loader = dirs.some((d) => existsSync(join(d, "libvulkan.so.1")));
  return { api: "vulkan", missing: loader ? null : "the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: libvulkan1, plus the GPU's Vulkan driver)" };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}
