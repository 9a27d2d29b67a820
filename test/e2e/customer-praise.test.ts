import { afterEach, describe, expect, it } from 'vitest';
import { FeedbackFormBlocks as B, Commands, Views } from '../../src/slack/ids.js';
import type { Harness } from '../support/app-harness.js';
import {
  APP_BOT,
  activeLedger,
  BO,
  closeKudosWorkspaces,
  DEPLOY_BOT,
  KUDOS_CHANNEL,
  LI,
  reactionEvent,
  SAM,
  sendHandledEvent,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';
import { ids } from '../support/org-fixture.js';
import {
  appHomeOpenedEvent,
  multiUsersSelectValue,
  plainTextInputValue,
  staticSelectValue,
} from '../support/slack-requests.js';

/**
 * Customer praise that names colleagues becomes an "A customer said…" card in the kudos channel and a DM to each
 * colleague, recorded as customer praise passed on by the reporter, outside every kudos number.
 */
let h: Harness;
afterEach(closeKudosWorkspaces);

type Praise = { kind?: string; summary: string; details?: string; helpers?: string[]; viewId?: string };

/** The rep files through the /feedback form. */
async function fileThroughForm(harness: Harness, p: Praise) {
  const opened = harness.standIn.callsTo('views.open').length;
  await harness.rep.command(Commands.feedback, '');
  await harness.standIn.waitFor({ method: 'views.open', count: opened + 1 });
  const kind = p.kind ?? 'praise';
  const res = await harness.rep.submitView({
    callbackId: Views.feedbackForm,
    ...(p.viewId ? { viewId: p.viewId } : {}),
    values: {
      [B.customer]: { value: plainTextInputValue('Dana Reyes, acct 48213') },
      [B.kind]: { value: staticSelectValue({ text: kind, value: kind }) },
      [B.severity]: { value: staticSelectValue({ text: 'Normal', value: 'normal' }) },
      [B.department]: { value: staticSelectValue({ text: 'billing', value: 'billing' }) },
      [B.summary]: { value: plainTextInputValue(p.summary) },
      [B.details]: { value: plainTextInputValue(p.details ?? '') },
      [B.whoHelped]: { value: multiUsersSelectValue(p.helpers ?? []) },
    },
  });
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  await harness.loop.idle();
  return res;
}

const praiseRows = (harness: Harness) =>
  harness.loop.db
    .prepare('SELECT item_id, passed_on_by, recipient_id, notified_at FROM customer_praise ORDER BY id')
    .all() as { item_id: number; passed_on_by: string; recipient_id: string; notified_at: number | null }[];
const count = (harness: Harness, table: string) =>
  harness.loop.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
const dmsTo = (harness: Harness, user: string) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && c.response.ok)
    .map((c) => String(c.args.text));

