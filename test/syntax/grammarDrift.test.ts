import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { generateAll, generatedFiles } from "../../tools/genGrammar.js";
import { fromRoot } from "../harness/repoRoot.js";

// The grammar documents and the CST types are generated from the parser; a checked-in copy that differs from a fresh
// generation means the parser changed without regenerating them.

const Drift = suite("grammar: generated files match the parser");
const fresh = generateAll();

for (const [key, rel] of Object.entries(generatedFiles)) {
  Drift(rel, () => {
    const onDisk = readFileSync(fromRoot(rel), "utf8");
    assert.ok(onDisk === fresh[key as keyof typeof generatedFiles], `${rel} is stale: run \`npm run build && npm run gen:grammar\` and commit the result`);
  });
}

Drift("the EBNF has a rule per parser rule and the token definitions", () => {
  const ebnf = fresh.ebnf;
  for (const rule of ["file", "declaration", "member", "entry", "expression", "typeExpr", "operand"]) assert.match(ebnf, new RegExp(`^${rule} ::= `, "m"));
  assert.match(ebnf, /^StringLiteral ::= \//m);
  assert.match(ebnf, /^Name ::= .*Identifier$/m);
  assert.match(ebnf, /^importDecl ::= "import" StringLiteral \("as" Name\)\?$/m);
});

Drift("the diagrams page is self-contained (no remote scripts or styles)", () => {
  assert.not.match(fresh.diagrams, /<script src=|<link rel=|unpkg\.com/);
  assert.match(fresh.diagrams, /drawDiagramsFromSerializedGrammar/);
});

Drift.run();
