import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { sharedTheme } from '../support/item-themes.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { digestsTo } from '../support/surfaces.js';
import { manualClock } from '../support/temp-dir.js';

/**
 * Themes in the team's rhythm: the weekly digest and the team reminder lead with the top three themes by impact
 * and their weekly counts; a team's focus theme is set, tracked week after week in its reminder, and ended.
 * Impacts in the comments are counted by hand from src/themes/impact.ts. Items get their themes from the write
 * side at intake, from their words; the tests read each theme's id and name from the database.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC: the digest's and the reminder's time.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const MANAGER = 'U0MGRBILL1';

function config(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    timezone: 'Europe/Berlin',
    departments: base.departments.map((d) =>
      d.id === 'billing' ? { ...d, reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' } } : d,
    ),
    managers: [{ user: MANAGER, departments: ['billing', 'shipping'] }],
    digest: { charts: false },
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Clock = ReturnType<typeof manualClock>;

async function fileAt(clock: Clock, at: string, text: string, severity?: 'low' | 'urgent'): Promise<number> {
  clock.set(Date.parse(at));
  const res = await h?.rep.command(Commands.feedback, text);
  const id = Number(/FB-(\d+)/.exec(res?.text ?? '')?.[1]);
  const db = h?.loop.db;
  if (!db || !id) throw new Error(`not filed: ${res?.text}`);
  if (severity) db.prepare('UPDATE feedback_items SET severity = ? WHERE id = ?').run(severity, id);
  return id;
}

/** Files `count` items at one moment, their words varied a little as reps would write them. */
async function fileEach(clock: Clock, at: string, texts: readonly string[], count: number, severity?: 'low') {
  const filed: number[] = [];
  for (let i = 0; i < count; i += 1)
    filed.push(await fileAt(clock, at, texts[i % texts.length] as string, severity));
  return filed;
}

const CHARGED = [
  'billing: customer charged twice on the invoice',
  'billing: charged twice for one invoice',
  'billing: invoice charged twice again',
];
const REFUNDS = ['billing: refund still not received after weeks', 'billing: refund not received yet'];

const remindersIn = (harness: Harness, channel: string) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && String(c.args.text).includes('our part in the promise'));

const sectionTexts = (call: { args: Record<string, unknown> } | undefined) =>
  ((call?.args.blocks ?? []) as { type: string; text?: { text: string } }[]).map((b) => b.text?.text ?? '');

async function tickAt(clock: Clock, at: number) {
  clock.set(at);
  await h?.loop.scheduler.tick();
  await h?.loop.delivery.drain();
}

