import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { sharedTheme } from '../support/item-themes.js';
import { ids } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

/**
 * `/feedback themes [department] [week|month|quarter]`: the top themes by impact, only to the caller, with their
 * trend, eight weeks of counts and example references. Items get their themes from the write side at intake,
 * from their words; the test reads each theme's id and name from the database.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;
// Wednesday 2026-11-25 12:00 UTC; the org's time zone is UTC.
const NOW = Date.parse('2026-11-25T12:00:00Z');

async function fileAt(clock: ReturnType<typeof manualClock>, at: number, text: string) {
  clock.set(at);
  const res = await h?.rep.command(Commands.feedback, text);
  const id = Number(/FB-(\d+)/.exec(res?.text ?? '')?.[1]);
  if (!id) throw new Error(`not filed: ${res?.text}`);
  return id;
}

describe('/feedback themes', () => {
  it('ranks by impact, not by count, with trend, weekly counts and references only', async () => {
    const clock = manualClock(NOW - 30 * DAY);
    h = await startHarness({ clock });
    const db = h.loop.db;
    // Last week: one double charge. This week: two, one of them urgent.
    const last = await fileAt(clock, NOW - 8 * DAY, 'billing: customer charged twice on the invoice');
    const first = await fileAt(clock, NOW - DAY, 'billing: charged twice on the invoice again');
    const second = await fileAt(clock, NOW - 2 * 3_600_000, 'billing: invoice charged twice, furious');
    db.prepare("UPDATE feedback_items SET severity = 'urgent' WHERE id = ?").run(second);
    // Three low VAT questions this week: more items, less harm.
    const questions: number[] = [];
    for (const hours of [30, 20, 10]) {
      const id = await fileAt(clock, NOW - hours * 3_600_000, 'billing: VAT number missing on the receipt');
      db.prepare("UPDATE feedback_items SET severity = 'low' WHERE id = ?").run(id);
      questions.push(id);
    }
    clock.set(NOW);
    // The write side grouped them by their words; a lead named the charges (markup in it must not ping anyone).
    const charges = sharedTheme(db, [last, first, second]).id;
    const vat = sharedTheme(db, questions);
    expect(vat.id).not.toBe(charges);
    const named = await h
      .driverFor({ id: ids.billingLead, name: 'lou' })
      .command(Commands.loop, `theme TH-${charges} "double <!channel> charges"`);
    expect(named.text).toContain(`TH-${charges}`);
    expect(sharedTheme(db, [last]).label).toBe('double <!channel> charges');

    const res = await h.rep.command(Commands.feedback, 'themes billing week');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    const text = String((res.json as { text: string }).text);
    const lines = text.split('\n');
    expect(lines[0]).toBe('*Top themes by impact, Billing, this week* (since 23 Nov)');
    // 2 × (1 + 1/7) + 8 × (1 + 2 h) = 2.286 + 8.095 = 10.4 against 3 × 1 × (1 + ~20 h) = 3.4
    expect(lines[1]).toBe(
      `1. *TH-${charges}* double &lt;!channel&gt; charges: 2 items (↑ from 1 the same days last week), impact 10.4`,
    );
    expect(lines[2]).toBe(`     last 8 weeks \`▁▁▁▁▁▁▅█\` 0 0 0 0 0 0 1 2 · e.g. FB-${second}, FB-${first}`);
    expect(lines[3]).toMatch(
      new RegExp(
        `^2\\. \\*TH-${vat.id}\\* ${vat.label}: 3 items \\(↑ from 0 the same days last week\\), impact 3\\.\\d$`,
      ),
    );
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('furious'); // references only: anyone may ask

    const company = await h.rep.command(Commands.feedback, 'themes month');
    expect(company.text).toContain('*Top themes by impact, the whole company, this month* (since 1 Nov)');
    expect(company.text).toContain(`1. *TH-${charges}* double &lt;!channel&gt; charges: 3 items`);
  });

  it('answers an unknown department or period politely, and still files a complaint that starts with "themes"', async () => {
    h = await startHarness({ clock: manualClock(NOW) });
    const unknown = await h.rep.command(Commands.feedback, 'themes marketing');
    expect(unknown.text).toContain("I don't know a department or period called “marketing”");
    expect(unknown.text).toContain('`billing`, `shipping`, `product`');
    const year = await h.rep.command(Commands.feedback, 'themes billing year');
    expect(year.text).toContain('called “billing year”');
    const empty = await h.rep.command(Commands.feedback, 'themes shipping quarter');
    expect(empty.text).toContain('No feedback with a theme yet this quarter.');
    const filed = await h.rep.command(
      Commands.feedback,
      'themes in the app are unreadable on a small phone screen',
    );
    expect(filed.text).toContain('FB-1');
  });
});
