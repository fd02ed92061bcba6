import type * as Chevrotain from "chevrotain";
import { chevrotainModule } from "./chevrotainModule.js";

// Every module of lavisc takes chevrotain from here, so the grammar's GAST classes are one copy (instanceof checks
// hold). `chevrotainModule.ts` says which file is loaded and why.
const chevrotain = chevrotainModule;

export const { createToken, Lexer, CstParser, EmbeddedActionsParser, EOF, tokenMatcher, generateCstDts, createSyntaxDiagramsCode, LLkLookaheadStrategy } = chevrotain;
// GAST classes, as values and as types (the grammar printer walks them).
export const Rule = chevrotain.Rule;
export type Rule = Chevrotain.Rule;
export const NonTerminal = chevrotain.NonTerminal;
export type NonTerminal = Chevrotain.NonTerminal;
export const Terminal = chevrotain.Terminal;
export type Terminal = Chevrotain.Terminal;
export const Option = chevrotain.Option;
export type Option = Chevrotain.Option;
export const Repetition = chevrotain.Repetition;
export type Repetition = Chevrotain.Repetition;
export const RepetitionMandatory = chevrotain.RepetitionMandatory;
export type RepetitionMandatory = Chevrotain.RepetitionMandatory;
export const RepetitionMandatoryWithSeparator = chevrotain.RepetitionMandatoryWithSeparator;
export type RepetitionMandatoryWithSeparator = Chevrotain.RepetitionMandatoryWithSeparator;
export const RepetitionWithSeparator = chevrotain.RepetitionWithSeparator;
export type RepetitionWithSeparator = Chevrotain.RepetitionWithSeparator;
export const Alternation = chevrotain.Alternation;
export type Alternation = Chevrotain.Alternation;
export const Alternative = chevrotain.Alternative;
export type Alternative = Chevrotain.Alternative;
export default chevrotain;
