// The VS Code side of lavisc: starts `lavisc lsp --stdio` for .lv files and LAVIS YAML (everything the editor shows
// comes from the server), and associates lavisc's JSON Schema with LAVIS YAML through the YAML extension
// (redhat.vscode-yaml), when it is installed, so its own completion and validation know LAVIS's keys too.
"use strict";
const { execFile } = require("node:child_process");
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

const SCHEMA_URI = "lavisc://schema/lavis-project.json";

/** LAVIS project YAML has a `model`, `datasets` or `run` section (the server applies the same test). */
const isLavisYaml = (text) => /^(?:model|datasets|run)\s*:/m.test(text);

/** The lavisc command: the setting, else the workspace's own install, else `lavisc` on PATH. */
function laviscCommand() {
  const configured = vscode.workspace.getConfiguration("lavisc").get("path");
  const local = (vscode.workspace.workspaceFolders ?? []).map((f) => join(f.uri.fsPath, "node_modules", ".bin", "lavisc")).find(existsSync);
  const command = configured || local || "lavisc";
  // A .js/.cjs entry (lavisc's bin/lavisc.cjs) runs under the Node.js that runs VS Code's extensions.
  return /\.c?js$/.test(command) ? { command: process.execPath, args: [command], env: { ELECTRON_RUN_AS_NODE: "1" } } : { command, args: [] };
}

/**
 * lavisc's JSON Schema of LAVIS project YAML (`lavisc schema --format json-schema`), fetched once, in the first
 * workspace folder: the schema then has the names a fork's `.lavisc/` registry adds, as `lavisc check` accepts them.
 */
function schemaText(lavisc) {
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return new Promise((resolve, reject) => {
    execFile(lavisc.command, [...lavisc.args, "schema", "--format", "json-schema"], { cwd, env: { ...process.env, ...lavisc.env }, maxBuffer: 64 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

async function registerYamlSchema(context, lavisc) {
  if (!vscode.workspace.getConfiguration("lavisc").get("yamlSchema")) return;
  const yaml = vscode.extensions.getExtension("redhat.vscode-yaml");
  if (!yaml) return; // without the YAML extension, the language server's diagnostics still cover LAVIS YAML
  const api = await yaml.activate();
  if (!api || typeof api.registerContributor !== "function") return;
  let schema;
  api.registerContributor(
    "lavisc",
    (resource) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource);
      return doc && isLavisYaml(doc.getText()) ? SCHEMA_URI : undefined;
    },
    (uri) => (uri === SCHEMA_URI ? (schema ??= schemaText(lavisc)) : undefined),
  );
}

async function activate(context) {
  const lavisc = laviscCommand();
  const run = { command: lavisc.command, args: [...lavisc.args, "lsp"], transport: TransportKind.stdio, options: { env: { ...process.env, ...lavisc.env } } };
  client = new LanguageClient("lavisc", "lavisc", { run, debug: run }, {
    documentSelector: [
      { scheme: "file", language: "lavisc" },
      { scheme: "file", language: "yaml" },
    ],
  });
  context.subscriptions.push(client);
  await client.start();
  registerYamlSchema(context, lavisc).catch((e) => client?.warn(`lavisc: YAML schema not registered: ${e?.message ?? e}`));
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