describe('themes in digests and reminders', () => {
  it('leads the digest and the reminder with the top three themes by impact and their weekly counts', async () => {
    const clock = manualClock(MONDAY_9_BERLIN - 6 * DAY);
    h = await startHarness({ config: orgConfigInput(config()), clock });
    const db = h.loop.db;
    const charged = await fileEach(clock, '2026-11-11T12:00:00Z', CHARGED, 1);
    charged.push(...(await fileEach(clock, '2026-11-18T12:00:00Z', CHARGED, 3)));
    const vatItem = await fileAt(
      clock,
      '2026-11-18T12:00:00Z',
      'billing: VAT number missing on the receipt',
      'urgent',
    );
    const courierItem = await fileAt(clock, '2026-11-18T12:00:00Z', 'shipping: courier left the parcel late');
    const copies = await fileEach(
      clock,
      '2026-11-18T12:00:00Z',
      ['billing: wants a printed copy of the contract', 'billing: asks for a printed contract copy'],
      4,
      'low',
    );

    await tickAt(clock, MONDAY_9_BERLIN + 30_000);
    // The write side grouped them by their words (and the tick's regroup kept them so).
    const charges = sharedTheme(db, charged);
    const vat = sharedTheme(db, [vatItem]);
    const courier = sharedTheme(db, [courierItem]);
    const receipts = sharedTheme(db, copies);
    expect(new Set([charges.id, vat.id, courier.id, receipts.id]).size).toBe(4);
    const digest = digestsTo(h, MANAGER).at(-1);
    const lead = sectionTexts(digest).find((t) => t.startsWith('*Top themes by impact*'));
    // The digest's week ends at its Monday 09:00: open 4 d 20 h then, factor 1 + 4.833 / 7 = 1.690. Urgent
    // 8 × 1.690; 3 normal 3 × 2 × 1.690; 4 low 4 × 1.690; the courier item (2 × 1.690 = 3.4) is fourth.
    expect(lead?.split('\n')).toEqual([
      '*Top themes by impact*',
      `1. *TH-${vat.id}* ${vat.label}: 1 item (↑ from 0 last week), impact 13.5`,
      '     weekly `▁▁▁▁▁▁▁█` 0 0 0 0 0 0 0 1',
      `2. *TH-${charges.id}* ${charges.label}: 3 items (↑ from 1 last week), impact 10.1`,
      '     weekly `▁▁▁▁▁▁▃█` 0 0 0 0 0 0 1 3',
      `3. *TH-${receipts.id}* ${receipts.label}: 4 items (↑ from 0 last week), impact 6.8`,
      '     weekly `▁▁▁▁▁▁▁█` 0 0 0 0 0 0 0 4',
    ]);
    // The digest leads with it: right after its title and dates.
    expect(sectionTexts(digest).indexOf(lead as string)).toBe(2);

    const reminder = remindersIn(h, ids.billingChannel).at(-1);
    const texts = sectionTexts(reminder);
    // The reminder covers the same week, at the same moment.
    expect(texts[1]?.split('\n').filter((l) => /^\d\./.test(l))).toEqual([
      `1. *TH-${vat.id}* ${vat.label}: 1 item (↑ from 0 the period before), impact 13.5`,
      `2. *TH-${charges.id}* ${charges.label}: 3 items (↑ from 1 the period before), impact 10.1`,
      `3. *TH-${receipts.id}* ${receipts.label}: 4 items (↑ from 0 the period before), impact 6.8`,
    ]);
    expect(texts[1]).not.toContain(`TH-${courier.id}`);
  });
});

describe('/loop focus', () => {
  it('sets a focus, tracks it week by week in the reminder, says when it held two weeks, and keeps the history', async () => {
    const clock = manualClock(Date.parse('2026-11-02T09:00:00Z')); // Monday 10:00 in Berlin
    h = await startHarness({ config: orgConfigInput(config()), clock });
    const db = h.loop.db;
    const lead = h.driverFor({ id: ids.billingLead, name: 'lou' });
    const member = h.driverFor({ id: ids.billingMember, name: 'bea' });
    // The complaint that prompts the focus, filed just before it; the write side gives it its theme.
    const charged = [await fileAt(clock, '2026-11-02T08:30:00Z', CHARGED[0] as string)];
    const charges = sharedTheme(db, charged);

    clock.set(Date.parse('2026-11-02T09:00:00Z'));
    const refused = await member.command(Commands.loop, `focus billing TH-${charges.id} max:2/week`);
    expect(refused.text).toContain("Only Billing's leads or an admin can change its focus");
    expect((await lead.command(Commands.loop, 'focus billing TH-999 max:2/week')).text).toContain(
      'There is no theme “TH-999”',
    );
    expect((await lead.command(Commands.loop, `focus billing TH-${charges.id} max:two`)).text).toContain(
      'whole number',
    );
    const set = await lead.command(Commands.loop, `focus billing TH-${charges.id} max:2/week`);
    expect(set.text).toContain(`*Focus: TH-${charges.id}* ${charges.label} (at most 2 a week, since 2 Nov)`);

    // Counted from the focus on: the complaint filed before it is not.
    charged.push(...(await fileEach(clock, '2026-11-03T10:00:00Z', CHARGED, 4)));
    charged.push(...(await fileEach(clock, '2026-11-10T10:00:00Z', CHARGED, 1)));
    const refundItems = await fileEach(clock, '2026-11-11T10:00:00Z', REFUNDS, 3);
    await tickAt(clock, Date.parse('2026-11-16T08:00:30Z'));
    expect(sharedTheme(db, charged).id).toBe(charges.id);
    const refunds = sharedTheme(db, refundItems);
    expect(refunds.id).not.toBe(charges.id);
    const first = sectionTexts(remindersIn(h, ids.billingChannel).at(-1)).find((t) => t.startsWith('*Focus'));
    expect(first).toContain('Weekly since it began `█▃▁` 4 1 0 · 5 items, impact');
    expect(first).not.toContain('two weeks running'); // only one full week since the focus began

    charged.push(...(await fileEach(clock, '2026-11-17T10:00:00Z', CHARGED, 2)));
    await tickAt(clock, Date.parse('2026-11-23T08:00:30Z'));
    expect(sharedTheme(db, charged).id).toBe(charges.id);
    const second = sectionTexts(remindersIn(h, ids.billingChannel).at(-1)).find((t) =>
      t.startsWith('*Focus'),
    );
    expect(second).toContain('Weekly since it began `█▃▅▁` 4 1 2 0 · 7 items');
    expect(second).toContain(':tada: At or under the target two weeks running (1 and 2).');
    expect(second).toContain(`Next, consider *TH-${refunds.id}* ${sharedTheme(db, refundItems).label}`);
    expect(second).toContain(`\`/loop focus billing TH-${refunds.id} max:2/week\``);

    const shown = await member.command(Commands.loop, 'focus billing');
    expect(shown.text).toContain(`*Focus: TH-${charges.id}*`);
    expect((await lead.command(Commands.loop, 'focus billing off')).text).toContain(
      "Billing's focus has ended",
    );
    const history = await member.command(Commands.loop, 'focus billing');
    expect(history.text).toContain('Billing has no focus theme');
    expect(history.text).toContain(
      `• TH-${charges.id} ${sharedTheme(db, charged).label}, at most 2 a week: 2 Nov to 23 Nov, set by <@${ids.billingLead}>`,
    );
    const rows = db.prepare('SELECT COUNT(*) FROM theme_focus').pluck().get();
    expect(rows).toBe(1);
  });
});

