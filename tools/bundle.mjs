// Build step: the CLI as one script, dist/bundle/lavisc.cjs (a CommonJS module wrapped in a function expression), plus a V8 code cache of it (lavisc.cjs.cache), which
// bin/lavisc.cjs loads with `vm.Script`. A cold `lavisc check` then compiles nothing and resolves no modules: lavisc's
// own modules, chevrotain's single-file bundle and commander are in the script; packages a command loads only when it
// needs them (TensorFlow.js, sharp, the language server) stay external, loaded by `require` when first used.
// Measured in bench/README.md ("Cold start").
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bundle/`;
const outfile = `${outdir}lavisc.cjs`;

/** chevrotain's single-file bundle, imported statically (src/syntax/chevrotainModule.ts explains the file). */
const chevrotainFile = fileURLToPath(new URL("../chevrotain.mjs", import.meta.resolve("chevrotain")));
const staticChevrotain = {
  name: "static-chevrotain",
  setup(b) {
    b.onLoad({ filter: /[\\/]syntax[\\/]chevrotainModule\.js$/ }, () => ({
      contents: `import * as chevrotain from ${JSON.stringify(chevrotainFile)};\nexport const chevrotainModule = chevrotain;\n`,
      loader: "js",
    }));
    b.onLoad({ filter: /[\\/]chevrotain[\\/]lib[\\/]chevrotain\.mjs$/ }, async (args) => ({
      contents: computedCharCodeIndex(await readFile(args.path, "utf8")),
      loader: "js",
    }));
  },
};

/**
 * chevrotain's lexer fills a 65,536-entry table at start-up whose entry i is `i > 255 ? 255 + ~~(i / 255) : i`
 * (5-7 ms of a cold `.lv` command, in the interpreter); here the lookup computes that expression instead, which is
 * the same number for every char code. Another chevrotain version without this code is bundled as it is.
 */
function computedCharCodeIndex(text) {
  const lookup = "return charCode < minOptimizationVal ? charCode : charCodeToOptimizedIdxMap[charCode];";
  const fill = "if (isEmpty_default(charCodeToOptimizedIdxMap)) {";
  if (!text.includes(lookup) || !text.includes(fill)) return text;
  return text
    .replace(lookup, "return charCode < minOptimizationVal ? charCode : 255 + ~~(charCode / 255);")
    .replace(fill, "if (false) {");
}

/**
 * commander loads `node:child_process` (and with it net, streams, ...) at start-up, for executable subcommands that
 * lavisc does not have; here it is loaded on first use instead. Everything else in commander is unchanged.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) return undefined; // another commander version: bundle it as it is
      return { contents: text.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: "js" };
    });
  },
};

/**
 * The `.lv` parser (chevrotain and the token and grammar definitions, ~20 ms of start-up) is needed only for `.lv`
 * files, `--set` and a stale stdlib image: in the bundle, `import { parse } from ".../syntax/parse.js"` outside
 * src/syntax becomes a function that loads the syntax modules on its first call, so a YAML check never loads them.
 * (Everything outside src/syntax imports only the functions `parse` and `parseExpression` from it.)
 */
function lazySyntaxImports(text, path) {
  if (/[\\/]dist[\\/]src[\\/]syntax[\\/]/.test(path)) return text;
  const imports = /^import \{ ([\w, ]+) \} from "((?:\.\.\/)+syntax\/(?:index|parse)\.js)";$/gm;
  return text.replace(imports, (_, names, spec) => names.split(",").map((n) => n.trim())
    .map((n) => `const ${n} = (...args) => require(${JSON.stringify(spec)}).${n}(...args);`).join("\n"));
}

/**
 * The `yaml` package (the YAML reader's fallback for files outside the fast reader's subset, and `migrate`) is loaded
 * where it is first needed, with `createRequire(import.meta.url)("yaml")`, so that a check of a well-formed LAVIS YAML
 * never runs it. From node_modules that load took 35-45 ms (resolving and compiling ~50 files) in every command that
 * reads one broken or unusual YAML file. In the bundle the call becomes `require("yaml")`, which esbuild bundles as a
 * module that runs on that first call: no module resolution, no files to read. (The code caches grow by 20 kB, 2.7%;
 * a separate script for `yaml` with its own code cache was measured too: no faster.)
 */
function bundledYamlRequire(text) {
  return text.replace(/createRequire\(import\.meta\.url\)\("yaml"\)/g, 'require("yaml")');
}

/** lavisc's compiled modules, with the rewrites above. */
const rewriteModules = {
  name: "rewrite-modules",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const contents = bundledYamlRequire(lazySyntaxImports(text, args.path));
      return contents === text ? undefined : { contents, loader: "js" };
    });
  },
};

/** A built-in module loaded when first used: every property read, `in`, and key listing goes to the real module. */
const LAZY_BUILTIN_FUNCTION = `function __lavisc_lazy_builtin(id) {
  let real;
  const load = () => (real ??= require(id));
  return new Proxy({}, {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    },
  });
}`;

rmSync(outdir, { recursive: true, force: true });
try {
  const result = await build({
    entryPoints: [`${root}dist/src/cli/entry.js`],
    outfile,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    // `webgpu` loads its native dawn.node next to its own file, so it must stay in node_modules (an ES module: the
    // bundle's require of it needs Node 20.19 or newer, which loads ES modules through require).
    external: ["@tensorflow/*", "sharp", "vscode-languageserver", "vscode-languageserver/*", "vscode-languageserver-textdocument", "webgpu"],
    define: { "import.meta.url": "__lavisc_module_url" },
    // A function expression that bin/lavisc.cjs compiles with vm.Script and calls like a CommonJS module wrapper
    // (wrapping it there would copy the 1 MB source into a second string on every start).
    banner: { js: '(function (exports, require, module, __filename, __dirname) {\n"use strict";\nvar __lavisc_module_url = require("node:url").pathToFileURL(__filename).href;\n' + LAZY_BUILTIN_FUNCTION },
    footer: { js: "\n})" },
    plugins: [staticChevrotain, lazyChildProcess, rewriteModules],
    // `import("pkg")` of an external package becomes `require("pkg")`: Node 20 loses a vm.Script's dynamic-import
    // callback when the script comes from another process's code cache ("A dynamic import callback was not
    // specified"), and every package lavisc loads on demand (TensorFlow.js, sharp, ...) is CommonJS.
    supported: { "dynamic-import": false },
    // Whitespace and comments out: a third less to read and hash at every start. Names stay, so stack traces (with
    // --debug) still name functions; LAVISC_NO_BUNDLE=1 runs the compiled modules for line numbers.
    minifyWhitespace: true,
    legalComments: "none",
    logLevel: "warning",
    metafile: !!process.env.LAVISC_BUNDLE_META,
  });
  // What the bundle is made of (for a size analysis, e.g. with esbuild's analyzer): LAVISC_BUNDLE_META=out.json.
  if (process.env.LAVISC_BUNDLE_META) writeFileSync(process.env.LAVISC_BUNDLE_META, JSON.stringify(result.metafile));
} catch (e) {
  // Without the bundle, bin/lavisc.cjs runs the plain compiled modules: slower to start, same behaviour.
  rmSync(outdir, { recursive: true, force: true });
  console.warn(`lavisc: bundling skipped (${e instanceof Error ? e.message.split("\n")[0] : e}); the CLI uses dist/src.`);
  process.exit(0);
}

// Node built-ins that only some commands use (hashing, streams, compression, threads, child processes, terminals) load on first
// use: their `require` in a module's initializer becomes an object that requires the built-in when a property is first
// read (esbuild reads every named import as a property of that object, `(0, import_node_crypto.createHash)(...)`). A
// cold `lavisc check` then loads none of them (crypto alone took 6 ms of it).
const LAZY_BUILTINS = ["crypto", "child_process", "fs/promises", "stream", "stream/promises", "tty", "zlib", "worker_threads", "v8"];
const eagerBuiltin = new RegExp(`\\b([\\w$]+)=require\\("node:(${LAZY_BUILTINS.join("|")})"\\)`, "g");
const bundled = readFileSync(outfile, "latin1");
writeFileSync(outfile, bundled.replace(eagerBuiltin, (_, name, id) => `${name}=__lavisc_lazy_builtin("node:${id}")`), "latin1");

// bin/lavisc.cjs reads the bundle as Latin-1 (a plain byte copy; UTF-8 decoding took several times longer), which is
// right only for ASCII. esbuild escapes non-ASCII characters in code, and comments are gone: check, to be sure.
if (/[^\x00-\x7f]/.test(readFileSync(outfile, "latin1"))) {
  rmSync(outdir, { recursive: true, force: true });
  console.warn("lavisc: the bundle is not ASCII, so it is not used; the CLI uses dist/src.");
  process.exit(0);
}

// The code caches (bin/lavisc.cjs picks one by the command line): run the bundled CLI on a YAML experiment, then on
// a YAML and a .lv one, and keep what V8 compiled each time (functions compiled during a run are in its cache, so the
// next process neither parses nor compiles them).
const warmUps = [
  { cache: `${outfile}.cache`, files: [`${root}test/cases/interop/blip_caption_coco_ft.yaml`] },
  { cache: `${outfile}.lv.cache`, files: [`${root}test/cases/interop/blip_caption_coco_ft.yaml`, `${root}bench/fixtures/caption_coco_ft.lv`] },
];
for (const { cache, files } of warmUps) {
  const warm = spawnSync(process.execPath, [`${root}bin/lavisc.cjs`, "check", ...files], { env: { ...process.env, LAVISC_WRITE_CODE_CACHE: "1" }, encoding: "utf8" });
  if (warm.status !== 0 && warm.status !== 1) {
    console.warn(`lavisc: code cache not written (the warm-up run exited ${warm.status}): ${warm.stderr.slice(0, 500)}`);
    rmSync(cache, { force: true });
  }
}
