import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkFile } from "../../src/index.js";
import { canBeHubId, preflightLavis } from "../../src/interop/lavisPreflight.js";
import { fromRoot } from "../harness/repoRoot.js";
import { preflightSetup, standInLavis } from "../conformance/reportedCases.js";

// The preflight of `run --engine lavis` on the language model key (stdlib `language_model { key }`): a value that
// cannot be a Hugging Face id is a folder the user meant (MiniGPT-4#308, Video-LLaMA#76: `weights/vicuna-7b/` was
// read as a Hub id), so it must exist.

const caseFile = fromRoot("test", "conformance", "reported", "lavis-313-llm-model-local-folder-missing.yaml");
const text = readFileSync(caseFile, "utf8");

function problems(llmModel: string, folders: readonly string[] = []): string[] {
  const path = join(fromRoot("test", "conformance", "reported"), "llm-model-case.yaml");
  const yaml = text.replace("  load_pretrained: True\n", `  load_pretrained: True\n  llm_model: ${JSON.stringify(llmModel)}\n`);
  const reader = {
    readFile: (p: string) => (p === path ? yaml : readFileSync(p, "utf8")),
    exists: (p: string) => {
      if (p === path) return true;
      try {
        statSync(p);
        return true;
      } catch {
        return false;
      }
    },
  };
  const r = checkFile(path, reader);
  assert.ok(r.resolved);
  const { lavisRoot } = standInLavis(preflightSetup(caseFile));
  for (const f of folders) mkdirSync(join(lavisRoot, f), { recursive: true });
  return preflightLavis({ root: r.resolved!.root, registry: r.resolved!.registry, lavisRoot, python: "/nonexistent/python" }).map((p) => p.message).filter((m) => m.startsWith("model.llm_model"));
}

test("huggingface_hub's repo id rule", () => {
  for (const ok of ["lmsys/vicuna-7b-v1.1", "gpt2", "facebook/opt-2.7b", "a.b_c-d"]) assert.ok(canBeHubId(ok), ok);
  for (const bad of ["weights/vicuna-7b-v1.1/", "a/b/c", "please set this value to the path of vicuna model", "a--b", "x/..y", "repo.git", "-a", "a".repeat(97)]) assert.not.ok(canBeHubId(bad), bad);
});

test("a value that cannot be a Hub id and names no folder is a problem; a Hub id or an existing folder is not", () => {
  assert.match(problems("weights/vicuna-7b-v1.1/")[0] ?? "", /^model\.llm_model is weights\/vicuna-7b-v1\.1\/, not a Hugging Face id \(`namespace\/name`\), and no folder of that name exists here/);
  assert.equal(problems("weights/vicuna-7b-v1.1/", ["weights/vicuna-7b-v1.1"]), []);
  assert.equal(problems("lmsys/vicuna-7b-v1.1"), []);
  assert.match(problems("./llm/vicuna-7b")[0] ?? "", /a local folder that does not exist here/);
});

test.run();
