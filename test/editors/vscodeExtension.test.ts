import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fromRoot } from "../harness/repoRoot.js";

// The VS Code extension's manifest holds together (packaging it, `npm run package:vscode`, is not part of the suite):
// the files it names exist, the grammar and language are wired to `.lv`, and the client script is valid JavaScript
// that starts `lavisc lsp` for .lv and YAML documents.

const Extension = suite("editors: the VS Code extension's manifest");
const dir = fromRoot("editors", "vscode");
const manifest = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));

Extension("contributes the lavisc language for .lv with its grammar and configuration", () => {
  const lang = manifest.contributes.languages.find((l: { id: string }) => l.id === "lavisc");
  assert.equal(lang.extensions, [".lv"]);
  assert.ok(existsSync(`${dir}/${lang.configuration}`));
  const grammar = manifest.contributes.grammars.find((g: { language: string }) => g.language === "lavisc");
  assert.ok(existsSync(`${dir}/${grammar.path}`));
  assert.is(JSON.parse(readFileSync(`${dir}/${grammar.path}`, "utf8")).scopeName, grammar.scopeName);
  const config = JSON.parse(readFileSync(`${dir}/${lang.configuration}`, "utf8"));
  assert.equal(config.comments, { lineComment: "//", blockComment: ["/*", "*/"] });
});

Extension("the client is valid JavaScript, starts `lavisc lsp` and registers the YAML schema", () => {
  assert.ok(existsSync(`${dir}/${manifest.main}`));
  const check = spawnSync(process.execPath, ["--check", `${dir}/${manifest.main}`], { encoding: "utf8" });
  assert.is(check.status, 0, check.stderr);
  const source = readFileSync(`${dir}/${manifest.main}`, "utf8");
  assert.match(source, /args: \[\.\.\.lavisc\.args, "lsp"\]/);
  assert.match(source, /registerContributor\(/);
  assert.match(source, /language: "yaml"/);
  assert.ok(manifest.activationEvents.includes("onLanguage:lavisc") && manifest.activationEvents.includes("onLanguage:yaml"));
  assert.ok(manifest.devDependencies["@vscode/vsce"], "vsce is the extension folder's own dev dependency");
  assert.ok(existsSync(`${dir}/package-lock.json`), "the extension folder installs with npm ci");
});

Extension.run();
