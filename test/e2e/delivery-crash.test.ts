import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Commands } from '../../src/slack/ids.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { type AppProcess, startAppProcess } from '../support/app-process.js';
import { inPool, tallyPosts } from '../support/delivery-tally.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { createSlackDriver } from '../support/slack-requests.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const RUNS = 5;
const BURST = 500;
const CHANNELS = [ids.billingChannel, ids.shippingChannel, ids.productChannel, ids.triage];
/** One text per department (and one for triage), so the burst spreads over four channels. */
const TEXTS = ['the invoice charged twice', 'the parcel never arrived', 'the app crash on login', 'a remark'];

const stopped = async (app: AppProcess, signal: NodeJS.Signals) => {
  app.child.kill(signal);
  await app.exited;
};

describe('the app killed (SIGKILL) in the middle of a burst of /feedback', () => {
  it('posts every stored item exactly once, in filing order per channel, after five kills and a restart', async () => {
    const dir = tempDir();
    const standIn = await startSlackStandIn();
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
    );
    const orgConfig = join(dir.path, 'org.yaml');
    writeFileSync(orgConfig, stringify(orgConfigInput()));
    const databasePath = join(dir.path, 'app.db');
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: standIn.apiUrl,
      PORT: '0',
      ORG_CONFIG: orgConfig,
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'info',
    };
    const apps: AppProcess[] = [];
    const start = async () => {
      const app = startAppProcess({ env, cwd: dir.path });
      apps.push(app);
      cleanups.push(() => {
        app.child.kill('SIGKILL');
      });
      const started = await app.waitForLog('Courtesy Loop is running');
      return { app, appUrl: `http://127.0.0.1:${String(started.port)}/slack/events` };
    };
    const postsMade = () => standIn.callsTo('chat.postMessage').length;

    let acked = 0;
    for (let run = 0; run < RUNS; run++) {
      // Slack makes each post at once but its answer is held 100 ms: a kill lands while posts exist in Slack
      // that the app has not heard about (the window in which the old outbox posted twice).
      standIn.injectFault('chat.postMessage', { kind: 'timeout', ms: 100 }, 1_000_000);
      const { app, appUrl } = await start();
      const rep = createSlackDriver({
        appUrl,
        secret: SIGNING_SECRET,
        standIn,
        user: { id: ids.rep, name: 'rita' },
      });
      const postsBefore = postsMade();
      let ackedNow = 0;
      const burst = inPool(BURST, 50, async (i) => {
        try {
          const res = await rep.command(Commands.feedback, `${TEXTS[i % TEXTS.length]} (${run}.${i})`);
          if (res.status === 200 && /FB-\d+/.test(res.text)) ackedNow++;
        } catch {
          // the process was killed with this request in flight: not acknowledged
        }
      });
      const midBurst = pollUntil(
        () => (ackedNow >= 150 && postsMade() - postsBefore >= 8 ? true : undefined),
        30_000,
        () => `run ${run}: ${ackedNow} acked, ${postsMade() - postsBefore} posts`,
      );
      await Promise.race([midBurst, burst]);
      await stopped(app, 'SIGKILL');
      await burst;
      await midBurst.catch(() => undefined);
      expect(ackedNow, `run ${run} acked part of the burst only`).toBeLessThan(BURST);
      acked += ackedNow;
      standIn.clearFaults();
    }

    const { app } = await start();
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    cleanups.push(() => {
      db.close();
    });
    const pending = () =>
      db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").pluck().get() as number;
    await pollUntil(
      () => (pending() === 0 ? true : undefined),
      30_000,
      () => `${pending()} deliveries still pending`,
    );
    await stopped(app, 'SIGTERM');

    const stored = db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get() as number;
    const tally = tallyPosts(standIn, CHANNELS);
    const adopted = apps
      .flatMap((a) => a.stdout)
      .filter((l) => l.includes('already in Slack; adopting it')).length;
    console.info(
      `SIGKILL x${RUNS}: acked ${acked}, stored ${stored}, posted ${tally.posted}, duplicated ${tally.duplicated}, out of order ${tally.outOfOrder}, postMessage calls ${postsMade()}, adopted after restart ${adopted}`,
    );
    expect(stored).toBeGreaterThanOrEqual(acked);
    expect(tally).toEqual({ posted: stored, duplicated: 0, outOfOrder: 0 });
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'dead'").pluck().get()).toBe(0);
  }, 120_000);
});
