import { formatEnvProblems, loadDotEnvFile, loadEnv } from './config/env.js';
import { type CourtesyLoop, createCourtesyLoop } from './courtesy-loop.js';
import type { LogSink } from './log-sink.js';
import { createLogger, type Logger } from './logger.js';
import { createStdoutLogSink } from './pretty-log-sink.js';

/** After the drain, how long buffered log lines may take to reach stdout before the process exits anyway. */
const LOG_FLUSH_MS = 500;
/** The process exits within the drain time plus this, whatever its stdout or a stuck shutdown step does. */
const EXIT_MARGIN_MS = 1000;

/** Entry point: read and check the environment, build the app, run until SIGTERM/SIGINT, reload on SIGHUP. */
async function main(): Promise<void> {
  loadDotEnvFile();
  const result = loadEnv();
  if (!result.ok) {
    process.stderr.write(`${formatEnvProblems(result.problems)}\n`);
    process.exit(1);
  }
  const { env } = result;
  const sink = createStdoutLogSink(process.stdout.isTTY === true);
  const logger = createLogger({ level: env.logLevel, destination: sink });

  let loop: CourtesyLoop;
  try {
    loop = createCourtesyLoop({ env, logger });
  } catch (error) {
    process.stderr.write(
      `Courtesy Loop cannot start:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    await sink.flush(LOG_FLUSH_MS);
    process.exit(1);
  }
  // Listening from before the start: a signal during start-up (or right as "running" is logged) is not the
  // default instant death; it stops the app cleanly once the start has finished, and the exit still comes
  // within the drain time plus a second if the start never does.
  const shutdown = shutdownOnce({ loop, logger, sink, drainMs: env.shutdownDrainMs });
  let started = false;
  let signalledDuringStart: string | undefined;
  const onSignal = (signal: string) => {
    if (started) return shutdown(signal);
    if (signalledDuringStart) return;
    signalledDuringStart = signal;
    setTimeout(() => process.exit(1), env.shutdownDrainMs + EXIT_MARGIN_MS - 50);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    await loop.start();
  } catch (error) {
    process.stderr.write(
      `Courtesy Loop cannot start:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    await loop.stop(0);
    // Log lines are gathered before they are written (log-sink.ts): what start-up logged reaches stdout first.
    await sink.flush(LOG_FLUSH_MS);
    process.exit(1);
  }

  process.on('SIGHUP', () => {
    void loop.reloadConfig();
  });
  started = true;
  if (signalledDuringStart) shutdown(signalledDuringStart);
}

/**
 * The first signal stops the app: no new requests, posts under way get `drainMs`, logs get a short flush,
 * then exit. A timer armed at the first signal exits the process at `drainMs` + 1 s whatever is still
 * pending, so nothing (a stuck stdout, a hanging call) keeps it alive. Later signals change nothing:
 * npm and process groups often deliver SIGTERM twice, and the drain should still finish.
 */
function shutdownOnce(deps: { loop: CourtesyLoop; logger: Logger; sink: LogSink; drainMs: number }) {
  const { loop, logger, sink, drainMs } = deps;
  let stopping = false;
  return (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal, drainMs }, 'shutting down');
    // Not unref'd: this timer is what guarantees the exit.
    setTimeout(() => process.exit(1), drainMs + EXIT_MARGIN_MS - 50);
    const exit = (code: number) => {
      if (sink.dropped() > 0)
        logger.warn({ dropped: sink.dropped() }, 'log lines dropped: stdout was not keeping up');
      void sink.flush(LOG_FLUSH_MS).finally(() => process.exit(code));
    };
    loop.stop(drainMs).then(
      () => exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Courtesy Loop stopped on an unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
