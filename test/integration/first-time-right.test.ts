import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { departmentWeeks } from '../../src/digest/department-week.js';
import { insertFeedbackEvent } from '../../src/feedback/history-repo.js';
import type { ContactChannel, FeedbackStatus } from '../../src/feedback/types.js';
import {
  addFirstTimeRight,
  contactMix,
  firstTimeRight,
  handoffs,
  handoffsPerItem,
  NO_FIRST_TIME_RIGHT,
  reassignPercent,
  reopenPercent,
  teamNumbers,
} from '../../src/metrics/numbers.js';
import { openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { statementsOf } from '../support/statements.js';
import { storedItem } from '../support/stored-rows.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * The first-time-right numbers and the contact mix against a history counted by hand: items filed, reassigned
 * back and forth, resolved, reopened, inside and around one week, in two departments.
 */

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-16T08:00:00Z');
const week = { start: T0, end: T0 + 168 * HOUR };
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

function file(departmentId: string, at: number, contactChannel?: ContactChannel): number {
  const id = storedItem(store.db, departmentId, at, contactChannel);
  change(id, 'created', 'new', at);
  return id;
}
function change(itemId: number, action: string, toStatus: FeedbackStatus, at: number) {
  insertFeedbackEvent(store.db, {
    itemId,
    at,
    actorId: 'U0M',
    action,
    fromStatus: undefined,
    toStatus,
    note: undefined,
  });
}
/** As the lifecycle does: the item moves, then its history row says where from and where to. */
function reassign(itemId: number, from: string, to: string, at: number) {
  store.db.prepare('UPDATE feedback_items SET department_id = ? WHERE id = ?').run(to, itemId);
  insertFeedbackEvent(store.db, {
    itemId,
    at,
    actorId: 'U0M',
    action: 'reassign',
    fromStatus: undefined,
    toStatus: 'new',
    note: undefined,
    fromDepartment: from,
    toDepartment: to,
  });
}

/** The week's history, and what each department's numbers are by hand. */
function seedWeek() {
  const h = (n: number) => T0 + n * HOUR;
  const a = file('billing', h(1), 'email'); // resolved, reopened, resolved again: all by billing
  change(a, 'acknowledge', 'acknowledged', h(2));
  change(a, 'resolve', 'resolved', h(3));
  change(a, 'reopen', 'reopened', h(5));
  change(a, 'resolve', 'resolved', h(6));
  const b = file('billing', h(1), 'phone'); // billing passes it on; shipping resolves it after 1 handoff
  reassign(b, 'billing', 'shipping', h(2));
  change(b, 'resolve', 'resolved', h(10));
  const c = file('shipping', h(1)); // shipping -> billing -> shipping, resolved after 2 handoffs
  reassign(c, 'shipping', 'billing', h(2));
  reassign(c, 'billing', 'shipping', h(3));
  change(c, 'resolve', 'resolved', h(4));
  const d = file('shipping', h(-10)); // filed before the week, passed to billing in it
  reassign(d, 'shipping', 'billing', h(1));
  const e = file('billing', h(1), 'email'); // resolved in the week, reopened after it
  change(e, 'resolve', 'resolved', h(2));
  change(e, 'reopen', 'reopened', h(200));
  const f = file('billing', h(-48)); // resolved before the week, reopened in it
  change(f, 'resolve', 'resolved', h(-24));
  change(f, 'reopen', 'reopened', h(1));
}

describe('first time right', () => {
  it('counts reopens, items passed on and handoffs per department, as counted by hand', () => {
    seedWeek();
    const counts = firstTimeRight(store.db, ['billing', 'shipping', 'product'], week);
    // Billing received a, b, e (filed) and c, d (passed to it); resolved a and e (a twice: 3 resolutions);
    // reopened a and f (f was resolved the week before); passed on b and c.
    expect(counts.get('billing')).toEqual({
      received: 5,
      resolved: 2,
      reopened: 2,
      passedOn: 2,
      resolutions: 3,
      handoffs: 0,
    });
    // Shipping received c (filed, then back again: once) and b; resolved both (b after 1 handoff, c after 2);
    // passed on c and d.
    expect(counts.get('shipping')).toEqual({
      received: 2,
      resolved: 2,
      reopened: 0,
      passedOn: 2,
      resolutions: 2,
      handoffs: 3,
    });
    expect(counts.get('product')).toEqual(NO_FIRST_TIME_RIGHT);
    const billing = counts.get('billing');
    const shipping = counts.get('shipping');
    if (!billing || !shipping) throw new Error('missing');
    expect([reopenPercent(billing), reassignPercent(billing), handoffsPerItem(billing)]).toEqual([
      100, 40, 0,
    ]);
    expect([reopenPercent(shipping), reassignPercent(shipping), handoffsPerItem(shipping)]).toEqual([
      0, 100, 1.5,
    ]);
    // Nothing resolved or received: no rate rather than a flattering 0.
    const none = counts.get('product');
    if (!none) throw new Error('missing');
    expect([reopenPercent(none), reassignPercent(none), handoffsPerItem(none)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    // A manager of both adds the counts, then divides: 2 reopened of 4 resolved, 4 passed on of 7 received.
    const both = addFirstTimeRight([billing, shipping]);
    expect([reopenPercent(both), reassignPercent(both), handoffsPerItem(both)]).toEqual([
      50,
      (4 / 7) * 100,
      0.6,
    ]);
  });

  it('gives the contact mix of the items filed in the week that each department holds now', () => {
    seedWeek();
    const mix = contactMix(store.db, ['billing', 'shipping'], week);
    expect(mix.get('billing')).toEqual([['email', 2]]); // a and e (c and b moved to shipping, d was filed before)
    expect(mix.get('shipping')).toEqual([
      ['', 1],
      ['phone', 1],
    ]);
  });

  it('agrees between a team (reminder, /strategy) and a digest week', () => {
    seedWeek();
    const weeks = departmentWeeks(store.db, ['billing', 'shipping'], week);
    for (const id of ['billing', 'shipping']) {
      const team = teamNumbers(store.db, id, week);
      expect(weeks.get(id)?.firstTimeRight).toEqual(team.firstTimeRight);
      expect(weeks.get(id)?.contactMix).toEqual(team.contactMix);
    }
  });

  it('counts the handoffs of resolutions written before the handoffs were kept', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'before.db'));
    try {
      migrate(db, migrationsBefore('first-time-right'), silentLogger);
      const event = db.prepare(
        `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department)
         VALUES (?, ?, 'U0M', ?, ?, ?, ?)`,
      );
      const h = (n: number) => T0 + n * HOUR;
      // Passed on twice before shipping resolved it; a second item resolved as filed.
      const c = storedItem(db, 'shipping', h(1));
      event.run(c, h(1), 'created', 'new', 'billing', 'billing');
      event.run(c, h(2), 'reassign', 'new', 'billing', 'product');
      event.run(c, h(3), 'reassign', 'new', 'product', 'shipping');
      event.run(c, h(4), 'resolve', 'resolved', 'shipping', null);
      const d = storedItem(db, 'shipping', h(1));
      event.run(d, h(1), 'created', 'new', 'shipping', 'shipping');
      event.run(d, h(2), 'resolve', 'resolved', 'shipping', null);
      migrate(db, migrations, silentLogger);
      expect(handoffs(db, ['shipping'], week).get('shipping')).toEqual({ resolutions: 2, handoffs: 2 });
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('reads reassignments from their own small indexes and the contact mix from a covering one', () => {
    const queries = [
      ...new Set(
        statementsOf(store.db, () => {
          firstTimeRight(store.db, ['billing'], week);
          contactMix(store.db, ['billing'], week);
        }),
      ),
    ];
    const plan = (sql: string) =>
      (
        store.db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...Array<number>((sql.match(/\?/g) ?? []).length).fill(1)) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(' | ');
    const planOf = (pattern: RegExp) => {
      const sql = queries.find((q) => pattern.test(q));
      if (!sql) throw new Error(`no query matches ${pattern}`);
      return plan(sql);
    };
    expect(planOf(/action = 'reassign' AND department_id/)).toContain(
      'USING COVERING INDEX feedback_events_passed_on',
    );
    expect(planOf(/SUM\(handoffs\)/)).toContain('USING COVERING INDEX feedback_events_resolutions');
    expect(planOf(/to_status = \? AND department_id/)).toContain(
      'USING COVERING INDEX feedback_events_numbers',
    );
    expect(planOf(/COALESCE\(contact_channel/)).toContain(
      'USING COVERING INDEX feedback_items_department_created_mix',
    );
  });
});
