import type { Command } from "commander";
import type { Action } from "../main.js";

/** `lavisc lsp --stdio`: the language server for editors (src/lsp/), on standard input and output. */
export function registerLspCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("lsp")
    .description("run the language server for editors (diagnostics, hover, completion, definitions, formatting)")
    .option("--stdio", "talk the Language Server Protocol on standard input and output (the only transport)")
    .action(() => {
      setAction(async () => {
        const { runLanguageServer } = await import("../../lsp/server.js");
        // Returns only when the client's pipe closed without an `exit` (which ends the process itself): the server
        // ends then, with LSP's status (1 unless a shutdown came first), whatever timers or workers are still alive.
        process.exit(await runLanguageServer(process.stdin, process.stdout));
      });
    });
}
