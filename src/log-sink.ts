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

export function createLogSink(options: { fd?: number; maxBufferBytes?: number } = {}): LogSink {
  const stream = new SonicBoom({
    fd: options.fd ?? 1,
    sync: false,
    minLength: 0,
    maxLength: options.maxBufferBytes ?? DEFAULT_LOG_BUFFER_BYTES,
  });
  let queued = 0;
  let written = 0;
  let dropped = 0;
  let broken = false;
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
    },
    flush(deadlineMs) {
      if (broken || written >= queued) return Promise.resolve(!broken);
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
