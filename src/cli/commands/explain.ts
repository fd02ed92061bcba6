import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, diagnosticsToJson, visible, type Span } from "../../diagnostics/index.js";
import { getPath, leaves, type CNode, type Origin } from "../../semantic/configTree.js";
import { SECTIONS } from "../../semantic/resolve.js";
import { valueText, typedJson } from "../../semantic/valueText.js";
import { displayPath, explainOriginText } from "../../interop/originText.js";
import { codeDefaultDifferences, ignoredGenerationValues } from "../../semantic/facts.js";

export interface ExplainOptions {
  readonly format: "text" | "json";
  readonly set: string[];
  readonly options?: string[];
}

/** `lavisc explain FILE [KEY]`: the resolved experiment in LAVIS's sections, with the origin of every value. */
export async function explainCommand(host: Host, file: string, key: string | undefined, o: ExplainOptions): Promise<number> {
  const r = checkFile(resolve(host.cwd, file), host, { sets: o.set, options: o.options ?? [], experimentFor: "explain" });
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  // Without a file layer, or with a mistake in the command line, there is nothing to explain.
  if (!r.resolved || exitCodeFor(r.diagnostics) === ExitCode.Usage) {
    host.stderr(renderDiagnostics(sortDiagnostics(r.diagnostics), sources, { color: host.color, cwd: host.cwd }));
    // A program reading `--format json` gets the reason on stdout too, in `check --format json`'s form.
    if (o.format === "json") host.stdout(diagnosticsToJson(sortDiagnostics(r.diagnostics), sources, host.cwd) + "\n");
    return exitCodeFor(r.diagnostics) || ExitCode.Diagnostics;
  }
  const root = r.resolved.root;
  const where = (span: Span | null | undefined) => {
    if (!span) return null;
    const f = sources.get(span.file);
    const pos = f?.position(span.start);
    return { file: displayPath(span.file, host.cwd), line: pos?.line ?? null };
  };
  const originText = (o: Origin) => explainOriginText(o, sources, host.cwd);

  let path: string[] = [];
  let node: CNode = root;
  if (key) {
    const parts = key.split(".");
    path = [SECTIONS[parts[0]!] ?? parts[0]!, ...parts.slice(1)];
    const found = getPath(root, path);
    if (!found) {
      // With errors in the experiment (a base that did not load), they are why: shown, and the exit is theirs.
      if (errors.length) host.stderr(renderDiagnostics(sortDiagnostics(errors), sources, { color: host.color, cwd: host.cwd }));
      host.stderr(`error: \`${visible(key)}\` has no value in ${visible(file)}\n`);
      return errors.length ? exitCodeFor(errors) : ExitCode.Usage;
    }
    node = found;
  }

  // Where the documented default the experiment relies on differs from LAVIS's current code, both are shown.
  // (A LAVIS YAML that leaves such a key out has LAVIS's value already, and its origin says so.)
  const lavisCode = new Map(codeDefaultDifferences(r.resolved).filter((d) => d.taken === "documented").map((d) => [d.path.join("."), d.code]));
  // A recipe value the model's generate does not take: the value it generates with instead (stdlib `generate_fixed`).
  const generatesWith = ignoredGenerationValues(r.resolved);
  const arch = getPath(root, ["model", "arch"]);
  const ignoredBy = (p: readonly string[]) => {
    const f = generatesWith.get(p.join("."));
    return f ? `; model ${arch?.kind === "scalar" ? String(arch.value) : "?"} generates with ${f.text} (its generate takes no ${f.key})` : "";
  };
  if (o.format === "json") {
    const origins: Record<string, unknown> = {};
    for (const [p, n] of leaves(node, path)) {
      if (p.length === 0) continue; // the whole experiment empty (an empty file, YAML that is not LAVIS's): no key
      const w = where(n.origin.span);
      const code = lavisCode.get(p.join("."));
      // A value computed from others (`${model.arch}`, a stdlib formula, `${oc.env:DATA}`) lists what it read.
      const reads = n.origin.deps?.map((d) => d.path);
      // LAVIS's code fallback a YAML took: the documented default a `.lv` would have instead.
      const documented = n.origin.kind === "code-default" ? n.origin.documented : undefined;
      origins[p.join(".")] = {
        kind: n.origin.kind, file: w?.file ?? null, line: w?.line ?? null, from: n.origin.from ?? null, ...(reads?.length ? { reads } : {}),
        ...(code ? { lavisCode: JSON.parse(typedJson(code, 0, 0)) } : {}), ...(documented ? { documented: JSON.parse(typedJson(documented, 0, 0)) } : {}),
        ...(generatesWith.has(p.join(".")) ? { generatesWith: generatesWith.get(p.join("."))!.value } : {}),
      };
    }
    // Typed JSON: a float stays a float (`-1.0`), as OmegaConf has it.
    const config = key ? typedJson(node, 2, 1) : orderedConfig(root);
    // The errors of a config shown anyway (the text form says so on stderr), as `check --format json` gives them.
    const diagnostics = errors.length ? `,\n  "diagnostics": ${JSON.stringify(JSON.parse(diagnosticsToJson(sortDiagnostics(errors), sources, host.cwd)).diagnostics)}` : "";
    host.stdout(`{\n  "config": ${config},\n  "origins": ${JSON.stringify(origins, null, 2).replace(/\n/g, "\n  ")}${diagnostics}\n}\n`);
  } else {
    const lines: string[] = [];
    // The whole experiment empty (an empty file, or YAML that is not a LAVIS config): say so instead of ` = {}`.
    if (!key && node.kind === "map" && node.entries.size === 0) {
      const notLavis = r.diagnostics.find((d) => d.code === "LV2024");
      if (errors.length) host.stderr(renderDiagnostics(sortDiagnostics(errors), sources, { color: host.color, cwd: host.cwd }));
      host.stderr(`${file}: nothing to explain: ${notLavis ? "it is not a LAVIS config (none of the sections model, datasets, run)" : "the experiment is empty"}.\n`);
      return exitCodeFor(errors);
    }
    for (const [p, n] of leaves(node, path)) {
      const code = lavisCode.get(p.join("."));
      lines.push(`${p.join(".")} = ${valueText(n)}  ${originText(n.origin)}${code ? `; LAVIS's current code falls back to ${valueText(code)}` : ""}${ignoredBy(p)}`);
    }
    host.stdout(lines.join("\n") + "\n");
    if (errors.length) host.stderr(`\n${errors.length} error${errors.length === 1 ? "" : "s"}; run \`lavisc check ${file}\` for details.\n`);
  }
  return exitCodeFor(errors);
}

function orderedConfig(root: CNode): string {
  if (root.kind !== "map") return typedJson(root, 2, 1);
  const entries = new Map<string, CNode>();
  for (const k of ["model", "preprocess", "datasets", "run"]) {
    const v = root.entries.get(k);
    if (v) entries.set(k, v);
  }
  return typedJson({ ...root, entries }, 2, 1);
}
