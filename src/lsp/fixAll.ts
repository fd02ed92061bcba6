import { CodeActionTriggerKind, type CodeAction, type CodeActionContext, type CodeActionKind } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { fixText } from "../fixes/index.js";
import type { FileReader } from "../project/loadExperiment.js";
import { uriToPath } from "./convert.js";
import { isLavisYaml } from "./analysis.js";

// "Fix all": `lavisc check --fix` on the open document (src/fixes/fixText.ts), as one edit of the whole text, under
// the `source.fixAll` kind that editors run on save (VS Code's `editor.codeActionsOnSave`).

export const FIX_ALL: CodeActionKind = "source.fixAll.lavisc";

/**
 * Whether to compute "fix all" for a code-action request: when its `only` filter names it (`source.fixAll`, `source`:
 * on save), or the user asked for actions (triggerKind Invoked). Not for the requests an editor sends by itself as
 * the cursor moves (the light bulb), which would run `check --fix` at every move.
 */
export function wantsFixAll(context: CodeActionContext): boolean {
  if (context.only) return context.only.some((o) => FIX_ALL === o || FIX_ALL.startsWith(`${o}.`));
  return context.triggerKind === CodeActionTriggerKind.Invoked;
}

export function fixAllAction(doc: TextDocument, reader: FileReader): CodeAction[] {
  const path = uriToPath(doc.uri);
  const text = doc.getText();
  // Other YAML in the workspace (a CI workflow) is not lavisc's to change.
  if (path === null) return []; // a URI with no file path is not checked, so not fixed either
  if (!path.endsWith(".lv") && !(/\.ya?ml$/i.test(path) && isLavisYaml(text))) return [];
  const fixed = fixText(path, text, reader);
  if (!fixed.applied.length) return [];
  const end = doc.positionAt(text.length);
  return [{
    title: `Fix ${fixed.applied.length} problem${fixed.applied.length === 1 ? "" : "s"} lavisc can fix for certain`,
    kind: FIX_ALL,
    edit: { changes: { [doc.uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: fixed.text }] } },
  }];
}
