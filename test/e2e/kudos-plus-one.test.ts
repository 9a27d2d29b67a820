import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import type { Harness } from '../support/app-harness.js';
import {
  ANA,
  APP_BOT,
  activeLedger,
  BO,
  closeKudosWorkspaces,
  KUDOS_CHANNEL,
  LI,
  reactionEvent,
  SAM,
  sendHandledEvent,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';

/**
 * The configured reaction on the app's own kudos post means "+1": the reactor thanks the same people for the
 * same reason, under the usual rules (it used to be refused as thanking a bot).
 */
let h: Harness;
afterEach(closeKudosWorkspaces);

const mention = (u: { id: string; name: string }) => `<@${u.id}|${u.name}>`;

/** Ana thanks Li and Bo; returns the ts of the app's post in the kudos channel. */
async function anaThanksLiAndBo(harness: Harness): Promise<string> {
  const ana = harness.driverFor(ANA);
  await ana.command(
    Commands.kudos,
    `${mention(LI)} ${mention(BO)} for untangling the refund &lt;export&gt; #ownership`,
  );
  const [post] = await harness.standIn.waitFor({
    method: 'chat.postMessage',
    where: (c) => c.args.channel === KUDOS_CHANNEL,
  });
  await harness.loop.idle();
  return String(post?.response.ts);
}

const plusOne = (
  user: string,
  ts: string,
  eventTs: string,
  type: 'reaction_added' | 'reaction_removed' = 'reaction_added',
) => reactionEvent(type, { user, itemUser: APP_BOT, ts, channel: KUDOS_CHANNEL, eventTs });

const ephemeralsTo = (harness: Harness, user: string) =>
  harness.standIn
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text));

