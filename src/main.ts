import { formatEnvProblems, loadDotEnvFile, loadEnv } from './config/env.js';
import { createCourtesyLoop } from './courtesy-loop.js';
import { createLogger } from './logger.js';

/** Entry point: read and check the environment, build the app, run until SIGTERM/SIGINT, reload on SIGHUP. */
async function main(): Promise<void> {
  loadDotEnvFile();
  const result = loadEnv();
  if (!result.ok) {
    process.stderr.write(`${formatEnvProblems(result.problems)}\n`);
    process.exit(1);
  }
  const { env } = result;
  const logger = createLogger({ level: env.logLevel });

  let loop: ReturnType<typeof createCourtesyLoop>;
  try {
    loop = createCourtesyLoop({ env, logger });
  } catch (error) {
    process.stderr.write(
      `Courtesy Loop cannot start:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
  try {
    await loop.start();
  } catch (error) {
    process.stderr.write(
      `Courtesy Loop cannot start:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    await loop.stop(0);
    process.exit(1);
  }

  process.on('SIGHUP', () => {
    void loop.reloadConfig();
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    loop
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Courtesy Loop stopped on an unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
