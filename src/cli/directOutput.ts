import { writeSync } from "node:fs";

/**
 * A writer for file descriptor 1 or 2 that writes with `fs.writeSync`, without creating `process.stdout`: Node
 * builds that stream (and loads its stream and net modules) on first use, several milliseconds of a cold
 * `lavisc check`. Output is written before the call returns, as Node does for files, TTYs and pipes on Linux.
 * A reader that went away (`lavisc check DIR | head`: EPIPE) ends the output quietly, as Unix tools do, instead of
 * an "Unhandled 'error' event" trace; a pipe that would block (EAGAIN) hands the rest, and everything after it, to the
 * stream, which waits for the reader. (Code that writes through `process.stdout` itself, such as `console.log`, is
 * ordered with this output as long as the pipe has room: both write at once. Behind a full pipe the stream queues,
 * and a line written here after the reader catches up could come before the queued ones.)
 */
export function directWriter(fd: 1 | 2, stream: () => NodeJS.WritableStream): (text: string) => void {
  let mode: "direct" | "stream" | "closed" = "direct";
  const viaStream = (data: string | Uint8Array) => {
    if (mode !== "stream") {
      mode = "stream";
      stream().on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e;
        mode = "closed";
      });
    }
    stream().write(data);
  };
  return (text) => {
    if (mode === "closed") return;
    if (mode === "stream") return viaStream(text);
    const bytes = Buffer.from(text, "utf8");
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") mode = "closed";
      else if (code === "EAGAIN") viaStream(bytes.subarray(done));
      else throw e;
    }
  };
}
