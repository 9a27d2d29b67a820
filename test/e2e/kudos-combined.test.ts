import { afterEach, expect, it } from 'vitest';
import { DELIVERY_EVENT_TYPE } from '../../src/slack/delivery/find-posted.js';
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
 * Kudos messages to one person that wait in the outbox together go out as one Slack message: here they wait
 * because Slack rate-limited the first (429 with Retry-After), as it does past about a message a second.
 */
afterEach(closeKudosWorkspaces);

const GENERAL = 'C0GENERAL';

it('tells a person thanked by a reaction storm in one DM, not one DM per reaction, and records each kudos', async () => {
  const { h } = await startKudosWorkspace();
  // Li's first DM is posted, but Slack's answer takes a second: the DMs of the other reactions wait behind it.
  h.standIn.injectFault('chat.postMessage', { kind: 'timeout', ms: 1000 }, 1, (a) => a.channel === LI.id);
  const ts = '1700002000.000100';
  const reactors = [ANA, BO, SAM];
  const sent = reactors.map((reactor, i) =>
    h.driverFor(reactor).sendEvent(
      reactionEvent('reaction_added', {
        user: reactor.id,
        itemUser: LI.id,
        ts,
        channel: GENERAL,
        eventTs: `1700002001.00000${i}`,
      }),
      { eventId: `Ev0STORM${i}` },
    ),
  );
  for (const res of await Promise.all(sent)) expect(res.status).toBe(200);
  await h.loop.idle();

  const dms = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === LI.id);
  // The first alone (it went at once), the two that waited behind it together.
  expect(dms).toHaveLength(2);
  const text = dms.map((d) => String(d.args.text)).join('\n');
  for (const reactor of reactors) expect(text).toContain(`<@${reactor.id}> gave you kudos`);
  // The second post names the two outbox messages it delivered, so a retry of either finds it.
  const metadata = dms[1]?.args.metadata as { event_type: string; event_payload: { covers?: string } };
  expect(metadata.event_type).toBe(DELIVERY_EVENT_TYPE);
  expect(metadata.event_payload.covers?.split(',')).toHaveLength(2);
  // Each kudos counts, and Li is recorded as told of each.
  expect(
    activeLedger(h)
      .map((r) => r.giver_id)
      .sort(),
  ).toEqual(reactors.map((r) => r.id).sort());
  const told = h.loop.db
    .prepare('SELECT COUNT(*) FROM kudos_ledger WHERE recipient_id = ? AND notified_at IS NOT NULL')
    .pluck()
    .get(LI.id);
  expect(told).toBe(3);
  expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
});

it("gathers a giver's notes from one channel into one ephemeral message", async () => {
  const { h, clock } = await startKudosWorkspace();
  h.standIn.injectFault(
    'chat.postEphemeral',
    { kind: 'rateLimited', retryAfterSeconds: 1 },
    1,
    (a) => a.user === ANA.id,
  );
  const authors = [LI, BO, SAM];
  for (const [i, author] of authors.entries()) {
    const event = reactionEvent('reaction_added', {
      user: ANA.id,
      itemUser: author.id,
      ts: `170000300${i}.000100`,
      channel: GENERAL,
      eventTs: `1700003010.00000${i}`,
    });
    await sendHandledEvent(h, h.driverFor(ANA), event);
  }
  clock.advance(2000);
  await h.loop.idle();

  const notes = h.standIn
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === ANA.id && c.status === 200);
  expect(notes).toHaveLength(1);
  expect(notes[0]?.args.channel).toBe(GENERAL);
  const text = String(notes[0]?.args.text);
  for (const author of authors) expect(text).toContain(`<@${author.id}>`);
  expect(text.match(/is on its way/g)).toHaveLength(3);
  expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
});
