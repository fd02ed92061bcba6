// Penn-Treebank-style tokens of one line, as pycocoevalcap's PTBTokenizer (Stanford CoreNLP's PTBLexer) gives them
// before lower-casing. Written from the Penn Treebank tokenization conventions and from observed input/output pairs
// (test/runtime/captionTokenize.test.ts), not from CoreNLP's code: at each position the first rule of RULES that
// matches makes the next token(s). Conventions followed:
// - quotes are tokens of their own: `` and '' for double quotes, ` and ' for single ones (curly, straight, « »);
// - contractions and the possessive are split: is n't, ca n't, wo n't, can not, it 's, I 'm, we 've, dogs ' ;
// - numbers keep their separators (3.5, 1,000, 10:30, 12/25/2015); $, %, ° and friends are tokens of their own;
// - abbreviations keep their period (Mr., St., etc., a.m., U.S.A., a single letter: B.), other words lose it;
// - brackets are -LRB- -RRB- -LCB- -RCB-; dashes — – and -- are "--"; runs of ? and ! are one token;
// - "/" and "*" are escaped (\/ and \*), £ is "#", € is "$", ½ is "1\/2".
// Known differences from CoreNLP 3.4.1 (measured in ./README.md): no British-to-American spelling (CoreNLP writes
// "colour" as "color", "grey" as "gray"); a shorter abbreviation list than CoreNLP's (induced from the Wall Street
// Journal), so a rare abbreviation (Ste.) loses its period; apostrophes inside odd words (e'en, j'ai, 'tis); no
// phone-number, SGML-tag or general URL rules (URLs only from "http" or "www."); runs of dots inside a word (a..b).

const W = "[\\p{L}\\p{M}\\p{Nd}]"; // a word character
const ABBREVIATIONS = [
  "mr|mrs|ms|messrs|dr|prof|rev|hon|gen|col|capt|maj|lt|sgt|cpl|pvt|adm|cmdr|gov|sen|sens|rep|pres|supt|jr|sr|esq",
  "st|mt|ft|ave|blvd|rd|sq|inc|corp|co|cos|cie|ltd|bros|assn|dept|univ|intl|natl|mfg|ext|est|etc|vs|al|cf|no|nos|ph\\.d",
  "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri",
  "ala|ariz|calif|colo|conn|del|fla|ga|ind|kan|ky|la|md|mich|minn|mo|mont|neb|nev|okla|pa|tenn|tex|va|vt|wis|wyo",
].join("|");
// English words that are abbreviations only when capitalised (the states Ill., Mass., Wash., Miss.).
const CAPITALISED_ABBREVIATIONS = "Ill|Mass|Wash|Miss";
const V = "[aeiou]"; // WORD is case-insensitive
// What may join two runs of word characters into one word. An apostrophe joins only before a contraction (split off
// again by splitContractions), between two vowels (ma'am, ne'er) or after an elided O', d', l', c', n', qu' (O'Neil,
// l'amour); elsewhere it is a quote (t'he -> t ` he).
const JOINS = [
  "[-/_]", `['\u2019]n['\u2019](?=${W})`, `(?<=n)['\u2019](?=t(?!${W}))`, `['\u2019](?=(?:s|m|d|re|ve|ll|n)(?!${W}))`, `(?<=${V})['\u2019](?=${V})`,
].join("|");
const WORD_START = `[#@](?=\\p{L})|[-+](?=\\d)|(?:[odlcn]|qu)['\u2019](?=\\p{L}{2})`;
const WORD = `(?:${WORD_START})?${W}+(?:(?:${JOINS})${W}+)*`;
const FRACTIONS: Record<string, string> = { "\u00bd": "1\\/2", "\u00bc": "1\\/4", "\u00be": "3\\/4", "\u2153": "1\\/3", "\u2154": "2\\/3" };
const BRACKETS: Record<string, string> = { "(": "-LRB-", "[": "-LRB-", "<": "-LRB-", ")": "-RRB-", "]": "-RRB-", ">": "-RRB-", "{": "-LCB-", "}": "-RCB-" };
const SYMBOLS: Record<string, string> = { "\u00a3": "#", "\u20ac": "$", "\u00a4": "$", "\u00a2": "cents", "/": "\\/", "*": "\\*", ...FRACTIONS, ...BRACKETS };

