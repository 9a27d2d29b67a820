import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { type AppProcess, startAppAgainst } from '../support/app-process.js';
import { ids } from '../support/org-fixture.js';
import { createSlackDriver } from '../support/slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The app process on SIGTERM when whatever reads its stdout goes away or stops reading (a log shipper
 * restarting, `npm start | pino-pretty` stopped, npm killed with its process group). It used to log
 * "stopped", call process.exit and then spin forever in pino's synchronous flush retrying EPIPE.
 */

const DRAIN_MS = 1000;
/** A hang is what these tests catch: the bound is the promised drain + 1 s, plus room for a loaded machine. */
const HANG_AFTER_MS = DRAIN_MS + 1000 + 5000;

let dir: ReturnType<typeof tempDir>;
let standIn: SlackStandIn;
let app: AppProcess | undefined;

beforeEach(async () => {
  dir = tempDir();
  standIn = await startSlackStandIn();
});
afterEach(async () => {
  await app?.kill();
  app = undefined;
  await standIn.close();
  dir.remove();
});

async function startApp(logLevel = 'info'): Promise<{ app: AppProcess; appUrl: string }> {
  const started = await startAppAgainst({
    standIn,
    dir: dir.path,
    env: { LOG_LEVEL: logLevel, SHUTDOWN_DRAIN_MS: String(DRAIN_MS) },
  });
  app = started.app;
  return started;
}

/** The exit code, or 'still running' if the process has not exited by the bound. */
async function exitOf(run: AppProcess): Promise<number | null | 'still running'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), HANG_AFTER_MS);
  });
  const code = await Promise.race([run.exited, hung]);
  clearTimeout(timer);
  return code;
}

const rep = (appUrl: string) =>
  createSlackDriver({ appUrl, secret: SIGNING_SECRET, standIn, user: { id: ids.rep, name: 'rita' } });

describe('the app process exits on SIGTERM whatever its stdout does', () => {
  it('exits 0 when the parent closed its stdout just before SIGTERM', async () => {
    const { app: run, appUrl } = await startApp();
    expect((await rep(appUrl).command(Commands.feedback, 'the invoice charged twice')).text).toContain(
      'FB-1',
    );
    run.child.stdout?.destroy();
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
  });

  it('exits 0 when SIGTERM comes three times after the pipe closed (npm and its process group)', async () => {
    const { app: run } = await startApp();
    run.child.stdout?.destroy();
    for (let i = 0; i < 3; i++) {
      run.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(await exitOf(run)).toBe(0);
  });

  it('keeps answering while nobody reads its stdout, then exits on SIGTERM', async () => {
    const { app: run, appUrl } = await startApp('debug');
    run.child.stdout?.pause();
    const driver = rep(appUrl);
    // About 0.5 KB of debug lines per request: 600 requests fill the pipe (64 KiB) and what the parent
    // buffers before it stops reading (64 KiB) several times over.
    for (let batch = 0; batch < 60; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => driver.command(Commands.feedback, `invoice case ${batch}-${i}`)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    }
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
  }, 60_000);
});
