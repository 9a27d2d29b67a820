import { afterEach, expect, it } from 'vitest';
import {
  ANA,
  activeLedger,
  BO,
  closeKudosWorkspaces,
  LI,
  reactionEvent,
  SAM,
  sendHandledEvent,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';

/**
 * A reaction storm on one announcement: each reaction is a kudos to its author, and what does not change (the
 * message's permalink, who its author is) is asked of Slack once, not once per reaction.
 */
afterEach(closeKudosWorkspaces);

it('asks Slack once for the permalink and the author of a message many people react to', async () => {
  const { h } = await startKudosWorkspace();
  const ts = '1700001000.000100';
  const reactors = [ANA, BO, SAM];
  for (const [i, reactor] of reactors.entries()) {
    const event = reactionEvent('reaction_added', {
      user: reactor.id,
      itemUser: LI.id,
      ts,
      channel: 'C0GENERAL',
      eventTs: `1700001001.00000${i}`,
    });
    await sendHandledEvent(h, h.driverFor(reactor), event);
  }
  await h.loop.delivery.drain();
  expect(activeLedger(h).map((r) => r.giver_id)).toEqual(reactors.map((r) => r.id));
  const calls = (method: string, where: (args: Record<string, unknown>) => boolean) =>
    h.standIn.callsTo(method).filter((c) => where(c.args)).length;
  expect(calls('chat.getPermalink', (a) => a.channel === 'C0GENERAL' && a.message_ts === ts)).toBe(1);
  expect(calls('users.info', (a) => a.user === LI.id)).toBe(1);
  // Each kudos still gets its post, its DM to Li and its note to the reactor.
  expect(calls('chat.postEphemeral', () => true)).toBe(3);
  expect(calls('chat.postMessage', (a) => a.channel === LI.id)).toBe(3);
});
