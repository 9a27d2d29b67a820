import sonicBoom from 'sonic-boom';

// sonic-boom is CommonJS: its default export is the class, which also carries itself as `.SonicBoom`.
const { SonicBoom } = sonicBoom;

/**
 * Where log lines go: stdout, written asynchronously, never blocking the event loop.
 *
 * pino's default stdout stream flushes synchronously when the process exits, and retries forever when the
 * reader is gone (EPIPE) or stuck: a log shipper restarting or `npm start | pino-pretty` stopped left the app
 * hanging on exit, deaf to further SIGTERMs. Here the buffer is bounded (lines beyond it are dropped and
 * counted, so a slow reader costs log lines, not memory), a broken pipe stops logging instead of retrying,
 * and `flush` waits for what is buffered only until a deadline.
 */
export type LogSink = {
  /** pino's destination. */
  write(line: string): void;
  /** Resolves true once everything written so far is out, false at the deadline or on a broken pipe. */
  flush(deadlineMs: number): Promise<boolean>;
  /** Lines dropped because the reader was not keeping up, or because it went away. */
  dropped(): number;
};

export const DEFAULT_LOG_BUFFER_BYTES = 1024 * 1024;

/**
 * Lines are gathered up to this many bytes before one write, or for at most FLUSH_AFTER_MS. A write per line
 * (two lines per feedback item: stored, posted) was a libuv write request each, 4-7% of the app's busy time
 * under the intake benchmark; a person tailing the log sees a line at most that much later.
 */
const GATHER_BYTES = 8 * 1024;
const FLUSH_AFTER_MS = 50;

export function createLogSink(options: { fd?: number; maxBufferBytes?: number } = {}): LogSink {
  const stream = new SonicBoom({
    fd: options.fd ?? 1,
    sync: false,
    minLength: GATHER_BYTES,
    maxLength: options.maxBufferBytes ?? DEFAULT_LOG_BUFFER_BYTES,
  });
  let queued = 0;
  let written = 0;
  let dropped = 0;
  let broken = false;
  let gathering: NodeJS.Timeout | undefined;
  // What is gathered goes out within FLUSH_AFTER_MS; the timer runs only while something waits (and never
  // keeps the process alive: shutdown calls flush).
  const flushSoon = () => {
    if (gathering || broken) return;
    gathering = setTimeout(() => {
      gathering = undefined;
      if (broken || written >= queued) return;
      stream.flush();
      flushSoon();
    }, FLUSH_AFTER_MS);
    gathering.unref();
  };
  stream.on('write', (bytes: number) => {
    written += bytes;
  });
  stream.on('drop', (data: string) => {
    dropped += 1;
    queued -= Buffer.byteLength(data);
  });
  // EPIPE (the reader went away) or any other write error: stop writing rather than retry forever.
  stream.on('error', () => {
    broken = true;
  });

  return {
    write(line) {
      if (broken) {
        dropped += 1;
        return;
      }
      queued += Buffer.byteLength(line);
      stream.write(line);
      flushSoon();
    },
    flush(deadlineMs) {
      if (broken || written >= queued) return Promise.resolve(!broken);
      stream.flush();
      flushSoon();
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          stream.off('write', check);
          stream.off('error', fail);
          resolve(ok);
        };
        const check = () => {
          if (written >= queued) done(true);
        };
        const fail = () => done(false);
        const timer = setTimeout(() => done(false), deadlineMs);
        stream.on('write', check);
        stream.on('error', fail);
      });
    },
    dropped: () => dropped,
  };
}
