import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";
import { FLOAT_PATTERN, IDENTIFIER_PATTERN, INT_PATTERN, floatLiteralValue } from "./literalPatterns.js";

// Token vocabulary. Keywords are soft: each also belongs to the `Name` category, so `model`, `type` or `task`
// stay usable as keys (`type = eval`, `task: Task`). Only values (true/false/null) and operators are reserved.

// Every token says which characters it can start with (`start_chars_hint`) and whether it can span lines
// (`line_breaks`): without them the lexer's construction parses each pattern to find out, several ms of every cold
// `.lv` command. test/syntax/lexerHints.test.ts checks them against a lexer that uses neither.
const LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"];
const DIGITS = [..."0123456789"];

/** A token that cannot contain a line break and starts with one of `startChars`. */
function token(config: Parameters<typeof createToken>[0], startChars: readonly string[]): TokenType {
  return createToken({ line_breaks: false, ...config, start_chars_hint: [...startChars] });
}
/** A fixed-text token (`{`, `==`, `${`), labelled with its text in quotes. */
function punctuation(name: string, text: string, categories?: TokenType[]): TokenType {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return token({ name, pattern, label: `'${text}'`, ...(categories ? { categories } : {}) }, [text[0]!]);
}

export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
export const Identifier = token({ name: "Identifier", pattern: IDENTIFIER_PATTERN, categories: [Name], label: "a name" }, LETTERS);

function keyword(word: string, name = word[0]!.toUpperCase() + word.slice(1)): TokenType {
  return token({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Name], label: `\`${word}\`` }, [word[0]!]);
}
function reserved(word: string, name: string): TokenType {
  return token({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` }, [word[0]!]);
}

export const Import = keyword("import");
export const As = keyword("as");
export const Experiment = keyword("experiment");
export const Extends = keyword("extends");
export const Schema = keyword("schema");
export const Enum = keyword("enum");
export const Arch = keyword("arch");
export const Builder = keyword("builder");
export const Processor = keyword("processor");
export const Task = keyword("task");
export const Scheduler = keyword("scheduler");
export const Runner = keyword("runner");
export const Model = keyword("model");
export const Data = keyword("data");
export const Recipe = keyword("recipe");
export const Check = keyword("check");
export const Warn = keyword("warn");
export const Type = keyword("type");
export const Sweep = keyword("sweep");
export const Zip = keyword("zip");
export const Filter = keyword("filter");
export const Limit = keyword("limit");
export const Linear = keyword("linear");
export const Log = keyword("log");
export const Count = keyword("count");
export const And = reserved("and", "And");
export const Or = reserved("or", "Or");
export const Not = reserved("not", "Not");
export const Is = reserved("is", "Is");
export const In = reserved("in", "In");
export const Set = keyword("set");
export const If = reserved("if", "If");
export const Then = reserved("then", "Then");
export const Else = reserved("else", "Else");
export const True = reserved("true", "True");
export const False = reserved("false", "False");
export const Null = reserved("null", "Null");

export const DocComment = token({ name: "DocComment", pattern: /\/\/\/[^\n\r]*/, group: "comments" }, ["/"]);
export const LineComment = token({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" }, ["/"]);
export const BlockComment = token({ name: "BlockComment", pattern: /\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?/, group: "comments", line_breaks: true }, ["/"]);
export const WhiteSpace = token({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true }, [" ", "\t", "\r", "\n"]);

// An unterminated string runs to the end of its line; the AST builder reports it, so one missing quote cannot swallow the file.
export const StringLiteral = token({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\.)*"?/, label: "a string" }, ['"']);
// `inf` and `nan` are floats as in TOML (OmegaConf reads YAML's `.inf` and `.nan`); they are not names.
export const FloatLiteral = token({
  name: "FloatLiteral",
  pattern: FLOAT_PATTERN,
  label: "a number",
}, [...DIGITS, ".", "i", "n"]);

export { floatLiteralValue };
export const IntLiteral = token({ name: "IntLiteral", pattern: INT_PATTERN, label: "a number" }, DIGITS);

export const DollarLCurly = punctuation("DollarLCurly", "${");
export const LCurly = punctuation("LCurly", "{");
export const RCurly = punctuation("RCurly", "}");
export const LParen = punctuation("LParen", "(");
export const RParen = punctuation("RParen", ")");
export const LBracket = punctuation("LBracket", "[");
export const RBracket = punctuation("RBracket", "]");
export const Comma = punctuation("Comma", ",");
export const Semicolon = punctuation("Semicolon", ";");
export const Colon = punctuation("Colon", ":");
export const Dot = punctuation("Dot", ".");
export const Question = punctuation("Question", "?");
export const Pipe = punctuation("Pipe", "|");

export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA, label: "a comparison" });
export const EqEq = punctuation("EqEq", "==", [CompareOp]);
export const NotEq = punctuation("NotEq", "!=", [CompareOp]);
export const LtEq = punctuation("LtEq", "<=", [CompareOp]);
export const GtEq = punctuation("GtEq", ">=", [CompareOp]);
export const Lt = punctuation("Lt", "<", [CompareOp]);
export const Gt = punctuation("Gt", ">", [CompareOp]);
export const Equals = punctuation("Equals", "=");
export const Plus = punctuation("Plus", "+");
export const Minus = punctuation("Minus", "-");
export const Star = punctuation("Star", "*");
export const Slash = punctuation("Slash", "/");
export const Percent = punctuation("Percent", "%");

export const keywordTokens: TokenType[] = [
  Import, As, Experiment, Extends, Schema, Enum, Arch, Builder, Processor, Task, Scheduler, Runner,
  Model, Data, Recipe, Check, Warn, Type, Sweep, Zip, Filter, Limit, Linear, Log, Count, And, Or, Not, Is, In, Set, If, Then, Else, True, False, Null,
];

/** Lexing order matters: comments before `/`, keywords before identifiers, longer operators first. */
export const allTokens: TokenType[] = [
  WhiteSpace, DocComment, LineComment, BlockComment, StringLiteral, FloatLiteral, IntLiteral,
  DollarLCurly, LCurly, RCurly, LParen, RParen, LBracket, RBracket, Comma, Semicolon, Colon, Dot, Question, Pipe,
  CompareOp, EqEq, NotEq, LtEq, GtEq, Lt, Gt, Equals, Plus, Minus, Star, Slash, Percent,
  Name, ...keywordTokens, Identifier,
];
