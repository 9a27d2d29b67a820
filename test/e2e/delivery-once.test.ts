import { afterEach, describe, expect, it } from 'vitest';
import { Commands, FeedbackActions } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids } from '../support/org-fixture.js';
import { pollUntil } from '../support/standin/poll.js';

/**
 * A post whose answer never came (the call timed out after Slack made it) is looked for in Slack and adopted:
 * in the channel's history, in the thread's replies, in the DM's history.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const member = () => h.driverFor({ id: ids.billingMember, name: 'bea' });
/** Slack makes the next posts at once but answers only after the app has given up (300 ms). */
const answersTooLate = (times: number) =>
  h.standIn.injectFault('chat.postMessage', { kind: 'timeout', ms: 600 }, times);
const delivered = () =>
  pollUntil(
    () => (h.loop.delivery.counts().pending === 0 ? true : undefined),
    5000,
    () => `still pending: ${JSON.stringify(h.loop.delivery.counts())}`,
  );

describe('a post whose outcome the app never heard', () => {
  it('is found in the channel history and adopted, not posted again', async () => {
    h = await startHarness({ slackTimeoutMs: 300 });
    answersTooLate(1);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await delivered();
    expect(h.standIn.messagesIn(ids.billingChannel)).toHaveLength(1);
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(1);
    const lookup = h.standIn.callsTo('conversations.history')[0]?.args;
    expect(lookup?.channel).toBe(ids.billingChannel);
    expect(String(lookup?.include_all_metadata)).toBe('true');
    const item = h.loop.db.prepare('SELECT post_ts FROM feedback_items').pluck().get();
    expect(item).toBe(h.standIn.messagesIn(ids.billingChannel)[0]?.ts);
  });

  it('is found in the thread replies (history line) and in the DM history (reporter note)', async () => {
    h = await startHarness({ slackTimeoutMs: 300 });
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.loop.delivery.drain();
    answersTooLate(2);
    const res = await member().clickButton({ actionId: FeedbackActions.acknowledge });
    expect(res.status).toBe(200);
    await delivered();
    const thread = h.standIn.messagesIn(ids.billingChannel).filter((m) => m.thread_ts !== undefined);
    expect(thread).toHaveLength(1);
    expect(h.standIn.messagesIn(ids.rep)).toHaveLength(1);
    expect(h.standIn.callsTo('conversations.replies')).toHaveLength(1);
    expect(h.standIn.callsTo('conversations.open')[0]?.args).toMatchObject({ users: ids.rep });
    expect(h.standIn.callsTo('conversations.history')[0]?.args.channel).toMatch(/^D/);
    expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
  });
});
