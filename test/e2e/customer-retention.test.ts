import { afterEach, describe, expect, it } from 'vitest';
import { openNow, received, resolved, themes } from '../../src/metrics/numbers.js';
import { Commands } from '../../src/slack/ids.js';
import type { Db } from '../../src/store/db.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Every number the reminders and digests read for billing over all time, and the at-risk customers. */
function countsOf(db: Db) {
  const all = { start: 0, end: Date.parse('2100-01-01') };
  return {
    received: received(db, ['billing'], all),
    resolved: resolved(db, ['billing'], all),
    open: openNow(db, ['billing']),
    themes: themes(db, ['billing'], all),
    atRisk: db
      .prepare('SELECT COUNT(DISTINCT customer_id) FROM feedback_items WHERE customer_at_risk = 1')
      .pluck()
      .get(),
    items: db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get(),
    history: db.prepare('SELECT COUNT(*) FROM feedback_events').pluck().get(),
  };
}

/** Every text value stored anywhere in the database, to prove a name is gone from all of it. */
function everyStoredText(db: Db): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
}

const summaryOf = (db: Db, id: number) =>
  db.prepare('SELECT summary FROM feedback_items WHERE id = ?').pluck().get(id);

describe('retention.customer_details_days', () => {
  it('removes old customer details on the minute tick and on /loop purge, keeping every count', async () => {
    const clock = manualClock();
    h = await startHarness({ clock, config: { retention: { customer_details_days: 30 } } });
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    for (const n of [1, 2, 3]) await fileForCustomer(h, 'ACME Corp', `ACME invoice charged twice ${n}`);
    await fileForCustomer(h, 'Globex', 'Globex refund never arrived');
    clock.advance(20 * DAY);
    await fileForCustomer(h, 'ACME Corp', 'ACME invoice charged again');
    const before = countsOf(h.loop.db);
    expect(before.atRisk).toBe(1);

    // Day 20: nothing is older than 30 days yet.
    expect((await admin.command(Commands.loop, 'purge')).text).toContain('details of 0 feedback items');

    // Day 35: the first four items are past the retention; ACME keeps its name for its recent item.
    clock.advance(15 * DAY);
    await h.loop.scheduler.tick();
    const db = h.loop.db;
    for (const id of [1, 2, 3, 4]) expect(summaryOf(db, id)).toBe('(removed)');
    expect(summaryOf(db, 5)).toBe('ACME invoice charged again');
    const names = db.prepare('SELECT identifier FROM customers ORDER BY id').pluck().all();
    expect(names).toEqual(['ACME Corp', '(removed)']);
    expect(countsOf(db)).toEqual(before);

    // Day 60, on demand: the last item goes, and with it ACME's name.
    clock.advance(25 * DAY);
    const purged = await admin.command(Commands.loop, 'purge');
    expect(purged.text).toContain(
      'details of 1 feedback item filed more than 30 days ago, and 1 customer name',
    );
    expect(everyStoredText(db)).not.toMatch(/ACME|Globex|charged|refund never/);
    expect(countsOf(db)).toEqual(before);
    const log = db
      .prepare('SELECT reason, requested_by AS by, items, customers FROM customer_erasures ORDER BY id')
      .all();
    expect(log).toEqual([
      { reason: 'retention', by: 'schedule', items: 4, customers: 1 },
      { reason: 'retention', by: ids.admin, items: 1, customers: 1 },
    ]);
  });

  it('says how to turn it on when it is not set, and keeps everything', async () => {
    h = await startHarness();
    await fileForCustomer(h, 'ACME Corp', 'invoice charged twice');
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    expect((await admin.command(Commands.loop, 'purge')).text).toContain(
      '`retention.customer_details_days` is not set',
    );
    expect(summaryOf(h.loop.db, 1)).toBe('invoice charged twice');
  });
});

describe('/loop forget', () => {
  it("erases one customer's name and words on request, records who and how many, and keeps the counts", async () => {
    h = await startHarness();
    await fileForCustomer(h, 'Initech Ltd', 'Initech cannot log in');
    await fileForCustomer(h, 'Initech Ltd', 'Initech invoice is wrong');
    await fileForCustomer(h, 'Globex', 'Globex refund never arrived');
    const before = countsOf(h.loop.db);
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });

    expect((await h.rep.command(Commands.loop, 'forget initech ltd')).text).toContain(
      'for Courtesy Loop admins',
    );
    expect(summaryOf(h.loop.db, 1)).toBe('Initech cannot log in');
    expect((await admin.command(Commands.loop, 'forget')).text).toContain('Which customer?');

    const done = await admin.command(Commands.loop, 'forget INITECH ltd');
    expect(done.text).toContain('the details of 2 feedback items');
    expect(everyStoredText(h.loop.db)).not.toMatch(/initech/i);
    expect(summaryOf(h.loop.db, 3)).toBe('Globex refund never arrived');
    expect(countsOf(h.loop.db)).toEqual(before);
    const record = h.loop.db
      .prepare('SELECT reason, requested_by, items, customers FROM customer_erasures')
      .all();
    expect(record).toEqual([{ reason: 'request', requested_by: ids.admin, items: 2, customers: 1 }]);

    // Nothing in memory still holds the erased words: a new report is linked to its own customer's report only.
    await fileForCustomer(h, 'Globex', 'Initech cannot log in');
    const links = h.loop.db.prepare('SELECT similar_item_id FROM feedback_similar WHERE item_id = 4').pluck();
    expect(links.all()).toEqual([3]);

    const unknown = await admin.command(Commands.loop, 'forget <!channel> Nobody');
    expect(unknown.text).toContain('No customer called “&lt;!channel&gt; Nobody”');
  });
});
