// Asking Dawn for an adapter in a child process, for the searches whose answer a run usually does not use.
//
// Creating an OpenGL ES adapter makes Dawn write warnings to the process's stderr ("maxDynamicUniformBuffers...
// artificially reduced ..." on Mesa's drivers, llvmpipe included), from native code that JavaScript cannot silence.
// `auto` looks for that adapter only to say that it found a software one, which it never uses; `plan` only reports
// it. So the search asks in a child process, whose stderr is read here and dropped, and the adapter is created in
// this process only when a run uses it (`device webgpu` on llvmpipe, or a hardware adapter Dawn drives through GL).
import { execFile, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { packageEntry } from "./packages.js";
import type { GpuAdapterLike } from "./webgpuAdapter.js";

/** What the child prints: the adapter's info, null when Dawn found none, or why it failed. */
export type ChildAnswer = { readonly info: GpuAdapterLike["info"] } | { readonly none: true } | { readonly problem: string };

/** The child's program (`node -e`): argv[1] the webgpu package's URL, argv[2] the backend, argv[3] the request (JSON). */
const CHILD = `
const [, url, api, request] = process.argv;
const say = (x) => { process.stdout.write(JSON.stringify(x)); process.exit(0); };
import(url).then(async (dawn) => {
  const adapter = await dawn.create(["backend=" + api]).requestAdapter(JSON.parse(request));
  if (!adapter) return say({ none: true });
  const i = adapter.info;
  say({ info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter } });
}).catch((e) => say({ problem: String(e && e.message || e).split("\\n")[0] }));
`;

/** A question to Dawn in a child process: its answer, and whether the child keeps this process running until then. */
export interface ChildProbe {
  readonly answer: Promise<ChildAnswer>;
  /** Off: the process may exit before the answer (the child is then stopped); on: it waits for it. */
  keepAlive(on: boolean): void;
}

/** Dawn's answer for `api` with `request`, asked in a child process (within `timeoutMs`); the child's stderr is dropped. */
export function probeAdapterInChild(api: string, request: Record<string, unknown>, timeoutMs: number): ChildProbe {
  const entry = packageEntry("webgpu");
  if (!entry) return { answer: Promise.resolve({ problem: "the webgpu package (Dawn) is not installed" }), keepAlive: () => undefined };
  const args = ["-e", CHILD, pathToFileURL(entry).href, api, JSON.stringify(request)];
  let child: ChildProcess | undefined;
  let timedOut = false;
  let answered = false;
  const stop = () => child?.kill();
  // Not execFile's `timeout`: its timer cannot be unref'd, and it would hold a process that does not need the answer.
  const timer = setTimeout(() => ((timedOut = true), stop()), timeoutMs);
  const answer = new Promise<ChildAnswer>((resolve) => {
    child = execFile(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 }, (error, stdout) => {
      answered = true;
      clearTimeout(timer);
      process.off("exit", stop);
      try {
        if (stdout.trim()) return resolve(JSON.parse(stdout) as ChildAnswer);
      } catch {
        // not JSON: reported below
      }
      const why = timedOut ? `no answer within ${timeoutMs / 1000} s` : error?.signal ? `the probe process ended with ${error.signal}` : `the probe process exited with ${error?.code ?? "no answer"}`;
      resolve({ problem: why });
    });
  });
  process.on("exit", stop);
  const handles = () => [child, child?.stdout, child?.stderr, timer] as ({ ref(): void; unref(): void } | null | undefined)[];
  // Once answered, the child and its pipes are gone: ref() on a closed pipe would only add a listener per call.
  return { answer, keepAlive: (on) => answered || handles().forEach((h) => (on ? h?.ref() : h?.unref())) };
}