describe("a +1 reaction on the app's kudos post", () => {
  it('gives the same people a kudos with the same reason and values, once, and posts it', async () => {
    ({ h } = await startKudosWorkspace());
    const ts = await anaThanksLiAndBo(h);
    const sam = h.driverFor(SAM);
    const event = plusOne(SAM.id, ts, '1700000100.000100');
    await sendHandledEvent(h, sam, event, { eventId: 'Ev0PLUS0001' });
    await sendHandledEvent(h, sam, event, { eventId: 'Ev0PLUS0001', retryNum: 1 });

    const fromSam = activeLedger(h).filter((r) => r.giver_id === SAM.id);
    expect(fromSam.map((r) => [r.recipient_id, r.source])).toEqual([
      [LI.id, 'reaction'],
      [BO.id, 'reaction'],
    ]);
    const stored = h.loop.db
      .prepare('SELECT reason, value_ids, plus_one_of FROM kudos WHERE giver_id = ?')
      .get(SAM.id) as { reason: string; value_ids: string; plus_one_of: number };
    expect(stored).toEqual({
      reason: 'for untangling the refund <export>',
      value_ids: '["ownership"]',
      plus_one_of: 1,
    });

    const posts = h.standIn.messagesIn(KUDOS_CHANNEL);
    expect(posts).toHaveLength(2);
    const card = JSON.stringify(posts[1]?.blocks);
    expect(card).toContain(`<@${SAM.id}> joined in (+1) thanking <@${LI.id}> and <@${BO.id}>`);
    expect(card).toContain('untangling the refund &lt;export&gt;');
    const dmsToLi = h.standIn.messagesIn(LI.id).map((m) => String(m.text));
    expect(dmsToLi.some((t) => t.includes(`<@${SAM.id}> joined in (+1)`))).toBe(true);
    expect(ephemeralsTo(h, SAM.id).some((t) => t.includes('Your kudos to'))).toBe(true);
  });

  it('links its post to the kudos it joins without asking Slack where that is: the app posted it', async () => {
    ({ h } = await startKudosWorkspace());
    const ts = await anaThanksLiAndBo(h);
    await sendHandledEvent(h, h.driverFor(SAM), plusOne(SAM.id, ts, '1700000100.000100'));
    await h.loop.delivery.drain();
    const asked = h.standIn.callsTo('chat.getPermalink').map((c) => c.args.message_ts);
    const [, joined] = h.standIn.messagesIn(KUDOS_CHANNEL);
    // Only the +1's own post is asked for (its DMs link to it; it may have gone to the thread of the one it joins).
    expect(new Set(asked)).toEqual(new Set([joined?.ts]));
    const link = `https://test.slack.com/archives/${KUDOS_CHANNEL}/p${ts.replace('.', '')}`;
    expect(JSON.stringify(joined?.blocks)).toContain(link);
  });

  it('leaves out the reactor when they were among the people thanked', async () => {
    ({ h } = await startKudosWorkspace());
    const ts = await anaThanksLiAndBo(h);
    await sendHandledEvent(h, h.driverFor(LI), plusOne(LI.id, ts, '1700000100.000100'));
    expect(
      activeLedger(h)
        .filter((r) => r.giver_id === LI.id)
        .map((r) => r.recipient_id),
    ).toEqual([BO.id]);
  });

  it('is all or nothing when the allowance cannot cover everyone, and says why', async () => {
    ({ h } = await startKudosWorkspace({
      kudos: { allowance_overrides: [{ user: SAM.id, daily_allowance: 1 }] },
    }));
    const ts = await anaThanksLiAndBo(h);
    await sendHandledEvent(h, h.driverFor(SAM), plusOne(SAM.id, ts, '1700000100.000100'));
    expect(activeLedger(h).filter((r) => r.giver_id === SAM.id)).toEqual([]);
    const [why] = ephemeralsTo(h, SAM.id);
    expect(why).toContain('That would be 2 kudos (one per person) and you have 1 left today');
    expect(why).toContain('Nothing was given.');
  });

  it('refuses the giver of the kudos: they already thanked these people', async () => {
    ({ h } = await startKudosWorkspace());
    const ts = await anaThanksLiAndBo(h);
    await sendHandledEvent(h, h.driverFor(ANA), plusOne(ANA.id, ts, '1700000100.000100'));
    expect(activeLedger(h)).toHaveLength(2);
    expect(ephemeralsTo(h, ANA.id).at(-1)).toContain('That is your own kudos');
  });

  it('is withdrawn when the reaction is removed within the undo window, and not by an older removal', async () => {
    ({ h } = await startKudosWorkspace({ kudos: { undo_window_minutes: 30 } }));
    const ts = await anaThanksLiAndBo(h);
    const sam = h.driverFor(SAM);
    // A removal older than the add arrives late: the +1 stands.
    await sendHandledEvent(h, sam, plusOne(SAM.id, ts, '1700000200.000100'));
    await sendHandledEvent(h, sam, plusOne(SAM.id, ts, '1700000100.000100', 'reaction_removed'));
    expect(activeLedger(h).filter((r) => r.giver_id === SAM.id)).toHaveLength(2);
    // Removed for real: withdrawn, the post marked, Sam's allowance given back.
    await sendHandledEvent(h, sam, plusOne(SAM.id, ts, '1700000300.000100', 'reaction_removed'));
    expect(activeLedger(h).filter((r) => r.giver_id === SAM.id)).toEqual([]);
    const [update] = await h.standIn.waitFor({ method: 'chat.update' });
    expect(JSON.stringify(update?.args.blocks)).toContain('withdrawn');
    expect(ephemeralsTo(h, SAM.id).at(-1)).toContain('was withdrawn');
  });

  it('has nothing to join in on once the kudos was withdrawn', async () => {
    ({ h } = await startKudosWorkspace());
    const ts = await anaThanksLiAndBo(h);
    h.loop.db.prepare("UPDATE kudos SET revoked_at = 1, revoked_reason = 'taken back' WHERE id = 1").run();
    await sendHandledEvent(h, h.driverFor(SAM), plusOne(SAM.id, ts, '1700000100.000100'));
    expect(activeLedger(h).filter((r) => r.giver_id === SAM.id)).toEqual([]);
    expect(ephemeralsTo(h, SAM.id).at(-1)).toContain('That kudos was withdrawn');
  });
});