describe('customer praise', () => {
  it('passes praise on to the colleagues it names: a card in the kudos channel and a DM each, outside every kudos number', async () => {
    ({ h } = await startKudosWorkspace());
    await fileThroughForm(h, {
      summary: 'Li sorted my <refund> & *everything* in minutes',
      details: `And <@${BO.id}> on the phone was lovely.`,
      helpers: [LI.id, DEPLOY_BOT, ids.rep],
    });

    // Li (the form) and Bo (a mention); not the bot, not the reporter.
    expect(praiseRows(h).map((r) => [r.recipient_id, r.passed_on_by])).toEqual([
      [LI.id, ids.rep],
      [BO.id, ids.rep],
    ]);
    const [card, ...more] = h.standIn.messagesIn(KUDOS_CHANNEL);
    expect(more).toEqual([]);
    const cardJson = JSON.stringify(card?.blocks);
    expect(cardJson).toContain('A customer said');
    expect(cardJson).toContain('Li sorted my &lt;refund&gt; &amp; *everything* in minutes');
    expect(cardJson).not.toContain('<refund>');
    expect(cardJson).not.toContain('Dana Reyes'); // the customer's details stay with the item
    expect(cardJson).toContain(`About <@${LI.id}> and <@${BO.id}> · passed on by <@${ids.rep}> · FB-1`);
    for (const person of [LI, BO]) {
      const [dm] = dmsTo(h, person.id);
      expect(dm).toContain('A customer praised you!');
      expect(dm).toMatch(/<https?:\/\/[^|>]+\|See it in Slack>/);
    }
    expect(dmsTo(h, DEPLOY_BOT)).toEqual([]);
    expect(praiseRows(h).every((r) => r.notified_at !== null)).toBe(true);

    // Not a kudos: no ledger row, no running total, no allowance used.
    expect(count(h, 'kudos_ledger')).toBe(0);
    expect(count(h, 'kudos_received_totals')).toBe(0);

    // Li's Home shows it on its own line, and no leaderboard counts it.
    await h.driverFor(LI).sendEvent(appHomeOpenedEvent(LI.id));
    await h.standIn.waitFor({ method: 'views.publish', where: (c) => c.args.user_id === LI.id });
    const home = JSON.stringify(h.standIn.homeView(LI.id));
    expect(home).toContain('Customer praise this week');
    expect(home).toContain(
      'A customer said “Li sorted my &lt;refund&gt; &amp; *everything* in minutes” (FB-1',
    );
    expect(home).toContain('No kudos in this period yet.');
    expect(home).toContain('Left to give today*\\n5 of 5');
  });

  it('records and posts once when the submission is repeated and the card has to be retried', async () => {
    const started = await startKudosWorkspace();
    h = started.h;
    h.standIn.injectFault(
      'chat.postMessage',
      { kind: 'http', status: 500 },
      1,
      (args) => args.channel === KUDOS_CHANNEL,
    );
    const first = await fileThroughForm(h, { summary: 'Li was wonderful', helpers: [LI.id] });
    await h.rep.submitView({
      callbackId: Views.feedbackForm,
      viewId: first.payload.view.id,
      values: first.payload.view.state.values,
    });
    // The card is retried after Slack's 500 (delivery backs off on the app's clock), then the DM follows it.
    started.clock.advance(60_000);
    await h.loop.delivery.drain();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      count: 2,
      where: (c) => c.args.channel === KUDOS_CHANNEL,
    });
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === LI.id });
    await h.loop.idle();
    expect(praiseRows(h)).toHaveLength(1);
    const tries = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === KUDOS_CHANNEL);
    expect(tries.map((c) => c.response.ok)).toEqual([false, true]);
    expect(h.standIn.messagesIn(KUDOS_CHANNEL)).toHaveLength(1);
    expect(dmsTo(h, LI.id)).toHaveLength(1);
  });

  it('passes on nothing for other kinds, or praise naming only the reporter or a bot', async () => {
    ({ h } = await startKudosWorkspace());
    await fileThroughForm(h, { kind: 'complaint', summary: 'Li was rude', helpers: [LI.id] });
    await fileThroughForm(h, { summary: 'The rep was great', helpers: [ids.rep, DEPLOY_BOT] });
    expect(praiseRows(h)).toEqual([]);
    expect(h.standIn.messagesIn(KUDOS_CHANNEL)).toEqual([]);
    expect(dmsTo(h, LI.id)).toEqual([]);
  });

  it('only DMs the colleagues when kudos are private', async () => {
    ({ h } = await startKudosWorkspace({ kudos: { visibility: 'private' } }));
    await fileThroughForm(h, { summary: 'Sam fixed my order', helpers: [SAM.id] });
    expect(h.standIn.messagesIn(KUDOS_CHANNEL)).toEqual([]);
    expect(dmsTo(h, SAM.id)[0]).toContain('A customer praised you!');
  });

  it("gives the manager digest its own line, counted by the praised people's teams, with the change on last week", async () => {
    const manager = { id: 'U0MANAGE01', name: 'mona' };
    // Bo is in both teams the manager sees: his praise counts once for the manager.
    const started = await startKudosWorkspace({
      config: { managers: [{ user: manager.id, departments: ['billing', 'shipping'] }] },
      billingMembers: [BO.id],
    });
    h = started.h;
    // The week so far (Monday to Tuesday 11:00) against as long just before: Li (billing) on Sunday; then
    // Li (billing), Bo (billing and shipping) and Sam (no team), in one item on Tuesday: 2, not 3.
    started.clock.set(Date.parse('2026-11-22T10:00:00Z'));
    await fileThroughForm(h, { summary: 'Li was patient with me', helpers: [LI.id] });
    started.clock.set(Date.parse('2026-11-24T10:00:00Z'));
    await fileThroughForm(h, { summary: 'Everyone was great', helpers: [LI.id, BO.id, SAM.id] });
    started.clock.set(Date.parse('2026-11-24T11:00:00Z'));
    const asked = await h.driverFor(manager).command(Commands.loop, 'digest');
    const [reply] = await h.standIn.waitForResponse(1, 5000, asked.responseUrlId);
    const digest = JSON.stringify(reply?.body);
    expect(digest).toContain('*Customer praise passed on*\\n2 (▲ 1 vs last week)');
    // Not kudos: the kudos numbers stay at zero.
    expect(digest).toContain('*Kudos received*\\n0 (= last week)');
  });

  it('takes the kudos reaction on the card as thanks to the colleagues it names, leaving out the reactor', async () => {
    ({ h } = await startKudosWorkspace());
    await fileThroughForm(h, { summary: 'Li and Bo saved my wedding order', helpers: [LI.id, BO.id] });
    const [card] = h.standIn.messagesIn(KUDOS_CHANNEL);
    const react = (user: string) =>
      reactionEvent('reaction_added', {
        user,
        itemUser: APP_BOT,
        ts: String(card?.ts),
        channel: KUDOS_CHANNEL,
        eventTs: '1700000100.000100',
      });
    await sendHandledEvent(h, h.driverFor(SAM), react(SAM.id));
    await sendHandledEvent(h, h.driverFor(LI), react(LI.id));
    expect(activeLedger(h).map((r) => [r.giver_id, r.recipient_id, r.source])).toEqual([
      [SAM.id, LI.id, 'reaction'],
      [SAM.id, BO.id, 'reaction'],
      [LI.id, BO.id, 'reaction'],
    ]);
    const reasons = h.loop.db.prepare('SELECT DISTINCT reason FROM kudos').pluck().all();
    expect(reasons).toEqual(['for the praise a customer gave (FB-1)']);
  });
});
