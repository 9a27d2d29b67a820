import { afterEach, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import {
  ANA,
  activeLedger,
  closeKudosWorkspaces,
  KUDOS_CHANNEL,
  LI,
  reactionEvent,
  sendHandledEvent,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';
import { watchStatements } from '../support/statements.js';

/**
 * What one kudos costs in Slack calls, counted at the stand-in, and what the people see. The link to the app's
 * own post in the recipient's DM is written from the workspace URL (auth.test) in the form chat.getPermalink
 * answers with, since the app knows where it posted; a message someone reacted to may be a thread reply, which
 * only Slack can link, so that one link is still asked for.
 */
afterEach(closeKudosWorkspaces);

const postOf = (h: Awaited<ReturnType<typeof startKudosWorkspace>>['h']) => {
  const [post] = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === KUDOS_CHANNEL);
  const ts = String((post?.response as { ts?: unknown } | undefined)?.ts ?? '');
  expect(ts).not.toBe('');
  return `https://test.slack.com/archives/${KUDOS_CHANNEL}/p${ts.replace('.', '')}`;
};

const dmTo = (h: Awaited<ReturnType<typeof startKudosWorkspace>>['h'], userId: string) =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === userId);

it('a reaction kudos asks Slack for the reacted message link only; the DM links to the post without asking', async () => {
  const { h } = await startKudosWorkspace();
  const ts = '1700002000.000100';
  const event = reactionEvent('reaction_added', {
    user: ANA.id,
    itemUser: LI.id,
    ts,
    channel: 'C0GENERAL',
    eventTs: '1700002001.000100',
  });
  await sendHandledEvent(h, h.driverFor(ANA), event);
  await h.loop.delivery.drain();
  expect(activeLedger(h).map((r) => r.recipient_id)).toEqual([LI.id]);

  expect(h.standIn.callsTo('chat.getPermalink').map((c) => [c.args.channel, c.args.message_ts])).toEqual([
    ['C0GENERAL', ts],
  ]);
  const [dm] = dmTo(h, LI.id);
  expect(dmTo(h, LI.id)).toHaveLength(1);
  expect(String(dm?.args.text)).toContain(`<${postOf(h)}|See it in Slack>`);
  // The public post still links to the message thanked for, and the reactor is still told.
  const post = h.standIn.callsTo('chat.postMessage').find((c) => c.args.channel === KUDOS_CHANNEL);
  expect(JSON.stringify(post?.args.blocks)).toContain(
    'https://test.slack.com/archives/C0GENERAL/p1700002000000100',
  );
  expect(h.standIn.callsTo('chat.postEphemeral').map((c) => c.args.user)).toEqual([ANA.id]);
  expect(
    h.standIn
      .callsTo('users.info')
      .map((c) => c.args.user)
      .sort(),
  ).toEqual([ANA.id, LI.id].sort());
});

it('a /kudos asks Slack for no link at all; the recipient DM links to the public post', async () => {
  const { h } = await startKudosWorkspace();
  const res = await h
    .driverFor(ANA)
    .command(Commands.kudos, `<@${LI.id}|li> thanks for covering the night shift`);
  expect(res.status).toBe(200);
  await h.loop.delivery.drain();
  expect(activeLedger(h).map((r) => r.recipient_id)).toEqual([LI.id]);
  expect(h.standIn.callsTo('chat.getPermalink')).toHaveLength(0);
  expect(dmTo(h, LI.id)).toHaveLength(1);
  expect(String(dmTo(h, LI.id)[0]?.args.text)).toContain(`<${postOf(h)}|See it in Slack>`);
});

it('reads a kudos whole once per step, the allowance once, and only the withdrawn mark when a delivery checks again', async () => {
  const { h } = await startKudosWorkspace();
  const reads: string[] = [];
  let allowanceReads = 0;
  const stop = watchStatements(h.loop.db, (sql) => {
    if (sql.includes('FROM kudos ')) reads.push(sql.includes('group_concat(recipient_id)') ? 'whole' : sql);
    if (sql.includes('FROM kudos_ledger') && sql.includes('GROUP BY recipient_id')) allowanceReads += 1;
  });
  try {
    const event = reactionEvent('reaction_added', {
      user: ANA.id,
      itemUser: LI.id,
      ts: '1700003000.000100',
      channel: 'C0GENERAL',
      eventTs: '1700003001.000100',
    });
    await sendHandledEvent(h, h.driverFor(ANA), event);
    await h.loop.delivery.drain();
  } finally {
    stop();
  }
  expect(activeLedger(h)).toHaveLength(1);
  // Given: is it a +1, was it given already (the kudos stored is not read back); then the post and the DM. The
  // giver's note was written with the kudos: it only checks the withdrawn mark, and counts no allowance again.
  expect(reads.filter((r) => r === 'whole')).toHaveLength(4);
  expect(reads.filter((r) => r.startsWith('SELECT revoked_at FROM kudos WHERE id'))).toHaveLength(3);
  expect(allowanceReads).toBe(1);
  const [note] = h.standIn.callsTo('chat.postEphemeral');
  expect(String(note?.args.text)).toContain(
    `Your kudos to <@${LI.id}> is on its way. You have 4 kudos left today.`,
  );
});
