import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

// Token vocabulary. Keywords are soft: each also belongs to the `Name` category, so `model`, `type` or `task`
// stay usable as keys (`type = eval`, `task: Task`). Only values (true/false/null) and operators are reserved.

export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Name], label: "a name" });

function keyword(word: string, name = word[0]!.toUpperCase() + word.slice(1)): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [Name], label: `\`${word}\`` });
}
function reserved(word: string, name: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` });
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

export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/[^\n\r]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?/, group: "comments", line_breaks: true });
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

// An unterminated string runs to the end of its line; the AST builder reports it, so one missing quote cannot swallow the file.
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\.)*"?/, label: "a string" });
// `inf` and `nan` are floats as in TOML (OmegaConf reads YAML's `.inf` and `.nan`); they are not names.
export const FloatLiteral = createToken({
  name: "FloatLiteral",
  pattern: /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|(?:inf|nan)(?![A-Za-z0-9_]))/,
  label: "a number",
});

/** The value of a FloatLiteral's text (`1e400` is inf, as in Python). */
export function floatLiteralValue(image: string): number {
  return image === "inf" ? Infinity : image === "nan" ? NaN : Number(image);
}
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /\d+/, label: "a number" });

export const DollarLCurly = createToken({ name: "DollarLCurly", pattern: /\$\{/, label: "'${'" });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
export const Question = createToken({ name: "Question", pattern: /\?/, label: "'?'" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "'|'" });

export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA, label: "a comparison" });
export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: [CompareOp], label: "'=='" });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, categories: [CompareOp], label: "'!='" });
export const LtEq = createToken({ name: "LtEq", pattern: /<=/, categories: [CompareOp], label: "'<='" });
export const GtEq = createToken({ name: "GtEq", pattern: />=/, categories: [CompareOp], label: "'>='" });
export const Lt = createToken({ name: "Lt", pattern: /</, categories: [CompareOp], label: "'<'" });
export const Gt = createToken({ name: "Gt", pattern: />/, categories: [CompareOp], label: "'>'" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: "Percent", pattern: /%/, label: "'%'" });

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
