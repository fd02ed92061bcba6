import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program.js";
import { cliReference, generatedFile } from "../../tools/genCliDocs.js";
import { fromRoot } from "../harness/repoRoot.js";

// docs/cli.md is generated from the commander program (tools/genCliDocs.ts), and README's command table, written by
// hand, must name only what the program accepts: a new option or value fails here until the docs show it.

const Reference = suite("cli: the command-line reference matches the program");

Reference(`${generatedFile} is what tools/genCliDocs.ts generates now`, async () => {
  const onDisk = readFileSync(fromRoot(generatedFile), "utf8");
  assert.ok(onDisk === (await cliReference()), `${generatedFile} is stale: run \`npm run build && npm run gen:cli-docs\` and commit the result`);
});

Reference("the reference names every command and every option of each, whatever the machine", async () => {
  const doc = await cliReference();
  const program = await buildProgram(() => {}, { cores: 64 });
  const walk = (c: Command): Command[] => c.commands.flatMap((s) => [s, ...walk(s)]);
  for (const c of walk(program)) {
    assert.ok(doc.includes(`## lavisc ${c.parent === program ? "" : `${c.parent!.name()} `}${c.name()}\n`), `a section for ${c.name()}`);
    for (const o of c.options) assert.ok(doc.includes(`| \`${o.flags}\` |`), `${c.name()} ${o.flags}`);
  }
  // The help of `check --jobs` names this machine's threads; the reference does not.
  assert.match(program.commands.find((c) => c.name() === "check")!.options.find((o) => o.long === "--jobs")!.description, /, 32 here;/);
  assert.not.match(doc, / here;/);
});

/** README's command table: each `lavisc ...` usage in its first column, with the table's escaped `|` restored. */
function readmeUsages(): string[] {
  const readme = readFileSync(fromRoot("README.md"), "utf8");
  const table = readme.slice(readme.indexOf("\n## Commands\n"), readme.indexOf("\n\n", readme.indexOf("| command ")));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `lavisc "))
    .flatMap((line) => line.split(" | ")[0]!.match(/`lavisc [^`]+`/g) ?? [])
    .map((usage) => usage.slice(1, -1).replace(/\\\|/g, "|"));
}

/** The command a usage names (`lavisc data vocab FILE ...` names `data vocab`). */
function commandOf(program: Command, usage: string): Command {
  let command = program;
  for (const word of usage.split(/\s+/).slice(1)) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) break;
    command = sub;
  }
  assert.ok(command !== program, `README's table names a command that does not exist: ${usage}`);
  return command;
}

Reference("README's command table links to the reference and names only options and values the program accepts", async () => {
  const readme = readFileSync(fromRoot("README.md"), "utf8");
  assert.match(readme, /\| command \(\[[^\]]*\]\(docs\/cli\.md\)\) \| what it does \|/);
  const program = await buildProgram(() => {});
  const usages = readmeUsages();
  assert.ok(usages.length >= 15, `the table's usages: ${usages.length}`);
  for (const usage of usages) {
    const command = commandOf(program, usage);
    for (const [, flag, values] of usage.matchAll(/(?<=^|[\s[|])(--?[a-z][\w-]*)(?: ([\w-]+(?:\|[\w-]+)+))?/g)) {
      const option = [...command.options, ...program.options].find((o) => o.long === flag || o.short === flag);
      assert.ok(option, `README: \`${usage}\` names ${flag}, which ${command.name()} does not take`);
      // A list of values (`--format text|json|html`) is the option's whole set of choices.
      if (values) assert.equal(values.split("|"), option!.argChoices, `README: the values of ${flag} in \`${usage}\``);
    }
  }
});

Reference.run();
