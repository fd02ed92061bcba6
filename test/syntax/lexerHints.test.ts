import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ILexingResult, IToken, TokenType } from "chevrotain";
import { Lexer } from "../../src/syntax/chevrotain.js";
import { lvLexer } from "../../src/syntax/lexer.js";
import { allTokens } from "../../src/syntax/tokens.js";
import { fromRoot } from "../harness/repoRoot.js";
import { seededRandom } from "../harness/seededRandom.js";

// tokens.ts gives every token its start characters and whether it spans lines, so the lexer's construction does
// not analyse the patterns. A wrong hint would lex some input differently: compare with a lexer built from the same
// patterns without the hints (chevrotain then analyses them) and without the first-character optimization at all.

const Hints = suite("syntax: lexer hints");

/** The token types without `start_chars_hint` and without `line_breaks: false` (longer_alt pointing at the copies). */
function unhinted(): TokenType[] {
  const copies = new Map<TokenType, TokenType>();
  for (const t of allTokens) {
    const c: TokenType & { START_CHARS_HINT?: unknown; LINE_BREAKS?: boolean } = { ...t };
    delete c.START_CHARS_HINT;
    if (c.LINE_BREAKS === false) delete c.LINE_BREAKS;
    copies.set(t, c);
  }
  for (const c of copies.values()) {
    const alt = c.LONGER_ALT as TokenType | TokenType[] | undefined;
    if (alt) c.LONGER_ALT = Array.isArray(alt) ? alt.map((a) => copies.get(a)!) : copies.get(alt)!;
    if (c.CATEGORIES) c.CATEGORIES = c.CATEGORIES.map((k) => copies.get(k) ?? k);
  }
  return [...copies.values()];
}

// lavisc's lexer tracks offsets only (lexer.ts adds the end offsets): compared with the reference lexers' own.
const tok = (t: IToken) => [t.tokenType.name, t.image, t.startOffset, t.endOffset].join(" ");
const summary = (r: ILexingResult) => ({
  tokens: r.tokens.map(tok),
  comments: (r.groups["comments"] ?? []).map(tok),
  errors: r.errors.map((e) => `${e.offset}+${e.length}`),
});

function corpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".lv")) out.push(readFileSync(p, "utf8"));
    }
  };
  for (const dir of ["stdlib", "projects", "test/cases", "bench/fixtures"]) walk(fromRoot(dir));
  return out;
}

Hints("every input lexes as without hints and as without the first-character optimization", () => {
  const analysed = new Lexer(unhinted(), { positionTracking: "full", skipValidations: true });
  const safe = new Lexer(unhinted(), { positionTracking: "full", safeMode: true, skipValidations: true });
  const random = seededRandom(14);
  const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), "\n", "\r", "\t", "é", "\u2028", "😀", "\u00a0"];
  const inputs = corpus();
  assert.ok(inputs.length > 20);
  for (let i = 0; i < 300; i++) {
    let s = "";
    for (let n = 0; n < 80; n++) s += random() < 0.3 ? ["inf", "nan", "1e5", "0.5", ".5", "//", "///", "/*", "*/", "${", "==", "in", "import"][Math.floor(random() * 13)] : alphabet[Math.floor(random() * alphabet.length)];
    inputs.push(s);
  }
  for (const text of inputs) {
    const got = summary(lvLexer().tokenize(text));
    assert.equal(got, summary(analysed.tokenize(text)), text.slice(0, 200));
    assert.equal(got, summary(safe.tokenize(text)), text.slice(0, 200));
  }
});

Hints.run();
