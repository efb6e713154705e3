/**
 * A reader that stops early (`loanmail cases --json | head -c 300`) closes our stdout: the next write fails with
 * EPIPE, which Node raises as an unhandled 'error' event and a stack trace. A closed stdout or stderr is not a
 * failure of the command: from then on its writes go nowhere, the command finishes what it was doing (a sync
 * half-stopped would only have to be resumed), and the exit code is the command's own.
 */
const watched = new WeakSet<NodeJS.WriteStream>();

export function quietWhenClosed(stream: NodeJS.WriteStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
    stream.write = ((_chunk: unknown, encodingOrDone?: unknown, done?: unknown): boolean => {
      const callback = typeof encodingOrDone === "function" ? encodingOrDone : done;
      if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
      return true;
    }) as typeof stream.write;
  });
}
