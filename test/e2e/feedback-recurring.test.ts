import { afterEach, describe, expect, it } from 'vitest';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const text = (v: unknown) => JSON.stringify(v);

/** The department message of an item, as first posted. */
function postOf(itemId: number, channel: string = ids.billingChannel) {
  const ref = `FB-${itemId}`;
  return h.standIn
    .callsTo('chat.postMessage')
    .find((c) => c.args.channel === channel && String(c.args.text).includes(ref));
}

async function fileInline(words: string) {
  await h.rep.command(Commands.feedback, words);
  await h.loop.delivery.drain();
}

describe('similar reports', () => {
  it('still links to reports filed before a restart (the recent words are reloaded from the database)', async () => {
    const clock = manualClock(Date.parse('2026-11-02T09:00:00Z'));
    h = await startHarness({ clock });
    await fileInline('billing: Charged twice for the March invoice'); // FB-1
    await fileInline('billing: the VAT number is missing from the receipt'); // FB-2
    await h.restart();
    clock.advance(DAY);
    await fileInline('billing: customer was charged twice on the April invoice'); // FB-3
    await fileInline('billing: invoice charged twice again'); // FB-4, linked to FB-1 and FB-3 (across the restart)
    expect(text(postOf(3)?.args.blocks)).toMatch(/similar reports in 14 days:\* FB-1/);
    expect(text(postOf(4)?.args.blocks)).toMatch(/3 similar reports in 14 days:\* FB-(1|3), FB-(1|3)/);
  });

  it('links a new item to earlier similar ones in the window, says how many, and keeps the count', async () => {
    const clock = manualClock(Date.parse('2026-11-02T09:00:00Z'));
    h = await startHarness({ clock });
    await fileInline('billing: Charged twice for the March invoice'); // FB-1, 20 days before the last
    clock.advance(10 * DAY);
    await fileInline('billing: customer was charged twice on the April invoice'); // FB-2
    clock.advance(2 * DAY);
    await fileInline('billing: the VAT number is missing from the receipt'); // FB-3, unrelated
    clock.advance(1 * DAY);
    await fileInline('billing: invoice CHARGED TWICE again, card statement'); // FB-4
    clock.advance(7 * DAY);
    await fileInline('billing: Charged twice: the invoice for May'); // FB-5

    // FB-4 (day 13): FB-1 and FB-2 are within 14 days and share most meaningful words.
    expect(text(postOf(4)?.args.blocks)).toMatch(/3 similar reports in 14 days:\* FB-(1|2), FB-(1|2)/);
    // FB-5 (day 20): FB-1 is now older than the window; FB-2 and FB-4 are not.
    const fifth = text(postOf(5)?.args.blocks);
    expect(fifth).toMatch(/3 similar reports in 14 days:\* FB-(2|4), FB-(2|4)/);
    expect(fifth).not.toContain('FB-1');
    expect(fifth).not.toContain('FB-3');
    expect(text(postOf(3)?.args.blocks)).not.toContain('similar reports');
    expect(text(postOf(1)?.args.blocks)).not.toContain('similar reports');

    expect(getFeedbackItem(h.loop.db, 4)?.similarCount).toBe(2);
    expect(getFeedbackItem(h.loop.db, 3)?.similarCount).toBe(0);
    const links = h.loop.db
      .prepare('SELECT similar_item_id AS id, reason FROM feedback_similar WHERE item_id = 5 ORDER BY id')
      .all();
    expect(links).toEqual([
      { id: 2, reason: 'text' },
      { id: 4, reason: 'text' },
    ]);
  });
});

describe('at-risk customers', () => {
  it('marks the customer at risk on the third complaint in 30 days, on the message and in the data', async () => {
    const clock = manualClock(Date.parse('2026-11-02T09:00:00Z'));
    h = await startHarness({ clock });
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Refund not received yet');
    clock.advance(40 * DAY); // the first complaint falls out of the 30 days
    await fileForCustomer(h, 'dana reyes, acct 48213', 'Promo code rejected at checkout');
    clock.advance(5 * DAY);
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Loved the new invoice layout', { kind: 'praise' });
    clock.advance(5 * DAY);
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Charged for shipping twice');
    expect(getFeedbackItem(h.loop.db, 4)?.customerAtRisk).toBe(false);
    expect(text(postOf(4)?.args.blocks)).not.toContain('At-risk');
    // Same customer is a similar report whatever the words.
    expect(text(postOf(4)?.args.blocks)).toMatch(/similar reports in 14 days:\* FB-3, FB-2/);

    clock.advance(1 * DAY);
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Invoice address still wrong');
    const fifth = text(postOf(5)?.args.blocks);
    expect(fifth).toContain('At-risk customer:* 3 complaints in 30 days');
    expect(getFeedbackItem(h.loop.db, 5)?.customerAtRisk).toBe(true);
    const customer = h.loop.db
      .prepare('SELECT at_risk_since, at_risk_complaints FROM customers WHERE id = ?')
      .get(getFeedbackItem(h.loop.db, 5)?.customerId);
    expect(customer).toEqual({ at_risk_since: clock.now(), at_risk_complaints: 3 });

    // Another customer's complaint is not marked.
    await fileForCustomer(h, 'Lee Park', 'Charged twice');
    expect(getFeedbackItem(h.loop.db, 6)?.customerAtRisk).toBe(false);
  });
});
