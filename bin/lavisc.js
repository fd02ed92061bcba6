#!/usr/bin/env node
// Thin shell: everything lives in runCli so it can be tested in-process.
import { runCli } from "../dist/src/cli/main.js";
import { nodeHost } from "../dist/src/cli/host.js";
process.exitCode = await runCli(process.argv.slice(2), nodeHost());
