import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { staticSelectValue } from '../support/slack-requests.js';
import { pollUntil } from '../support/standin/poll.js';
import { digestsTo, figuresOf, strategyFigures } from '../support/surfaces.js';
import { manualClock } from '../support/temp-dir.js';

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC: reminders and digests cover the 7 days before it.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = { id: 'U0ANA00001', name: 'ana' }; // Shipping
const BEA = { id: ids.billingMember, name: 'bea' }; // Billing
const MGR_BILLING = 'U0MGRBILL1';
const MGR_SHIPPING = 'U0MGRSHIP1';

function config(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    kudos: { channel: 'C0KUDOS001' },
    departments: base.departments.map((d) => (d.id === 'shipping' ? { ...d, members: [ANA.id] } : d)),
    managers: [
      { user: MGR_BILLING, departments: ['billing'] },
      { user: MGR_SHIPPING, departments: ['shipping'] },
    ],
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** What the weekly digest DM to this manager shows, as figures. */
const digestFigures = (harness: Harness, manager: string) =>
  figuresOf(digestsTo(harness, manager)[0]?.args.blocks);

describe('one definition of each team number', () => {
  it('credits Billing with its own acknowledgement of an item it then reassigned, and its kudos to Shipping, on /strategy and in the digest alike', async () => {
    const clock = manualClock(MONDAY_9_BERLIN - 3 * DAY);
    h = await startHarness({ config: orgConfigInput(config()), clock });
    for (const user of [ANA, BEA]) h.standIn.setUser({ id: user.id, name: user.name, tz: 'Europe/Berlin' });
    const bea = h.driverFor(BEA);

    await h.rep.command(Commands.feedback, 'billing: the customer was charged twice for one order');
    await h.loop.delivery.drain();
    clock.advance(HOUR);
    expect((await bea.clickButton({ actionId: FeedbackActions.acknowledge, value: '1:1' })).status).toBe(200);
    await h.loop.delivery.drain();
    clock.advance(HOUR / 2);
    await bea.clickButton({ actionId: FeedbackActions.reassign, value: '1:2' });
    const [opened] = await h.standIn.waitFor({ method: 'views.open' });
    const moved = await bea.submitView({
      viewId: String((opened?.response as { view?: { id?: string } } | undefined)?.view?.id),
      callbackId: Views.feedbackReassign,
      values: {
        [L.reassignTo]: { [FormAction]: staticSelectValue({ text: 'Shipping', value: 'shipping' }) },
      },
    });
    expect(moved.text).toBe('');
    await bea.command(Commands.kudos, `<@${ANA.id}|ana> for finding the parcel the courier lost`);
    await h.loop.delivery.drain();

    clock.set(MONDAY_9_BERLIN);
    const billing = await strategyFigures(h, 'billing');
    const shipping = await strategyFigures(h, 'shipping');
    const shown = (figures: Map<string, string>, labels: string[]) =>
      Object.fromEntries(labels.map((label) => [label, figures.get(label)]));
    const ACK = 'Median time to acknowledge';
    expect(shown(billing, ['Feedback received', ACK, 'Kudos to other teams'])).toEqual({
      'Feedback received': '1',
      [ACK]: '1 h',
      'Kudos to other teams': '1',
    });
    // Shipping received the item too, but has not acknowledged it: Billing's hour is not Shipping's.
    expect(shown(shipping, ['Feedback received', ACK, 'Kudos received'])).toEqual({
      'Feedback received': '1',
      [ACK]: '—',
      'Kudos received': '1',
    });

    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      count: 2,
      where: (c) => String(c.args.text).startsWith('Weekly digest'),
    });
    const billingDigest = digestFigures(h, MGR_BILLING);
    const shippingDigest = digestFigures(h, MGR_SHIPPING);
    expect(shown(billingDigest, ['Feedback received', ACK, 'Thanks to other teams'])).toEqual({
      'Feedback received': '1',
      [ACK]: '1 h',
      'Thanks to other teams': '1',
    });
    expect(shown(shippingDigest, ['Feedback received', ACK, 'Thanks from other teams'])).toEqual({
      'Feedback received': '1',
      [ACK]: '—',
      'Thanks from other teams': '1',
    });
  });

  it('leaves a kudos withdrawn after its week closed out of that week, also in a digest the app had already counted', async () => {
    const LI = { id: 'U0LI000001', name: 'li' };
    const base = orgConfigInput();
    const clock = manualClock(MONDAY_9_BERLIN - 2 * DAY);
    h = await startHarness({
      config: orgConfigInput({
        kudos: { channel: 'C0KUDOS001', reaction: 'clap', withdraw_on_message_deleted: true },
        departments: base.departments.map((d) =>
          d.id === 'billing'
            ? { ...d, members: [BEA.id, LI.id] }
            : d.id === 'shipping'
              ? { ...d, members: [ANA.id] }
              : d,
        ),
        // Two managers of Billing: the second digest is counted from what the first one counted.
        managers: [
          { user: MGR_BILLING, departments: ['billing'] },
          { user: 'U0MGRBILL2', departments: ['billing'] },
        ],
        digest: { charts: false },
      }),
      clock,
    });
    for (const user of [ANA, LI]) h.standIn.setUser({ id: user.id, name: user.name, tz: 'Europe/Berlin' });
    const ana = h.driverFor(ANA);
    const message = { channel: 'C0GENERAL', ts: '1700000100.000100' };
    /** Events are answered before they are handled: send one, then wait until `sql` finds what it did. */
    const handled = async (event: { type: string } & Record<string, unknown>, sql: string) => {
      expect((await ana.sendEvent(event)).status).toBe(200);
      await pollUntil(
        () => (h?.loop.db.prepare(sql).get() ? true : undefined),
        3000,
        () => `${event.type} had no effect`,
      );
    };
    await handled(
      {
        type: 'reaction_added',
        user: ANA.id,
        reaction: 'clap',
        item_user: LI.id,
        item: { type: 'message', ...message },
        event_ts: '1700000101.000100',
      },
      'SELECT 1 FROM kudos_ledger',
    );
    await h.loop.delivery.drain();

    // Monday 09:00: both digests are due; one post fails once and waits for its retry.
    clock.set(MONDAY_9_BERLIN + 30_000);
    h.standIn.injectFault('chat.postMessage', { kind: 'http', status: 500 }, 1);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.response.ok && String(c.args.text).startsWith('Weekly digest'),
    });
    await h.loop.delivery.drain();

    // The message is deleted after the week closed: its kudos is withdrawn.
    await handled(
      {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: message.channel,
        deleted_ts: message.ts,
        ts: '1700000300.000100',
        event_ts: '1700000300.000100',
        previous_message: { type: 'message', user: LI.id, text: 'the fix is live', ts: message.ts },
      },
      'SELECT 1 FROM kudos_ledger WHERE revoked_at IS NOT NULL',
    );
    clock.advance(60_000);
    h.loop.delivery.kick();
    const digests = await h.standIn.waitFor({
      method: 'chat.postMessage',
      count: 2,
      where: (c) => c.response.ok && String(c.args.text).startsWith('Weekly digest'),
    });
    const [first, second] = digests.map((c) => figuresOf(c.args.blocks));
    expect(first?.get('Kudos received')).toBe('1');
    expect(first?.get('Thanks from other teams')).toBe('1');
    expect(second?.get('Kudos received')).toBe('0');
    expect(second?.get('Thanks from other teams')).toBe('0');
  });
});
