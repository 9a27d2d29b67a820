import { afterEach, beforeEach, expect, it } from 'vitest';
import type { OrgConfig, OrgConfigInput } from '../../src/config/org-schema.js';
import { escalateOverdue } from '../../src/feedback/escalation.js';
import { listDueSlaItems } from '../../src/feedback/escalation-repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { newFeedback, orgConfig, orgConfigInput } from '../support/org-fixture.js';
import { statementsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * The SLA job runs every minute; over a year of open items it must read only what is due (issue 14: loading
 * every open item each minute held the event loop for over a second at 1M rows).
 */

let store: ReturnType<typeof tempDatabase>;
let config: OrgConfig;
let feedback: FeedbackService;
const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));

beforeEach(() => {
  store = tempDatabase();
  config = orgConfig();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
});
afterEach(() => store.remove());

/** Billing with an SLA for normal items: acknowledge within an hour, resolve within `resolve`, triage an hour later. */
function withBillingSla(resolve = '3d'): OrgConfig {
  const input = orgConfigInput();
  const [billing, ...rest] = input.departments;
  if (!billing) throw new Error('fixture changed');
  const sla = {
    targets: { normal: { acknowledge: '1h', resolve } },
    triage_after: '1h',
  } as NonNullable<OrgConfigInput['departments'][number]['sla']>;
  return orgConfig({ departments: [{ ...billing, sla }, ...rest] });
}

const deps = () => ({ db: store.db, config: () => config, logger: silentLogger });

function fileAt(iso: string, severity: 'normal' | 'low' = 'normal'): number {
  clock.set(Date.parse(iso));
  return feedback.submit(newFeedback({ summary: 'the invoice charged twice', severity })).item.id;
}

it('runs no query at all while no department has an SLA', () => {
  fileAt('2026-11-23T09:00:00Z');
  const statements = statementsOf(store.db, () => {
    expect(escalateOverdue(deps(), Date.parse('2026-11-30T09:00:00Z'))).toEqual({ queued: 0, more: false });
  });
  expect(statements).toEqual([]);
});

it('reads only the due items, through the deadline index, and each once per deadline', () => {
  const old = fileAt('2026-11-21T09:00:00Z');
  const due = fileAt('2026-11-23T07:45:00Z');
  const fresh = fileAt('2026-11-23T08:30:00Z');
  fileAt('2026-11-23T07:00:00Z', 'low'); // no SLA for low items: looked at once, then never again
  config = withBillingSla();
  const now = Date.parse('2026-11-23T09:00:00Z');

  // First tick under this policy: every open item gets its first look and its next check time.
  expect(escalateOverdue(deps(), now).queued).toBe(2 + 1 + 0); // old: acknowledge to leads and triage; due: leads
  expect(listDueSlaItems(store.db, now, 100)).toEqual([]);

  // A minute later nothing is due: the query returns no rows, although four items are open.
  expect(escalateOverdue(deps(), now + 60_000)).toEqual({ queued: 0, more: false });
  // At 09:30 the fresh item's acknowledge deadline has passed, and only that item comes back.
  const at930 = Date.parse('2026-11-23T09:30:00Z');
  expect(listDueSlaItems(store.db, at930, 100).map((i) => i.id)).toEqual([fresh]);
  // At 10:30 the due item's triage time has come too; the old one waits for its resolve deadline.
  expect(
    listDueSlaItems(store.db, Date.parse('2026-11-23T10:30:00Z'), 100)
      .map((i) => i.id)
      .sort(),
  ).toEqual([due, fresh].sort());
  expect(listDueSlaItems(store.db, Date.parse('2026-11-23T10:30:00Z'), 100).map((i) => i.id)).not.toContain(
    old,
  );

  // The plan of the very statement the job runs: a range search of the deadline index, no table scan.
  const [sql] = statementsOf(store.db, () => listDueSlaItems(store.db, now, 100));
  const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(now, 100) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');
  expect(plan).toMatch(
    /SEARCH feedback_items USING INDEX feedback_items_sla_next \(sla_next_at>\? AND sla_next_at<\?\)/,
  );
  expect(plan).not.toContain('SCAN');
});

it('reads the due items in slices and takes a changed SLA policy into account at once', () => {
  for (let i = 0; i < 5; i += 1) fileAt(`2026-11-23T0${i}:00:00Z`);
  config = withBillingSla();
  const now = Date.parse('2026-11-23T09:00:00Z');
  expect(escalateOverdue(deps(), now, 2).more).toBe(true);
  expect(escalateOverdue(deps(), now, 2).more).toBe(true);
  expect(escalateOverdue(deps(), now, 2).more).toBe(false);
  expect(listDueSlaItems(store.db, now, 100)).toEqual([]);

  // Resolve within one hour instead of three days: every open item is looked at again.
  config = withBillingSla('1h');
  expect(escalateOverdue(deps(), now + 60_000, 100).queued).toBeGreaterThan(0);
});

it('marks the open items for a new policy a slice of ids at a time, never all in one statement', () => {
  const insert = store.db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary, details,
       department_id, status, created_at, updated_at, sla_started_at)
     VALUES (?, 'T0TEST', 'U0REP00001', 'command', 'complaint', 'normal', 'summary', '', 'billing', 'new', ?, ?, ?)`,
  );
  const filed = Date.parse('2026-11-23T08:30:00Z');
  store.db.transaction(() => {
    for (let i = 0; i < 12_000; i += 1) insert.run(`bulk-${i}`, filed, filed, filed);
  })();
  config = withBillingSla();
  const now = Date.parse('2026-11-23T09:00:00Z');
  const calls: { more: boolean; statements: string[] }[] = [];
  for (let more = true; more; ) {
    let result = { queued: 0, more: false };
    const statements = statementsOf(store.db, () => {
      result = escalateOverdue(deps(), now, 5000);
    });
    calls.push({ more: result.more, statements });
    more = result.more;
  }
  // Three slices of ids mark the 12,000 items (the last also starts their first look), then two more slices of
  // at most 5,000 items look at the rest: each stores the item's next check time, its deadline at 09:30.
  expect(calls.map((c) => c.more)).toEqual([true, true, true, true, false]);
  // Every statement that sets check times for more than one item at once covers a range of ids.
  const marking = calls
    .flatMap((c) => c.statements)
    .filter((sql) => /SET sla_next_at/.test(sql) && !/WHERE id = \?/.test(sql));
  expect(marking).toHaveLength(3);
  for (const sql of marking) expect(sql).toMatch(/id > \? AND id <= \?/);
  expect(listDueSlaItems(store.db, now, 100)).toEqual([]);
  expect(listDueSlaItems(store.db, Date.parse('2026-11-23T09:30:00Z'), 20_000)).toHaveLength(12_000);
});
