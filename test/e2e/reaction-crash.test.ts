import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { reactionRetryKey } from '../../src/kudos/outbox.js';
import { enqueueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { type AppProcess, startAppAgainst } from '../support/app-process.js';
import {
  ANA,
  closeKudosWorkspaces,
  KUDOS_CHANNEL,
  LI,
  reactionEvent,
  sendHandledEvent,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';
import { createSlackDriver } from '../support/slack-requests.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Bolt answers an event before its listener runs, so a reaction is answered 200 while its kudos is still being
 * given (often waiting on Slack to learn who someone is). The reaction is journalled in the outbox before that
 * answer: a process killed in between gives it after its next start, once.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await closeKudosWorkspaces();
});

const GENERAL = 'C0GENERAL';

describe('a reaction answered 200 and the app killed before its kudos was given', () => {
  it('is given after the next start, once', async () => {
    const dir = tempDir();
    const standIn = await startSlackStandIn();
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
    );
    for (const person of [ANA, LI]) standIn.setUser({ ...person, tz: 'Europe/Berlin' });
    const databasePath = join(dir.path, 'app.db');
    const start = async (): Promise<{ app: AppProcess; appUrl: string }> => {
      const started = await startAppAgainst({
        standIn,
        dir: dir.path,
        config: { kudos: { channel: KUDOS_CHANNEL, reaction: 'clap' } } as Partial<OrgConfigInput>,
        env: { LOG_LEVEL: 'info' },
      });
      cleanups.push(() => started.app.kill());
      return started;
    };

    // Slack never answers the first question about a person: the give waits on it when the app is killed.
    standIn.injectFault('users.info', { kind: 'hang' }, 1);
    const first = await start();
    const ana = createSlackDriver({ appUrl: first.appUrl, secret: SIGNING_SECRET, standIn, user: ANA });
    const event = reactionEvent('reaction_added', {
      user: ANA.id,
      itemUser: LI.id,
      ts: '1700003000.000100',
      channel: GENERAL,
      eventTs: '1700003001.000100',
    });
    const res = await ana.sendEvent(event, { eventId: 'Ev0CRASH01' });
    expect(res.status).toBe(200);
    await pollUntil(
      () => (standIn.callsTo('users.info').length > 0 ? true : undefined),
      10_000,
      () => 'the app never asked Slack about the people',
    );
    await first.app.kill();

    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    cleanups.push(() => {
      db.close();
    });
    const ledger = () => db.prepare('SELECT COUNT(*) FROM kudos_ledger').pluck().get() as number;
    expect(ledger(), 'given before the kill: the test did not catch the window').toBe(0);

    const second = await start();
    const kudosPosts = () =>
      standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === KUDOS_CHANNEL).length;
    await pollUntil(
      () => (ledger() === 1 && kudosPosts() === 1 ? true : undefined),
      20_000,
      () => `${ledger()} kudos stored, ${kudosPosts()} posted after the restart`,
    );
    second.app.child.kill('SIGTERM');
    expect(await second.app.exited).toBe(0);
    expect(ledger()).toBe(1);
    expect(kudosPosts()).toBe(1);
    const retry = db
      .prepare("SELECT status FROM outbox WHERE dedupe_key = 'reaction-retry:Ev0CRASH01'")
      .pluck()
      .all();
    expect(retry).toEqual(['sent']);
  }, 60_000);
});

it('closes the journal entry of a reaction handled when it arrived, and journals no other emoji', async () => {
  const { h } = await startKudosWorkspace();
  const reaction = (name: string, eventTs: string) =>
    reactionEvent('reaction_added', {
      user: ANA.id,
      itemUser: LI.id,
      ts: '1700004000.000100',
      channel: GENERAL,
      eventTs,
      name,
    });
  await sendHandledEvent(h, h.driverFor(ANA), reaction('clap', '1700004001.000100'), {
    eventId: 'Ev0JOURNAL1',
  });
  // Another emoji is no kudos: nothing to journal (nor to record).
  const other = await h.driverFor(ANA).sendEvent(reaction('tada', '1700004002.000100'), {
    eventId: 'Ev0JOURNAL2',
  });
  expect(other.status).toBe(200);
  await h.loop.idle();
  const rows = h.loop.db
    .prepare("SELECT dedupe_key, status, last_error FROM outbox WHERE kind = 'kudos.reaction_retry'")
    .all();
  expect(rows).toEqual([{ dedupe_key: 'reaction-retry:Ev0JOURNAL1', status: 'sent', last_error: 'handled' }]);
});

it('closes, on a removal, the journalled adds older than it, not a newer add journalled before it arrived', async () => {
  const { h, clock } = await startKudosWorkspace();
  const ts = '1700005000.000100';
  const journal = (eventId: string, eventTs: string) =>
    enqueueOutbox(
      h.loop.db,
      {
        kind: 'kudos.reaction_retry',
        payload: {
          eventId,
          teamId: 'T0TEST',
          userId: ANA.id,
          reaction: 'clap',
          itemUserId: LI.id,
          channelId: GENERAL,
          messageTs: ts,
          eventTs,
        },
        dedupeKey: reactionRetryKey(eventId),
      },
      clock.now(),
      clock.now() + 60_000,
    );
  // Two adds still at work (journalled, not given): one before the removal, one after it (Slack's order).
  journal('Ev0ADD0001', '1700005001.000100');
  journal('Ev0ADD0003', '1700005003.000100');
  await sendHandledEvent(
    h,
    h.driverFor(ANA),
    reactionEvent('reaction_removed', {
      user: ANA.id,
      itemUser: LI.id,
      ts,
      channel: GENERAL,
      eventTs: '1700005002.000100',
    }),
    { eventId: 'Ev0REMOVE02' },
  );
  const rows = h.loop.db
    .prepare(
      "SELECT dedupe_key, status, last_error FROM outbox WHERE kind = 'kudos.reaction_retry' ORDER BY id",
    )
    .all();
  expect(rows).toEqual([
    {
      dedupe_key: 'reaction-retry:Ev0ADD0001',
      status: 'sent',
      last_error: 'cancelled: the reaction was removed',
    },
    { dedupe_key: 'reaction-retry:Ev0ADD0003', status: 'pending', last_error: null },
  ]);
});
