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
 * behind a first one whose answer is slow, or that Slack rate-limited (429 with Retry-After), as it does past
 * about a message a second per conversation.
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
  // The first went at once; those queued while it waited go together (which ones were queued in time, two or
  // all three, depends on when each public post was marked sent): fewer DMs than kudos, each kudos in one.
  expect(dms.length).toBeLessThan(3);
  const text = dms.map((d) => String(d.args.text)).join('\n');
  for (const reactor of reactors) expect(text.split(`<@${reactor.id}> gave you kudos`)).toHaveLength(2);
  // A post that delivered several names them all, so a retry of any of them finds it.
  const covered = dms.flatMap((d) => {
    const metadata = d.args.metadata as {
      event_type: string;
      event_payload: { outbox_id: number; covers?: string };
    };
    expect(metadata.event_type).toBe(DELIVERY_EVENT_TYPE);
    return metadata.event_payload.covers?.split(',') ?? [String(metadata.event_payload.outbox_id)];
  });
  expect(new Set(covered).size).toBe(3);
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

it("does not show a giver's note again when the note for another channel, sent with it, fails", async () => {
  const { h, clock } = await startKudosWorkspace();
  const OTHER = 'C0RANDOM01';
  // Ana's first note waits for Slack's rate limit; the next two queue behind it, one in each channel.
  h.standIn.injectFault(
    'chat.postEphemeral',
    { kind: 'rateLimited', retryAfterSeconds: 1 },
    1,
    (a) => a.user === ANA.id,
  );
  const reactions = [
    { author: LI, channel: GENERAL },
    { author: BO, channel: GENERAL },
    { author: SAM, channel: OTHER },
  ];
  for (const [i, { author, channel }] of reactions.entries()) {
    const event = reactionEvent('reaction_added', {
      user: ANA.id,
      itemUser: author.id,
      ts: `170000400${i}.000100`,
      channel,
      eventTs: `1700004010.00000${i}`,
    });
    await sendHandledEvent(h, h.driverFor(ANA), event);
  }
  // Together: the note in general is shown, the one in the other channel is refused by a rate limit.
  h.standIn.injectFault(
    'chat.postEphemeral',
    { kind: 'rateLimited', retryAfterSeconds: 1 },
    1,
    (a) => a.channel === OTHER,
  );
  clock.advance(2000);
  await h.loop.idle();
  clock.advance(2000);
  await h.loop.idle();

  const shown = (channel: string) =>
    h.standIn
      .callsTo('chat.postEphemeral')
      .filter((c) => c.args.user === ANA.id && c.args.channel === channel && c.status === 200);
  expect(shown(GENERAL)).toHaveLength(1);
  expect(String(shown(GENERAL)[0]?.args.text).match(/is on its way/g)).toHaveLength(2);
  expect(shown(OTHER)).toHaveLength(1);
  expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
});