describe('theme spikes', () => {
  it('posts a spiking theme to its department once a week, and again in a later week that spikes', async () => {
    const clock = manualClock(Date.parse('2026-11-02T09:00:00Z'));
    h = await startHarness({ config: orgConfigInput(config()), clock });
    const spikes = () =>
      (h as Harness).standIn
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === ids.billingChannel && String(c.args.text).includes('*Spike: TH-'));

    const charged = await fileEach(clock, '2026-11-03T10:00:00Z', CHARGED, 4);
    await tickAt(clock, Date.parse('2026-11-03T11:00:00Z'));
    expect(spikes()).toHaveLength(0); // four items: fewer than five
    const fifth = await fileAt(clock, '2026-11-03T12:00:00Z', CHARGED[1] as string);
    await tickAt(clock, Date.parse('2026-11-03T12:01:00Z'));
    const charges = sharedTheme(h.loop.db, [...charged, fifth]);
    expect(spikes().map((c) => c.args.text)).toEqual([
      `:chart_with_upwards_trend: *Spike: TH-${charges.id}* ${charges.label}: 5 items this week so far, against a median of 0 a week over the eight weeks before. For example FB-${fifth}, FB-4, FB-3. \`/feedback themes billing week\` ranks this week's themes.`,
    ]);
    await fileAt(clock, '2026-11-04T12:00:00Z', CHARGED[2] as string);
    await tickAt(clock, Date.parse('2026-11-04T12:01:00Z'));
    await h.restart(); // the next look after a restart does not post it again either
    await tickAt(clock, Date.parse('2026-11-04T12:02:00Z'));
    expect(spikes()).toHaveLength(1);

    charged.push(...(await fileEach(clock, '2026-11-10T10:00:00Z', CHARGED, 2)));
    await tickAt(clock, Date.parse('2026-11-10T11:00:00Z'));
    expect(spikes()).toHaveLength(1);
    // The week after: 6 against a median of 0 over [0, 0, 0, 0, 0, 0, 6, 2].
    charged.push(...(await fileEach(clock, '2026-11-17T10:00:00Z', CHARGED, 6)));
    await tickAt(clock, Date.parse('2026-11-17T11:00:00Z'));
    expect(sharedTheme(h.loop.db, [...charged, fifth]).id).toBe(charges.id); // the app's database since the restart
    expect(spikes()).toHaveLength(2);
    expect(String(spikes()[1]?.args.text)).toContain('6 items this week so far');
  });
});
