import pretty from 'pino-pretty';
import { createLogSink, type LogSink } from './log-sink.js';

/**
 * Where logs go, by who reads them: a person at a terminal gets pino-pretty's coloured lines (written
 * synchronously: a terminal keeps up, and a line is never lost at exit); anything else (a pipe, a file, a
 * container's log driver, journald) gets the JSON lines, asynchronous and bounded (see log-sink.ts).
 */
export function createStdoutLogSink(stdoutIsTerminal: boolean): LogSink {
  if (!stdoutIsTerminal) return createLogSink();
  const stream = pretty({
    colorize: true,
    destination: 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app',
  });
  return {
    write: (line) => {
      stream.write(line);
    },
    flush: async () => true,
    dropped: () => 0,
  };
}
