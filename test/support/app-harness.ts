import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Clock } from '../../src/clock.js';
import type { AppEnv } from '../../src/config/env.js';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { type CourtesyLoop, createCourtesyLoop } from '../../src/courtesy-loop.js';
import type { Logger } from '../../src/logger.js';
import { ids, orgConfigInput } from './org-fixture.js';
import { createSlackDriver, type SlackDriver } from './slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';
import { silentLogger, tempDir } from './temp-dir.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export type Harness = {
  standIn: SlackStandIn;
  loop: CourtesyLoop;
  appUrl: string;
  baseUrl: string;
  /** Acts as the support rep in a normal channel. */
  rep: SlackDriver;
  driverFor(user: { id: string; name: string }): SlackDriver;
  orgConfigPath: string;
  writeOrgConfig(text: string): void;
  /** Stop the app (as SIGTERM would) and start a new one on the same database and stand-in. */
  restart(): Promise<void>;
  /** Stop the app without touching the stand-in (a crash or deploy). */
  stopApp(): Promise<void>;
  startApp(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The real app — config file, SQLite file, Bolt's HTTP receiver on a random port — talking to the local
 * Slack stand-in. Delivery retries are shortened so tests about retries finish in milliseconds, not minutes.
 */
export async function startHarness(
  options: {
    config?: Partial<OrgConfigInput>;
    clock?: Clock;
    /** Where the app logs (default: nowhere); `captureLogs()` keeps the lines for a test to read. */
    logger?: Logger;
    /** Set up the stand-in (faults, users) before the app starts and runs its start-up work. */
    beforeStart?: (standIn: SlackStandIn) => void;
    /** How long one Slack call may take before the app gives up on it (default: the app's 10 s). */
    slackTimeoutMs?: number;
    /** Environment settings beyond the defaults (e.g. `metricsPort`). */
    env?: Partial<AppEnv>;
  } = {},
): Promise<Harness> {
  const dir = tempDir();
  const standIn = await startSlackStandIn();
  options.beforeStart?.(standIn);
  const orgConfigPath = join(dir.path, 'org.yaml');
  writeFileSync(orgConfigPath, stringify(orgConfigInput(options.config)));
  const env: AppEnv = {
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    appToken: undefined,
    slackApiUrl: standIn.apiUrl,
    port: 0,
    databasePath: join(dir.path, 'courtesy-loop.db'),
    orgConfigPath,
    logLevel: 'silent',
    shutdownDrainMs: 1000,
    mode: 'http',
    ...options.env,
  };

  let loop: CourtesyLoop | undefined;
  let appUrl = '';
  let baseUrl = '';
  const startApp = async () => {
    loop = createCourtesyLoop({
      env,
      logger: options.logger ?? silentLogger,
      ...(options.clock ? { clock: options.clock } : {}),
      delivery: {
        retryBaseMs: 40,
        maxDelayMs: 400,
        pollMs: 25,
        circuit: { baseMs: 50, maxMs: 400 },
        tokenRetryMs: 100,
      },
      ...(options.slackTimeoutMs ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
    });
    const port = await loop.start();
    baseUrl = `http://127.0.0.1:${port}`;
    appUrl = `${baseUrl}/slack/events`;
  };
  const stopApp = async () => {
    await loop?.stop(1000);
  };
  await startApp();

  const driverFor = (user: { id: string; name: string }) =>
    createSlackDriver({
      appUrl,
      secret: SIGNING_SECRET,
      standIn,
      user,
      channel: { id: 'C0SUPPORT1', name: 'support' },
    });

  return {
    standIn,
    get loop() {
      if (!loop) throw new Error('app not started');
      return loop;
    },
    get appUrl() {
      return appUrl;
    },
    get baseUrl() {
      return baseUrl;
    },
    get rep() {
      return driverFor({ id: ids.rep, name: 'rita' });
    },
    driverFor,
    orgConfigPath,
    writeOrgConfig: (text) => writeFileSync(orgConfigPath, text),
    async restart() {
      await stopApp();
      await startApp();
    },
    stopApp,
    startApp,
    async close() {
      await stopApp();
      await standIn.close();
      dir.remove();
    },
  };
}
