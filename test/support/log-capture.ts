import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export type LogLine = { level: number; msg?: string; module?: string; err?: { stack?: string } } & Record<
  string,
  unknown
>;

/** The app's real logger (pino, redaction and all) writing JSON lines into memory, for tests about logging. */
export function captureLogs(level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ level, destination: stream }), lines };
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
