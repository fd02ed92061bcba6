/**
 * The files of a parallel folder check as a queue that every thread takes from directly: a counter in shared memory,
 * advanced atomically, so each file is taken by exactly one thread and no thread waits for another to hand it work.
 */
export class FileQueue {
  private readonly next: Int32Array;

  /** A queue of the indexes 0 .. length - 1, or the one another thread made (`shared`). */
  constructor(
    readonly length: number,
    readonly shared: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.next = new Int32Array(shared);
  }

  /** The next index, or -1 once all are taken. */
  take(): number {
    const i = Atomics.add(this.next, 0, 1);
    return i < this.length ? i : -1;
  }
}
