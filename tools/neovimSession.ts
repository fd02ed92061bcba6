// Runs lavisc's language server in a real editor: headless Neovim (0.7+, Debian's `neovim`) with its built-in LSP
// client, through tools/neovim/session.lua. Used by test/lsp/neovim.test.ts and by `npm run capture:neovim`, which
// writes the text capture in docs/editors/neovim-session.txt (test/lsp/neovimCapture.test.ts holds that capture to
// what the server says now, without Neovim). Run directly, it is the capture command.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface NeovimSession {
  readonly diagnostics: { line: number; col: number; severity: string; code: string; message: string }[];
  /** The hover as Neovim's `convert_input_to_markdown_lines` gives it (what its hover window shows). */
  readonly hover: string[];
  readonly completion: string[];
  readonly errors: string[];
}

/** 0-based positions, as the protocol counts. */
export interface SessionRequests {
  readonly hover: { line: number; character: number };
  readonly completion: { line: number; character: number };
}

export function neovimAvailable(): boolean {
  return spawnSync("nvim", ["--version"], { encoding: "utf8" }).status === 0;
}

export function runNeovimSession(file: string, at: SessionRequests): NeovimSession {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-nvim-"));
  const out = join(dir, "session.json");
  try {
    const r = spawnSync("nvim", ["--headless", "--clean", "-n", "-c", `luafile ${join(root, "tools", "neovim", "session.lua")}`], {
      encoding: "utf8",
      timeout: 90_000,
      env: {
        ...process.env,
        LAVISC_FILE: file, LAVISC_OUT: out, LAVISC_NODE: process.execPath, LAVISC_BIN: join(root, "bin", "lavisc.cjs"),
        LAVISC_HOVER_LINE: String(at.hover.line), LAVISC_HOVER_COL: String(at.hover.character),
        LAVISC_COMPLETE_LINE: String(at.completion.line), LAVISC_COMPLETE_COL: String(at.completion.character),
      },
    });
    let text: string;
    try {
      text = readFileSync(out, "utf8");
    } catch {
      throw new Error(`Neovim wrote no result (exit ${r.status}${r.signal ? `, ${r.signal}` : ""}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
    }
    const s = JSON.parse(text) as Partial<NeovimSession>;
    // Neovim encodes an empty Lua table as an empty object.
    const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
    return { diagnostics: list(s.diagnostics), hover: list(s.hover), completion: list(s.completion), errors: list(s.errors) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The session as text: the diagnostics Neovim lists, the hover window's lines, the completion menu. */
export function sessionText(file: string, at: SessionRequests, s: NeovimSession, nvimVersion: string): string {
  const name = basename(file);
  const lines = [
    `Headless ${nvimVersion} with its built-in LSP client running \`lavisc lsp --stdio\` on ${name}`,
    `(tools/neovim/session.lua; regenerate with \`npm run capture:neovim\`).`,
    "",
    "== vim.diagnostic.get(0) ==",
  ];
  for (const d of s.diagnostics) {
    const [first, ...rest] = d.message.split("\n");
    lines.push(`${name}:${d.line}:${d.col}: ${d.severity} ${d.code} ${first}`, ...rest.map((x) => `    ${x}`));
  }
  lines.push("", `== textDocument/hover at ${at.hover.line + 1}:${at.hover.character + 1} (the hover window) ==`, ...s.hover);
  lines.push("", `== textDocument/completion at ${at.completion.line + 1}:${at.completion.character + 1} (the menu) ==`, s.completion.join("  "));
  return lines.join("\n") + "\n";
}

/** The example behind the capture, and where its hover and completion are asked. */
export const captureExample = {
  file: join(root, "docs", "editors", "caption_typo.lv"),
  at: { hover: { line: 25, character: 5 }, completion: { line: 5, character: 21 } },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!neovimAvailable()) {
    console.error("nvim is not installed (Debian: apt-get install -y neovim)");
    process.exit(1);
  }
  const version = spawnSync("nvim", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]!.trim();
  const s = runNeovimSession(captureExample.file, captureExample.at);
  if (s.errors.length) throw new Error(s.errors.join("; "));
  const target = join(root, "docs", "editors", "neovim-session.txt");
  writeFileSync(target, sessionText(captureExample.file, captureExample.at, s, version));
  console.log(`wrote ${target}`);
}
