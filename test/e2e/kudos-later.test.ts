import { afterEach, describe, expect, it } from 'vitest';
import { kudosReceived, kudosToOtherTeams } from '../../src/metrics/numbers.js';
import { Commands } from '../../src/slack/ids.js';
import type { Harness } from '../support/app-harness.js';
import { kudosAnswer, LATER_ANSWER } from '../support/kudos-command.js';
import {
  ANA,
  activeLedger,
  closeKudosWorkspaces,
  KUDOS_CHANNEL,
  LI,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';
import { ids } from '../support/org-fixture.js';

/**
 * `/kudos` answers without waiting on Slack: a kudos naming people the app has not looked up yet is stored (an
 * outbox message) before the answer and given by the outbox once Slack has told us who they are (bots,
 * deactivated people, the giver's time zone). Nothing is counted before that, and it is counted in the right
 * departments after; a look-up that fails is retried, and one that never succeeds is reported, never lost.
 */
afterEach(closeKudosWorkspaces);

const ALL_DAY = { start: Date.parse('2026-11-23T00:00:00Z'), end: Date.parse('2026-11-24T00:00:00Z') };
const counted = (h: Harness) => ({
  billingReceived: kudosReceived(h.loop.db, ['billing'], ALL_DAY).get('billing') ?? 0,
  shippingToOthers: kudosToOtherTeams(h.loop.db, ['shipping'], ALL_DAY).get('shipping') ?? 0,
});
const laterGive = (h: Harness) =>
  h.loop.db.prepare("SELECT status, attempts, last_error FROM outbox WHERE kind = 'kudos.give'").get() as
    | { status: string; attempts: number; last_error: string | null }
    | undefined;

describe('/kudos naming people not looked up yet', () => {
  it('answers at once while Slack fails, then gives it, counted in the recipient’s department', async () => {
    const { h, clock } = await startKudosWorkspace();
    // Slack's users.info fails for now: before, the command itself failed ("something went wrong").
    h.standIn.injectFault('users.info', { kind: 'error', error: 'internal_error' }, 2);
    const res = await h
      .driverFor(ANA)
      .command(Commands.kudos, `<@${LI.id}|li> for the careful invoice review`);
    expect((res.json as { text: string }).text).toContain(`${LATER_ANSWER} <@${LI.id}>`);
    expect(activeLedger(h)).toEqual([]);
    expect(counted(h)).toEqual({ billingReceived: 0, shippingToOthers: 0 });

    // Each failure is retried after a backoff (the clock is the test's): let the retries come due.
    for (let attempt = 0; attempt < 5 && laterGive(h)?.status === 'pending'; attempt += 1) {
      clock.advance(60_000);
      await h.loop.delivery.drain();
    }
    // The first look-ups failed and were tried again; then it was given, counted where Li and Ana work.
    expect(laterGive(h)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(activeLedger(h)).toMatchObject([{ giver_id: ANA.id, recipient_id: LI.id, source: 'command' }]);
    const row = h.loop.db
      .prepare('SELECT giver_departments, recipient_departments, cross_department FROM kudos_ledger')
      .get();
    expect(row).toEqual({
      giver_departments: '["shipping"]',
      recipient_departments: '["billing"]',
      cross_department: 1,
    });
    expect(counted(h)).toEqual({ billingReceived: 1, shippingToOthers: 1 });
    const [answer] = await h.standIn.waitForResponse(1, 5000, res.responseUrlId);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer?.body)).toContain('4 of 5 kudos left today');
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === KUDOS_CHANNEL });
  });

  it('gives at once, with the full answer, once the people are known', async () => {
    const { h } = await startKudosWorkspace();
    const ana = h.driverFor(ANA);
    expect((await kudosAnswer(h, ana, `<@${LI.id}|li> for the careful invoice review`)).later).toBe(true);
    const second = await ana.command(Commands.kudos, `<@${LI.id}|li> for the second careful review`);
    expect((second.json as { text: string }).text).toContain('3 of 5 kudos left today');
    expect(activeLedger(h)).toHaveLength(2);
  });

  it('reports a look-up Slack refuses for good to the admins, and gives it when re-sent', async () => {
    const { h } = await startKudosWorkspace();
    h.standIn.injectFault('users.info', { kind: 'error', error: 'missing_scope' }, 2);
    await h.driverFor(ANA).command(Commands.kudos, `<@${LI.id}|li> for the careful invoice review`);
    await h.loop.delivery.drain();
    expect(laterGive(h)).toMatchObject({ status: 'dead', last_error: 'missing_scope' });
    const adminDm = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.admin && String(c.args.text).includes('missing_scope'),
    });
    expect(adminDm).toHaveLength(1);
    expect(activeLedger(h)).toEqual([]);

    h.standIn.clearFaults();
    const admin = h.driverFor({ id: ids.admin, name: 'admin' });
    expect((await admin.command(Commands.loop, 'retry')).text).toContain('Sending 1 parked delivery again');
    await h.loop.delivery.drain();
    expect(laterGive(h)?.status).toBe('sent');
    expect(activeLedger(h)).toMatchObject([{ giver_id: ANA.id, recipient_id: LI.id }]);
  });
});
