// Entry point of the diagnostics stage: one Diagnostic type for every stage, one catalog, its renderers (text, JSON,
// SARIF, GitHub Actions annotations).
export type { Span } from "./span.js";
export { spanOf, joinSpans } from "./span.js";
export { SourceFile, SourceSet } from "./sourceFile.js";
export type { Diagnostic, Severity, RelatedInfo, MessageArgs } from "./diagnostic.js";
export { diag, fillMessage, countBySeverity, sortDiagnostics, dedupeDiagnostics } from "./diagnostic.js";
export { messages, codeSummary, trialContext, trialAxisLabel, type DiagnosticCode } from "./messages.js";
export { renderDiagnostic, renderDiagnostics, diagnosticsToJson } from "./render.js";
export { diagnosticsToSarif, type SarifOptions } from "./sarif.js";
export { diagnosticsToGithubAnnotations } from "./githubAnnotations.js";
export { didYouMean, didYouMeanNames, closestMatches, bestMatches, isCertainCorrection, suggestedNames, editDistance } from "./suggest.js";
export { groupDigits } from "./numbers.js";
export { visible, visibleOnOneLine } from "./visible.js";
export { withoutCascades } from "./cascades.js";
export { Suppressions, applySuppressions } from "./suppressions.js";
