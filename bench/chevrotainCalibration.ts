// What chevrotain itself parses per second on this machine: the JSON grammar of chevrotain's own examples, on a JSON
// text of about the size of parseThroughput.ts's `.lv` file, built two ways: as a CST parser with error recovery (what
// lavisc's `.lv` parser is) and as an embedded-actions parser without recovery (no tree at all). It puts (d)'s MB/s in
// proportion: the `.lv` parse also builds the AST and runs its checks, JSON has fewer rules per token. bench:compile
// prints it under (d); `node dist/bench/chevrotainCalibration.js` alone. Each build is measured in a process of its own.
import type { CstParser as CstParserType, EmbeddedActionsParser as EmbeddedParserType, TokenType } from "chevrotain";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import chevrotain from "../src/syntax/chevrotain.js";

const { createToken, Lexer, CstParser } = chevrotain;
const EmbeddedActionsParser = (chevrotain as unknown as { EmbeddedActionsParser: typeof EmbeddedParserType }).EmbeddedActionsParser;

function jsonTokens(): { all: TokenType[]; t: Record<string, TokenType> } {
  const t: Record<string, TokenType> = {
    WhiteSpace: createToken({ name: "WhiteSpace", pattern: /[ \t\n\r]+/, group: Lexer.SKIPPED }),
    NumberLiteral: createToken({ name: "NumberLiteral", pattern: /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/ }),
    StringLiteral: createToken({ name: "StringLiteral", pattern: /"(?:[^\\"]|\\(?:[bfnrtv"\\/]|u[0-9a-fA-F]{4}))*"/ }),
    LCurly: createToken({ name: "LCurly", pattern: /{/ }),
    RCurly: createToken({ name: "RCurly", pattern: /}/ }),
    LSquare: createToken({ name: "LSquare", pattern: /\[/ }),
    RSquare: createToken({ name: "RSquare", pattern: /]/ }),
    Comma: createToken({ name: "Comma", pattern: /,/ }),
    Colon: createToken({ name: "Colon", pattern: /:/ }),
    True: createToken({ name: "True", pattern: /true/ }),
    False: createToken({ name: "False", pattern: /false/ }),
    Null: createToken({ name: "Null", pattern: /null/ }),
  };
  return { all: Object.values(t), t };
}

type Base = typeof CstParserType | typeof EmbeddedParserType;

/** chevrotain's JSON example grammar on `Base` (rules json, object, objectItem, array, value). */
function jsonParser(Base: Base, t: Record<string, TokenType>, all: TokenType[], config: Record<string, unknown>): { parse(tokens: unknown[]): void } {
  const Parser = class extends (Base as typeof CstParserType) {
    constructor() {
      super(all, config);
      const $ = this as unknown as Record<string, (...a: unknown[]) => unknown> & { RULE(name: string, f: () => void): void };
      $.RULE("json", () => $["OR"]!([{ ALT: () => $["SUBRULE"]!($["object"]) }, { ALT: () => $["SUBRULE"]!($["array"]) }]));
      $.RULE("object", () => {
        $["CONSUME"]!(t["LCurly"]);
        $["MANY_SEP"]!({ SEP: t["Comma"], DEF: () => $["SUBRULE2"]!($["objectItem"]) });
        $["CONSUME"]!(t["RCurly"]);
      });
      $.RULE("objectItem", () => {
        $["CONSUME"]!(t["StringLiteral"]);
        $["CONSUME"]!(t["Colon"]);
        $["SUBRULE"]!($["value"]);
      });
      $.RULE("array", () => {
        $["CONSUME"]!(t["LSquare"]);
        $["MANY_SEP"]!({ SEP: t["Comma"], DEF: () => $["SUBRULE"]!($["value"]) });
        $["CONSUME"]!(t["RSquare"]);
      });
      $.RULE("value", () =>
        $["OR"]!([
          { ALT: () => $["CONSUME"]!(t["StringLiteral"]) },
          { ALT: () => $["CONSUME"]!(t["NumberLiteral"]) },
          { ALT: () => $["SUBRULE"]!($["object"]) },
          { ALT: () => $["SUBRULE"]!($["array"]) },
          { ALT: () => $["CONSUME"]!(t["True"]) },
          { ALT: () => $["CONSUME"]!(t["False"]) },
          { ALT: () => $["CONSUME"]!(t["Null"]) },
        ]),
      );
      this.performSelfAnalysis();
    }
  };
  const parser = new Parser() as unknown as { input: unknown[]; json(): unknown; errors: { message: string }[] };
  return {
    parse(tokens) {
      parser.input = tokens;
      parser.json();
      // A parse that stopped early would measure nothing: the text is valid JSON, so any error is a bug here.
      if (parser.errors.length) throw new Error(`the JSON calibration text did not parse: ${parser.errors[0]!.message}`);
    },
  };
}

/** A pretty-printed JSON array of experiment-like records, about `bytes` long. */
export function jsonSource(bytes = 360_000): string {
  const items: unknown[] = [];
  for (let i = 0; JSON.stringify(items, null, 2).length < bytes; i++) {
    for (let j = 0; j < 50; j++, i++) {
      items.push({
        name: `caption_${i}`, task: "captioning", model: { arch: "blip_caption", type: "base_coco", load_finetuned: false },
        vis_processor: { name: "blip_image_train", image_size: 384, min_scale: 0.5 }, recipe: { init_lr: 1e-5, train_splits: ["train", "val"] },
      });
    }
  }
  return JSON.stringify(items, null, 2);
}

export type Build = "tree" | "noTree";

/**
 * Median MB/s of lexing + parsing the JSON text with one build of the grammar: "tree" = a CST parser with recovery
 * (as lavisc's), "noTree" = embedded actions without recovery. One build per process: chevrotain's engine code
 * serves both, and running both in one process slows whichever runs second (V8 optimizes the shared code for one).
 */
export function measureChevrotainJson(build: Build, runs = 9): { bytes: number; tokens: number; mbPerSec: number } {
  const { all, t } = jsonTokens();
  const lexer = new Lexer(all, { positionTracking: "onlyOffset" });
  const parser = build === "tree" ? jsonParser(CstParser, t, all, { recoveryEnabled: true, nodeLocationTracking: "onlyOffset" }) : jsonParser(EmbeddedActionsParser, t, all, {});
  const text = jsonSource();
  const bytes = Buffer.byteLength(text);
  const once = () => {
    const t0 = performance.now();
    parser.parse(lexer.tokenize(text).tokens);
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) once();
  const times = Array.from({ length: runs }, once).sort((x, y) => x - y);
  return { bytes, tokens: lexer.tokenize(text).tokens.length, mbPerSec: bytes / 1e6 / (times[Math.floor(runs / 2)]! / 1000) };
}

/** Both builds, each in a process of its own (`node dist/bench/chevrotainCalibration.js tree|noTree`), as one line. */
export function chevrotainCalibrationLine(): string {
  const self = fileURLToPath(import.meta.url);
  const run = (build: Build) => {
    const r = spawnSync(process.execPath, [self, build], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`chevrotain calibration (${build}) failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as { bytes: number; tokens: number; mbPerSec: number };
  };
  const tree = run("tree");
  const noTree = run("noTree");
  return `chevrotain's JSON example grammar here, ${(tree.bytes / 1e6).toFixed(2)} MB (${tree.tokens} tokens): ${tree.mbPerSec.toFixed(2)} MB/s as a CST parser with recovery (as lavisc's), ${noTree.mbPerSec.toFixed(2)} MB/s with embedded actions and no tree`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = process.argv[2];
  if (build === "tree" || build === "noTree") console.log(JSON.stringify(measureChevrotainJson(build)));
  else console.log(chevrotainCalibrationLine());
}
