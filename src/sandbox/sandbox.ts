import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { parse } from 'yaml';
import { loadEnv } from '../config/env.js';
import { type CourtesyLoop, createCourtesyLoop } from '../courtesy-loop.js';
import { createSandboxClock, type SandboxClock } from './clock.js';
import { DEMO_CHANNELS, DEMO_PEOPLE } from './demo/people.js';
import { type SeedResult, seedDemo, seedStart } from './demo/seed.js';
import { type PageServer, startPageServer } from './page-server.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';
import { createTimeControl, type TimeControl } from './time-control.js';
import { createWorkspace, type Workspace } from './workspace.js';
import { createSnapshots } from './workspace-snapshot.js';

/**
 * The sandbox: the real app (createCourtesyLoop, HTTP mode, the same code path as `npm start`) against the
 * built-in local Slack, a demo organisation with weeks of history, and a page on 127.0.0.1 to use it.
 */

export const DEMO_ORG_CONFIG = fileURLToPath(new URL('./demo/org.yaml', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../manifests/slack-app.http.yaml', import.meta.url));
/** The sandbox's own database: never the production default (data/courtesy-loop.db). */
export const SANDBOX_DATABASE = 'data/sandbox.db';

export type SandboxOptions = {
  logger: Logger;
  /** Port of the page on 127.0.0.1; 0 picks a free one. */
  port: number;
  databasePath?: string;
  /** Weeks of demo history to create (0: none). */
  weeks?: number;
  /** Where the sandbox clock starts when no history is created (default: now); it only moves forward. */
  startAt?: number;
};

export type Sandbox = {
  pageUrl: string;
  appUrl: string;
  loop: CourtesyLoop;
  standIn: SlackStandIn;
  workspace: Workspace;
  clock: SandboxClock;
  time: TimeControl;
  seeded: SeedResult | undefined;
  stop(): Promise<void>;
};

/** The app's message shortcuts, named as the manifest names them. */
function messageShortcuts(): { callbackId: string; name: string }[] {
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as {
    features?: { shortcuts?: { name: string; type: string; callback_id: string }[] };
  };
  return (manifest.features?.shortcuts ?? [])
    .filter((s) => s.type === 'message')
    .map((s) => ({ callbackId: s.callback_id, name: s.name }));
}

function freshDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  mkdirSync(dirname(path), { recursive: true });
}

/** The app's environment in the sandbox: the stand-in's URL, a fresh signing secret, the demo org. */
function sandboxEnv(apiUrl: string, signingSecret: string, databasePath: string, logLevel: string) {
  const env = loadEnv({
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: apiUrl,
    PORT: '0',
    DATABASE_PATH: databasePath,
    ORG_CONFIG: DEMO_ORG_CONFIG,
    LOG_LEVEL: logLevel,
  });
  if (!env.ok) throw new Error(`sandbox environment: ${env.problems.join('; ')}`);
  return env.env;
}

/** The sandbox page: snapshots of the local Slack as people see it, and the controls that act in it. */
function startPage(
  parts: {
    loop: CourtesyLoop;
    standIn: Sandbox['standIn'];
    workspace: Sandbox['workspace'];
    clock: Parameters<typeof createSnapshots>[0]['clock'];
    time: Parameters<typeof startPageServer>[0]['time'];
  },
  port: number,
): Promise<PageServer> {
  const { loop, standIn, workspace, clock, time } = parts;
  const snapshots = createSnapshots({
    standIn,
    record: workspace.record,
    clock,
    people: DEMO_PEOPLE,
    channels: DEMO_CHANNELS,
    timeZone: loop.config.current().timezone,
    view: workspace.view,
  });
  const kudosEmoji = loop.config.current().kudos?.reaction;
  return startPageServer(
    {
      workspace,
      time,
      standIn,
      snapshot: snapshots.snapshot,
      info: {
        shortcuts: messageShortcuts(),
        timeZone: loop.config.current().timezone,
        reactions: [...new Set([kudosEmoji ?? 'clap', 'eyes', 'white_check_mark', 'heart', 'tada'])],
      },
    },
    port,
  );
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const databasePath = options.databasePath ?? SANDBOX_DATABASE;
  const weeks = options.weeks ?? 5;
  freshDatabase(databasePath);
  const standIn = await startSlackStandIn({
    teamName: 'Acme Outdoor (sandbox)',
    teamDomain: 'acme-sandbox',
    botUserName: 'courtesy-loop',
  });
  const clock = createSandboxClock(weeks > 0 ? seedStart(weeks) : (options.startAt ?? Date.now()));
  const signingSecret = randomBytes(24).toString('hex');
  const env = sandboxEnv(standIn.apiUrl, signingSecret, databasePath, options.logger.level);
  // The local Slack answers at once and never rate-limits: a retry (a thread line waiting for its message, a
  // notice waiting for the item's new post) need not back off for minutes, which would hold its channel's
  // queue in order behind it and make the page look stuck.
  const loop = createCourtesyLoop({
    env,
    logger: options.logger,
    clock,
    delivery: { retryBaseMs: 100, maxDelayMs: 1_000 },
  });
  let appUrl = '';
  const workspace = createWorkspace({
    standIn,
    clock,
    appUrl: () => appUrl,
    signingSecret,
    people: DEMO_PEOPLE,
    channels: DEMO_CHANNELS,
  });
  const time = createTimeControl(loop, clock);
  const stopAll: (() => Promise<void>)[] = [() => standIn.close()];
  const stop = async () => {
    for (const step of stopAll.splice(0).reverse()) await step();
  };
  try {
    appUrl = `http://127.0.0.1:${await loop.start()}/slack/events`;
    stopAll.push(() => loop.stop(1000));
    const seeded = weeks > 0 ? await seedDemo({ workspace, standIn, clock, time }, Date.now()) : undefined;
    const page = await startPage({ loop, standIn, workspace, clock, time }, options.port);
    stopAll.push(() => page.close());
    return { pageUrl: page.url, appUrl, loop, standIn, workspace, clock, time, seeded, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
