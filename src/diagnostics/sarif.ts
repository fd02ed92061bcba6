import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Severity } from "./diagnostic.js";
import { codeSummary, messages, type DiagnosticCode } from "./messages.js";
import type { SourceSet } from "./sourceFile.js";
import type { Span } from "./span.js";

// `check --format sarif`: the diagnostics as a SARIF 2.1.0 log (OASIS), the format code-scanning services read
// (GitHub's upload-sarif action, GitLab, Azure DevOps). One run, one rule per diagnostic code, one result per
// diagnostic with its primary location, its related locations and the configuration path as a logical location.

export interface SarifOptions {
  /** Files under it are named relative to it (`%SRCROOT%`), so a log's paths stay the same across checkouts. */
  readonly cwd: string;
  readonly toolVersion: string;
  /** The installed stdlib's folder: lavisc's spans name its files `stdlib/<file>.lv`. */
  readonly stdlibDir: string;
}

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";
const STDLIB = "LAVISC_STDLIB";
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export function diagnosticsToSarif(diags: readonly Diagnostic[], sources: SourceSet, o: SarifOptions): string {
  const ruleIndex = new Map<string, number>();
  for (const d of diags) if (!ruleIndex.has(d.code)) ruleIndex.set(d.code, ruleIndex.size);
  const rules = [...ruleIndex.keys()].map((code) => {
    const severity: Severity = messages[code as DiagnosticCode].severity;
    return { id: code, shortDescription: { text: codeSummary(code as DiagnosticCode) }, defaultConfiguration: { level: LEVEL[severity] } };
  });
  const physical = (span: Span) => physicalLocation(span, sources, o);
  const results = diags.map((d) => {
    const at = d.span ? physical(d.span) : null;
    const origin = d.span && !at ? ` (in ${d.span.file}${inlineText(d.span, sources)})` : "";
    const location = {
      ...(at ? { physicalLocation: at } : {}),
      ...(d.path ? { logicalLocations: [{ fullyQualifiedName: d.path, kind: "property" }] } : {}),
    };
    const related = d.related.flatMap((r, i) => {
      const p = physical(r.span);
      return p ? [{ id: i + 1, physicalLocation: p, message: { text: r.message } }] : [];
    });
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: `${d.message}${origin}${d.hint ? `\nhelp: ${d.hint}` : ""}` },
      ...(Object.keys(location).length ? { locations: [location] } : {}),
      ...(related.length ? { relatedLocations: related } : {}),
    };
  });
  return JSON.stringify({
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [{
      tool: { driver: { name: "lavisc", version: o.toolVersion, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: folderUri(o.cwd) }, [STDLIB]: { uri: folderUri(o.stdlibDir) } },
      columnKind: "utf16CodeUnits",
      results,
    }],
  }, null, 2);
}

/** A span's file and region (1-based lines, columns in UTF-16 units, end column exclusive), or null for a span in
 *  no file (a `--set` value). */
function physicalLocation(span: Span, sources: SourceSet, o: SarifOptions) {
  const artifactLocation = artifactOf(span.file, o);
  if (!artifactLocation) return null;
  const f = sources.get(span.file);
  if (!f) return { artifactLocation };
  const s = f.position(span.start), e = f.position(span.end);
  return { artifactLocation, region: { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column } };
}

function artifactOf(file: string, o: SarifOptions): { uri: string; uriBaseId?: string } | null {
  if (file.startsWith("stdlib/")) return { uri: uriPath(file.slice("stdlib/".length)), uriBaseId: STDLIB };
  if (!isAbsolute(file)) return null;
  const rel = relative(o.cwd, file);
  if (rel && !rel.startsWith("..") && !isAbsolute(rel)) return { uri: uriPath(rel.split(sep).join("/")), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(file).href };
}

/** The text of a span in no file (`--set` values are short), quoted after its name. */
function inlineText(span: Span, sources: SourceSet): string {
  const text = sources.get(span.file)?.text;
  return text !== undefined && text.length <= 200 && !text.includes("\n") ? `: \`${text}\`` : "";
}

/** A relative path as a URI reference: each segment percent-encoded (a space, `#`, `?`). */
function uriPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function folderUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}
