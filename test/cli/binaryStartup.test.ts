import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";

// The binary's cold start (issue 14, bench/README.md): the bundle loads Node built-ins that only some commands use
// (hashing, streams, compression, threads, child processes, terminals) when first used. These tests run the real binary with a
// preload that lists the built-ins the process loaded, so they see what a user's `lavisc` does; they time nothing.

const BIN = fromRoot("bin", "lavisc.cjs");
const YAML = fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml");

/** Runs the binary; `loaded` is every Node built-in module the process loaded after start-up. */
function runBinary(args: string[], dir: string): { status: number | null; stdout: string; stderr: string; loaded: Set<string> } {
  const preload = join(dir, "list-builtins.cjs");
  writeFileSync(preload, `const before = new Set(process.moduleLoadList);
process.on("exit", () => require("node:fs").writeSync(2, "\\nLOADED " + process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith("NativeModule ")).map((m) => m.slice(13)).join(" ") + "\\n"));
`);
  const r = spawnSync(process.execPath, ["-r", preload, BIN, ...args], { cwd: dir, encoding: "utf8" });
  const line = r.stderr.split("\n").find((l) => l.startsWith("LOADED ")) ?? "LOADED ";
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded: new Set(line.slice(7).split(" ").filter(Boolean)) };
}

function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-startup-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the build made the bundle the binary runs, newer than the compiled modules", () => {
  const bundle = fromRoot("dist", "bundle", "lavisc.cjs");
  assert.ok(existsSync(bundle), "npm run build writes dist/bundle/lavisc.cjs");
  // Older than the modules (tsc ran after the last build), the binary runs the modules and these tests see those.
  assert.ok(statSync(bundle).mtimeMs >= statSync(fromRoot("dist", "src", "cli", "entry.js")).mtimeMs, "stale bundle: run npm run build");
  // Two code caches: a YAML check's, and one with the .lv parser (bin/lavisc.cjs picks by the command line).
  const yamlCache = statSync(`${bundle}.cache`).size;
  const lvCache = statSync(`${bundle}.lv.cache`).size;
  assert.ok(yamlCache > 0 && lvCache > yamlCache, `caches of ${yamlCache} and ${lvCache} bytes`);
});

test("a run under other V8 flags does not replace the build's code cache", () => {
  const cache = `${fromRoot("dist", "bundle", "lavisc.cjs")}.cache`;
  const before = readFileSync(cache);
  // A heap limit changes V8's flag hash, so the cache is rejected: the run works without it and leaves it as it was.
  const r = spawnSync(process.execPath, ["--max-old-space-size=300", BIN, "check", YAML], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /no problems/);
  assert.ok(readFileSync(cache).equals(before), "the code cache was rewritten by a run with other flags");
});

test("a YAML check loads no built-in it does not use (crypto, zlib, threads, processes, streams, sockets, terminals)", () => {
  inTempDir((dir) => {
    const r = runBinary(["check", YAML], dir);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /no problems/);
    // Its one line goes out with fs.writeSync (src/cli/directOutput.ts): process.stdout would load stream and net.
    for (const unused of ["crypto", "zlib", "worker_threads", "child_process", "fs/promises", "stream", "net", "tty"]) {
      assert.not.ok(r.loaded.has(unused), `${unused} loaded by a YAML check: ${[...r.loaded].join(" ")}`);
    }
  });
});

test("a command that compresses loads zlib on first use, through the bundle", () => {
  inTempDir((dir) => {
    const r = runBinary(["data", "prepare", "shapes", "--root", join(dir, "data")], dir);
    assert.is(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, "data", "shapes")), r.stdout);
    assert.ok(r.loaded.has("zlib"), `zlib not loaded: ${[...r.loaded].join(" ")}`);
  });
});

test("`plan` decides the device without loading TensorFlow.js (it probes packages and WebGPU adapters only)", () => {
  inTempDir((dir) => {
    const preload = join(dir, "list-tfjs-requires.cjs");
    writeFileSync(preload, `const M = require("node:module"); const load = M._load; const seen = [];
M._load = function (request, ...rest) { if (String(request).startsWith("@tensorflow/")) seen.push(request); return load.call(this, request, ...rest); };
process.on("exit", () => require("node:fs").writeSync(2, "\\nTFJS_REQUIRES " + seen.length + " " + seen.join(" ") + "\\n"));
`);
    const r = spawnSync(process.execPath, ["-r", preload, BIN, "plan", fromRoot("projects", "quickstart", "retrieval_shapes.lv")], { cwd: dir, encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /\ndevice\n/);
    assert.match(r.stderr, /TFJS_REQUIRES 0 \n/);
  });
});

test("a YAML file only the `yaml` package reads runs the copy in the bundle, not the one in node_modules", () => {
  inTempDir((dir) => {
    // A preload that lists every `require("yaml")` resolved through Node's module loader.
    const preload = join(dir, "list-yaml-requires.cjs");
    writeFileSync(preload, `const M = require("node:module"); const load = M._load; let n = 0;
M._load = function (request, ...rest) { if (request === "yaml") n++; return load.call(this, request, ...rest); };
process.on("exit", () => require("node:fs").writeSync(2, "\\nYAML_REQUIRES " + n + "\\n"));
`);
    writeFileSync(join(dir, "anchored.yaml"), "model:\n  arch: blip_caption\n  model_type: base_coco\nrun:\n  task: captioning\n  a: &d\n    x: 1\n  b:\n    <<: *d\n");
    writeFileSync(join(dir, "broken.yaml"), "model:\n  arch: blip_caption\n   model_type: base_coco\n");
    for (const file of ["anchored.yaml", "broken.yaml"]) {
      const bundled = spawnSync(process.execPath, ["-r", preload, BIN, "check", file, "--format", "json"], { cwd: dir, encoding: "utf8" });
      const modules = spawnSync(process.execPath, [BIN, "check", file, "--format", "json"], { cwd: dir, encoding: "utf8", env: { ...process.env, LAVISC_NO_BUNDLE: "1" } });
      assert.match(bundled.stderr, /YAML_REQUIRES 0\n/, `${file}: yaml came from node_modules`);
      assert.match(bundled.stdout, file === "broken.yaml" ? /LV1008/ : /Unknown key `b` in `run`/, bundled.stdout);
      assert.is(bundled.stdout, modules.stdout, file);
      assert.is(bundled.status, modules.status, file);
    }
  });
});

test("the bundle (chevrotain patched at build time, code caches) reports what the plain modules report, non-ASCII input included", () => {
  inTempDir((dir) => {
    writeFileSync(join(dir, "unicode.lv"), [
      "/// Ünïcødé in a doc comment ☃",
      "experiment caption extends blip.caption_coco_ft {",
      '  recipe { output_dir = "output/légende ☃" }',
      "  recipe { init_lr = 1e-5 € }",
      "}",
      "",
    ].join("\n"));
    const args = ["check", fromRoot("test", "cases", "hostile"), join(dir, "unicode.lv"), "--format", "json"];
    const bundled = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8" });
    const modules = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, LAVISC_NO_BUNDLE: "1" } });
    assert.is(bundled.status, 1, bundled.stderr);
    assert.match(bundled.stdout, /unicode\.lv/);
    assert.is(bundled.stdout, modules.stdout);
    assert.is(bundled.status, modules.status);
  });
});

test.run();
