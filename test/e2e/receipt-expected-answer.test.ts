import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { Commands, FeedbackActions } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

/** The rep's receipt says when the customer can expect an answer: from the SLA, else from recent history. */

const T0 = Date.parse('2026-11-24T09:00:00Z'); // a Tuesday
const MIN = 60_000;
const BEA = { id: ids.billingMember, name: 'bea' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function withBillingSla(
  sla: NonNullable<OrgConfigInput['departments'][number]['sla']>,
): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return { departments: base.departments.map((d) => (d.id === 'billing' ? { ...d, sla } : d)) };
}

/** The receipt the rep sees for an inline /feedback (the command's ephemeral answer). */
async function inlineReceipt(harness: Harness, text: string): Promise<string> {
  const res = await harness.rep.command(Commands.feedback, text);
  expect(res.text).toContain('Thanks!');
  return JSON.stringify(res.json);
}

describe("the receipt's expected answer time", () => {
  it("gives the SLA's time and this item's deadline, in the command's receipt and the form's DM alike", async () => {
    const clock = manualClock(T0);
    h = await startHarness({
      config: withBillingSla({ targets: { normal: { acknowledge: '1h30m', resolve: '2d' } } }),
      clock,
    });
    const receipt = await inlineReceipt(h, 'billing: charged twice for one order');
    const by = Math.floor((T0 + 90 * MIN) / 1000);
    expect(receipt).toContain(
      `*When the customer can expect an answer:* *Billing* acknowledges normal items within 1 hour and 30 minutes (its SLA), so by <!date^${by}^`,
    );

    await fileForCustomer(h, 'ACME Corp', 'the refund never came');
    const dm = h.standIn
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === ids.rep && String(c.args.text).includes('FB-2'))
      .at(-1);
    expect(JSON.stringify(dm?.args.blocks)).toContain(
      'acknowledges normal items within 1 hour and 30 minutes (its SLA)',
    );
  });

  it('says when the SLA counts business hours, and uses the resolve target when there is no acknowledge one', async () => {
    const clock = manualClock(Date.parse('2026-11-24T16:30:00Z')); // 17:30 in Berlin, after hours
    h = await startHarness({
      config: withBillingSla({
        targets: { normal: { resolve: '4h' } },
        business_hours: { start: '09:00', end: '17:00' },
      }),
      clock,
    });
    const receipt = await inlineReceipt(h, 'billing: charged twice');
    // Four business hours from Tuesday evening: Wednesday 13:00 in Berlin, 12:00 UTC.
    const by = Date.parse('2026-11-25T12:00:00Z') / 1000;
    expect(receipt).toContain(
      `*Billing* resolves normal items within 4 hours in business hours (its SLA), so by <!date^${by}^`,
    );
  });

  it("without an SLA, gives the department's recent median time to acknowledge for the severity, and nothing without history", async () => {
    const clock = manualClock(T0);
    h = await startHarness({ clock });
    const first = await inlineReceipt(h, 'billing: charged twice for one order');
    expect(first).not.toContain('When the customer can expect an answer');
    await inlineReceipt(h, 'billing: the refund never came');
    await inlineReceipt(h, 'billing: wrong VAT on the invoice');
    await h.loop.delivery.drain();
    const bea = h.driverFor(BEA);
    for (const [ref, minutes] of [
      ['1:1', 20],
      ['2:1', 40],
      ['3:1', 90],
    ] as const) {
      clock.set(T0 + minutes * MIN);
      expect((await bea.clickButton({ actionId: FeedbackActions.acknowledge, value: ref })).status).toBe(200);
    }
    await h.loop.delivery.drain();

    clock.set(T0 + 2 * 60 * MIN); // past the 15 minutes the medians are kept
    const receipt = await inlineReceipt(h, 'billing: the invoice address is wrong');
    expect(receipt).toContain(
      '*When the customer can expect an answer:* *Billing* usually acknowledges normal items within about 40 minutes (from its last 3).',
    );
    // Shipping has no history: no promise is made up.
    expect(await inlineReceipt(h, 'shipping: the parcel never arrived')).not.toContain(
      'When the customer can expect an answer',
    );
  });
});
