import { WebClient } from '@slack/web-api';
import { formatEnvProblems, loadDotEnvFile, loadEnv } from '../config/env.js';
import { runDoctor } from '../doctor/doctor.js';
import { boltLoggerAdapter, createLogger } from '../logger.js';

/** `npm run doctor`: check the setup against the real workspace; exit 0 when nothing must be fixed, 1 otherwise. */
async function main(): Promise<number> {
  loadDotEnvFile();
  const result = loadEnv();
  if (!result.ok) {
    process.stderr.write(`${formatEnvProblems(result.problems)}\n`);
    return 1;
  }
  const { env } = result;
  const logger = createLogger({ level: 'silent' });
  const options = {
    logger: boltLoggerAdapter(logger),
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
  };
  const report = await runDoctor({
    env,
    client: new WebClient(env.botToken, options),
    ...(env.appToken ? { appClient: new WebClient(env.appToken, options) } : {}),
    now: Date.now(),
    logger,
  });
  process.stdout.write(report.text);
  return report.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`doctor failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