type Rule = readonly [pattern: RegExp, tokens: (match: string, before: string) => readonly string[]];
const whole = (m: string): readonly string[] => [m];
const opens = (before: string): boolean => before === "" || /[\s([{<]/u.test(before);

const RULES: readonly Rule[] = [
  [/\s+/uy, () => []],
  [/\.{2,}|\u2026/uy, () => ["..."]],
  [/(?:https?:\/\/|www\.)\S+?(?=[.,;:!?'"\u201d)]*(?:\s|$))/uy, whole],
  [/[\p{L}\p{N}._+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*/uy, whole],
  // Acronyms of single letters: U.S.A., a.m., and without the final period (e.g) only before a space or the end.
  [/\p{L}(?:\.\p{L})+(?:\.|(?=\s|$))/uy, whole],
  [new RegExp(`(?:${ABBREVIATIONS})\\.`, "iuy"), whole],
  [new RegExp(`(?:${CAPITALISED_ABBREVIATIONS})\\.`, "uy"), whole],
  [/\p{L}\./uy, whole],
  // Numbers with a decimal point, thousands comma or colon are one token, cut from letters after them (3.5lbs).
  [/[-+]?(?:\d+(?:[.,:]\d+)+|\.\d+)(?:-[\p{L}\p{N}]+)*/uy, whole],
  [/\p{Lu}+&\p{Lu}+|\p{Lu}{1,2}\$/uy, whole], // AT&T, R&B; US$, HK$
  [/y['\u2019](?=all(?!\p{L}))/iuy, whole], // y'all -> y' all
  // A leading apostrophe belongs to a few words ('em, 'cause, '90s) and to a contraction written apart ('s).
  [/['\u2019](?:em|cause|til|twas|\d+s?|s|m|d|re|ve|ll)(?![\p{L}\p{N}])/iuy, whole],
  // A word keeps its period before , ; or : (a dog., a cat).
  [new RegExp(`${WORD}(?:\\.(?=[,;:]))?`, "iuy"), (m) => splitContractions(m).map(escape)],
  [/``|''/uy, (m) => [m]],
  // A run of curly quotes is one token, a ` or ' for each single quote in it and two for each double one: “‘ -> ```.
  [/[\u2018\u201c]+|[\u2019\u201d]+/uy, (m) => [m.replace(/\u201c|\u201d/g, "xx").replace(/x|\u2018|\u2019/g, /[\u2018\u201c]/u.test(m) ? "`" : "'")]],
  [/["\u00ab\u00bb]/uy, (m, before) => [m === "\u00ab" || (m === '"' && opens(before)) ? "``" : "''"]],
  [/['\u201b\u2039\u203a`]/uy, (m, before) => [/[\u201b\u2039`]/u.test(m) || (m === "'" && opens(before)) ? "`" : "'"]],
  [/--+|[\u2014\u2013\u2015]/uy, () => ["--"]],
  // Dropped, as CoreNLP drops what it cannot tokenize: characters beyond U+FFFF (emoji), currency signs other than
  // $ £ € ¥ ¢ ¤, the Unicode hyphens U+2010-U+2012 and the two-dot leader.
  [/[\u{10000}-\u{10FFFF}\u2010-\u2012\u2025]|(?![$\u00a3\u20ac\u00a5\u00a2\u00a4])\p{Sc}/uy, () => []],
  [/[?!]+/uy, whole],
  [/\*+/uy, (m) => [m.replace(/\*/g, "\\*")]],
  [/[^]/uy, (m) => [SYMBOLS[m] ?? m]],
];

const escape = (token: string): string => token.replace(/\//g, "\\/");

/** it's -> it 's, can't -> ca n't, cannot -> can not, rock'n'roll -> rock 'n' roll. */
function splitContractions(word: string): string[] {
  if (/^cannot$/i.test(word)) return [word.slice(0, 3), word.slice(3)];
  const rockAndRoll = /^(.+?)(['\u2019]n['\u2019])(.+)$/i.exec(word);
  if (rockAndRoll) return rockAndRoll.slice(1);
  const pieces: string[] = [];
  let rest = word;
  for (let m; (m = /^(.+?)(n['\u2019]t|['\u2019](?:s|m|d|re|ve|ll|n))(\.?)$/i.exec(rest)); rest = m[1]!) {
    pieces.unshift((/n$/i.test(m[2]!) ? m[2]! : m[2]!.replace("\u2019", "'")) + m[3]);
  }
  return [rest, ...pieces];
}

/** The tokens of one line of text, in PTB's conventions (see the file header), case kept. */
export function ptbTokens(line: string): string[] {
  const tokens: string[] = [];
  for (let at = 0; at < line.length; ) {
    for (const [pattern, toTokens] of RULES) {
      pattern.lastIndex = at;
      const m = pattern.exec(line);
      if (!m || m[0].length === 0) continue;
      tokens.push(...toTokens(m[0], line[at - 1] ?? ""));
      at += m[0].length;
      break;
    }
  }
  return tokens;
}
