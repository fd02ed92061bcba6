// A trial's context on a diagnostic: which trial, and the swept values behind the problem (those whose value or key
// the diagnostic points at, else all of the trial's), with the sweep axis as a related span.
import { fillMessage, trialContext, trialAxisLabel, type Diagnostic, type Span } from "../diagnostics/index.js";
import { picksText, type Trial } from "./trial.js";

export function inTrial(d: Diagnostic, trial: Trial): Diagnostic {
  const spans: Span[] = [...(d.span ? [d.span] : []), ...d.related.map((r) => r.span)];
  const inside = (s: Span, outer: Span) => s.file === outer.file && s.start >= outer.start && s.end <= outer.end;
  const implicated = trial.picks.filter((p) => d.path === p.axis.path.join(".") || spans.some((s) => inside(s, p.value.span) || inside(s, p.axis.keySpan)));
  const shown = implicated.length ? implicated : trial.picks;
  const same = (a: Span, b: Span) => a.file === b.file && a.start === b.start && a.end === b.end;
  const related = shown
    .filter((p) => !spans.some((s) => same(s, p.value.span)))
    .map((p) => ({ span: p.value.span, message: fillMessage(trialAxisLabel, { trial: trial.id, key: p.axis.key, value: p.value.text }) }));
  return { ...d, message: fillMessage(trialContext, { trial: trial.id, values: picksText(shown), message: d.message }), related: [...d.related, ...related] };
}
