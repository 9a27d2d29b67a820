import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { checkboxesValue, plainTextInputValue, staticSelectValue } from '../support/slack-requests.js';
import { digestsTo } from '../support/surfaces.js';
import { manualClock } from '../support/temp-dir.js';

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC: the reminder and the digest cover the week before it.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;
const MANAGER = 'U0MGRBOTH1';
const BEA = { id: ids.billingMember, name: 'bea' };

function config(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    managers: [{ user: MANAGER, departments: ['billing', 'shipping'] }],
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? {
            ...d,
            commitments: [{ text: 'Fix it the first time', measure: 'reopen_percent', target: 10 }],
            reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' },
          }
        : d,
    ),
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const texts = (blocks: unknown) => JSON.stringify(blocks);

/** Bea clicks a button that opens a form (Resolve, Reassign) and submits it with these values. */
async function viaForm(harness: Harness, actionId: string, ref: string, callbackId: string, values: object) {
  const bea = harness.driverFor(BEA);
  const opened = harness.standIn.callsTo('views.open').length;
  await bea.clickButton({ actionId, value: ref });
  await harness.standIn.waitFor({ method: 'views.open', count: opened + 1 });
  await bea.submitView({ callbackId, values: values as never });
  await harness.loop.delivery.drain();
}

const resolve = (harness: Harness, ref: string) =>
  viaForm(harness, FeedbackActions.resolve, ref, Views.feedbackResolve, {
    [L.resolutionNote]: { [FormAction]: plainTextInputValue('Sorted') },
    [L.customerContacted]: { [FormAction]: checkboxesValue([]) },
  });

const reassignToShipping = (harness: Harness, ref: string) =>
  viaForm(harness, FeedbackActions.reassign, ref, Views.feedbackReassign, {
    [L.reassignTo]: { [FormAction]: staticSelectValue({ text: 'Shipping', value: 'shipping' }) },
  });

describe('right the first time, and how customers reached us', () => {
  it('files via:<channel>, refuses an unknown one, and shows the rates and the contact mix in /strategy, the reminder and the digest', async () => {
    const clock = manualClock(MONDAY_9_BERLIN - 3 * 24 * HOUR);
    h = await startHarness({ config: orgConfigInput(config()), clock });

    const refused = await h.rep.command(Commands.feedback, 'billing: charged twice via:fax');
    expect(refused.text).toContain('“via:fax”');
    expect(refused.text).toContain(
      '`via:phone`, `via:email`, `via:chat`, `via:social`, `via:in_person`, `via:other`',
    );
    expect(getFeedbackItem(h.loop.db, 1)).toBeUndefined();

    await h.rep.command(Commands.feedback, 'billing: charged twice for one order via:email');
    await h.rep.command(Commands.feedback, 'via:phone billing: the refund never came');
    await h.rep.command(Commands.feedback, 'billing: wrong VAT on the invoice');
    await h.loop.delivery.drain();
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({
      contactChannel: 'email',
      summary: 'charged twice for one order',
    });
    expect(getFeedbackItem(h.loop.db, 2)).toMatchObject({
      contactChannel: 'phone',
      summary: 'the refund never came',
    });
    const post = h.standIn.callsTo('chat.postMessage').find((c) => c.args.channel === ids.billingChannel);
    expect(texts(post?.args.blocks)).toContain('*Reached us by*\\nEmail');

    clock.advance(HOUR);
    await resolve(h, '1:1');
    await h.driverFor(BEA).clickButton({ actionId: FeedbackActions.reopen, value: '1:2' });
    await h.loop.delivery.drain();
    await resolve(h, '2:1');
    await reassignToShipping(h, '3:1');

    // Billing: 3 received, 2 resolved (FB-1, FB-2), FB-1 reopened, FB-3 passed on; it holds FB-1 and FB-2 now.
    const billingLine =
      '*Right the first time:* reopen rate 50% (1 of 2 resolved) · reassign rate 33% (1 of 3 received) · handoffs per item 0.0\\n*How customers reached us:* Email 1 · Phone 1';
    clock.set(MONDAY_9_BERLIN - HOUR);
    const res = await h.rep.command(Commands.strategy, 'billing');
    const [reply] = await h.standIn.waitForResponse(1, 5000, res.responseUrlId);
    const strategy = texts((reply?.body as { blocks?: unknown } | undefined)?.blocks);
    expect(strategy).toContain(billingLine);
    expect(strategy).toContain('Fix it the first time _(missed: 50% reopened, target at most 10%)_');

    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    const reminder = h.standIn
      .callsTo('chat.postMessage')
      .find(
        (c) =>
          c.args.channel === ids.billingChannel && String(c.args.text).includes('our part in the promise'),
      );
    expect(texts(reminder?.args.blocks)).toContain(billingLine);
    expect(texts(reminder?.args.blocks)).toContain('missed: 50% reopened');

    // The manager of both: the counts add up before dividing (Shipping received FB-3, which did not say).
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => String(c.args.text).startsWith('Weekly digest'),
    });
    const [digest] = digestsTo(h, MANAGER);
    expect(texts(digest?.args.blocks)).toContain(
      '*Right the first time:* reopen rate 50% (1 of 2 resolved) · reassign rate 25% (1 of 4 received) · handoffs per item 0.0\\n*How customers reached us:* Email 1 · Phone 1 · not said 1',
    );
  });
});
