// Asking Dawn for an adapter in a child process, for the searches whose answer a run usually does not use.
//
// Creating an OpenGL ES adapter makes Dawn write warnings to the process's stderr ("maxDynamicUniformBuffers...
// artificially reduced ..." on Mesa's drivers, llvmpipe included), from native code that JavaScript cannot silence.
// `auto` looks for that adapter only to say that it found a software one, which it never uses; `plan` only reports
// it. So the search asks in a child process, whose stderr is read here and dropped, and the adapter is created in
// this process only when a run uses it (`device webgpu` on llvmpipe, or a hardware adapter Dawn drives through GL).
import { execFile } from "node:child_process";
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

/** Dawn's answer for `api` with `request`, asked in a child process (within `timeoutMs`); the child's stderr is dropped. */
export function probeAdapterInChild(api: string, request: Record<string, unknown>, timeoutMs: number): Promise<ChildAnswer> {
  const entry = packageEntry("webgpu");
  if (!entry) return Promise.resolve({ problem: "the webgpu package (Dawn) is not installed" });
  const args = ["-e", CHILD, pathToFileURL(entry).href, api, JSON.stringify(request)];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: timeoutMs, encoding: "utf8", maxBuffer: 1 << 20 }, (error, stdout) => {
      try {
        if (stdout.trim()) return resolve(JSON.parse(stdout) as ChildAnswer);
      } catch {
        // not JSON: reported below
      }
      const why = error?.killed ? `no answer within ${timeoutMs / 1000} s` : error?.signal ? `the probe process ended with ${error.signal}` : `the probe process exited with ${error?.code ?? "no answer"}`;
      resolve({ problem: why });
    });
  });
}
