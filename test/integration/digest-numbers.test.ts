import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeDigest, createDigestNumbers } from '../../src/digest/compose.js';
import { departmentTrend, departmentWeeks, emptyDepartmentWeek } from '../../src/digest/department-week.js';
import { insertFeedbackEvent } from '../../src/feedback/history-repo.js';
import { revokeKudos } from '../../src/kudos/repo.js';
import { weeksEndingAt } from '../../src/time/local-time.js';
import { insertLedgerRow } from '../support/ledger-rows.js';
import { orgConfig } from '../support/org-fixture.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * Every digest number against a hand-computed fixture. Rows are written with SQL, as the lifecycle and kudos
 * features store them, so each number can be traced to the rows that make it.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-16T08:00:00Z'); // Monday 09:00 Berlin
const PERIOD = { start: T0, end: T0 + 7 * DAY };
const PREVIOUS = { start: T0 - 7 * DAY, end: T0 };

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
  seed();
});
afterEach(() => store.remove());

type ItemSpec = {
  department: string;
  createdAt: number;
  kind?: string;
  severity?: string;
  status?: string;
  acknowledgedAt?: number;
  resolvedAt?: number;
  customerId?: number;
  atRisk?: boolean;
  matched?: string[];
};

function item(spec: ItemSpec): number {
  const db = store.db;
  if (spec.customerId !== undefined) {
    db.prepare(
      `INSERT OR IGNORE INTO customers (id, team_id, identifier, identifier_key, created_at) VALUES (?, 'T1', ?, ?, 0)`,
    ).run(spec.customerId, `Customer ${spec.customerId}`, `customer-${spec.customerId}`);
  }
  const id = Number(
    db
      .prepare(
        `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, kind, severity, summary,
           department_id, status, created_at, updated_at, acknowledged_at, resolved_at, customer_at_risk, post_channel_id, post_ts)
         VALUES (?, 'T1', 'U0REP00001', 'command', ?, ?, ?, 'private summary', ?, ?, ?, ?, ?, ?, ?, 'C0BILLING1', ?)`,
      )
      .run(
        `k${spec.createdAt}-${Math.random()}`,
        spec.customerId ?? null,
        spec.kind ?? 'complaint',
        spec.severity ?? 'normal',
        spec.department,
        spec.status ?? 'new',
        spec.createdAt,
        spec.createdAt,
        spec.acknowledgedAt ?? null,
        spec.resolvedAt ?? null,
        spec.atRisk ? 1 : 0,
        `${spec.createdAt / 1000}.000100`,
      ).lastInsertRowid,
  );
  const event = db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status, department_id, item_created_at,
       held_since)
     VALUES (?, ?, 'U0MEM00001', ?, NULL, ?, ?, ?, ?)`,
  );
  db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
       item_created_at, held_since)
     VALUES (?, ?, 'U0REP00001', 'created', 'new', ?, ?, ?, ?)`,
  ).run(id, spec.createdAt, spec.department, spec.department, spec.createdAt, spec.createdAt);
  if (spec.acknowledgedAt !== undefined)
    event.run(
      id,
      spec.acknowledgedAt,
      'acknowledge',
      'acknowledged',
      spec.department,
      spec.createdAt,
      spec.createdAt,
    );
  if (spec.resolvedAt !== undefined)
    event.run(id, spec.resolvedAt, 'resolve', 'resolved', spec.department, spec.createdAt, spec.createdAt);
  db.prepare(
    `INSERT INTO feedback_routing (item_id, department_id, method, reason, score, matched, decided_at)
     VALUES (?, ?, ?, '', 1, ?, ?)`,
  ).run(
    id,
    spec.department,
    spec.matched ? 'rules' : 'explicit',
    JSON.stringify(spec.matched ?? []),
    spec.createdAt,
  );
  return id;
}

function escalation(itemId: number, level: 'leads' | 'triage', dueAt: number, department = 'billing') {
  store.db
    .prepare(
      `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
       VALUES (?, ?, ?, 'acknowledge', ?, ?, ?)`,
    )
    .run(itemId, department, `${itemId}:${level}:${dueAt}`, level, dueAt, dueAt);
}

const DEPARTMENT_OF: Record<string, string> = {
  G1: 'billing',
  R1: 'billing',
  R2: 'billing',
  R3: 'billing',
  Gs: 'shipping',
  Rs: 'shipping',
};

function kudos(
  giver: string,
  recipients: string[],
  at: number,
  options: { values?: string[]; revoked?: boolean; reason?: string } = {},
) {
  const db = store.db;
  const giverDepartments = JSON.stringify([DEPARTMENT_OF[giver]]);
  const values = JSON.stringify(options.values ?? []);
  const kudosId = Number(
    db
      .prepare(
        `INSERT INTO kudos (source_key, team_id, giver_id, source, reason, value_ids, giver_departments, giver_tz, created_at, revoked_at)
         VALUES (?, 'T1', ?, 'command', ?, ?, ?, 'Europe/Berlin', ?, ?)`,
      )
      .run(
        `s${at}-${giver}`,
        giver,
        options.reason ?? `thanks from ${giver}`,
        values,
        giverDepartments,
        at,
        options.revoked ? at + HOUR : null,
      ).lastInsertRowid,
  );
  for (const recipient of recipients) {
    insertLedgerRow(db, {
      kudosId,
      giver,
      recipient,
      giverDepartments: [DEPARTMENT_OF[giver] as string],
      recipientDepartments: [DEPARTMENT_OF[recipient] as string],
      crossing: DEPARTMENT_OF[giver] !== DEPARTMENT_OF[recipient],
      values,
      at,
      revokedAt: options.revoked ? at + HOUR : null,
    });
  }
}

const ids: Record<string, number> = {};

function seed() {
  ids.b1 = item({
    department: 'billing',
    createdAt: T0 - 2 * DAY,
    severity: 'high',
    status: 'resolved',
    acknowledgedAt: T0 + HOUR,
    resolvedAt: T0 + DAY,
  });
  ids.b2 = item({
    department: 'billing',
    createdAt: T0 + HOUR,
    status: 'acknowledged',
    acknowledgedAt: T0 + 3 * HOUR,
    matched: ['invoice', 'charged'],
  });
  ids.b3 = item({
    department: 'billing',
    createdAt: T0 + 2 * HOUR,
    kind: 'suggestion',
    severity: 'low',
    status: 'resolved',
    acknowledgedAt: T0 + 4 * HOUR,
    resolvedAt: T0 + 8 * DAY,
    matched: ['invoice'],
  });
  ids.b4 = item({
    department: 'billing',
    createdAt: T0 + 10 * HOUR,
    severity: 'urgent',
    customerId: 7,
    atRisk: true,
    matched: ['Invoice', '\\bINV-\\d{4,}\\b'],
  });
  ids.b5 = item({ department: 'billing', createdAt: T0 + 8 * DAY });
  ids.s1 = item({ department: 'shipping', createdAt: T0 + DAY, kind: 'praise' });

  escalation(ids.b4, 'leads', T0 + 14 * HOUR);
  escalation(ids.b4, 'triage', T0 + 20 * HOUR);
  escalation(ids.b1, 'leads', T0 - DAY);
  // s1 was billing's when billing missed its deadline, then moved to shipping: the breach stays billing's.
  escalation(ids.s1, 'leads', T0 + 2 * DAY, 'billing');

  kudos('Gs', ['R1'], T0 + HOUR, { values: ['ownership'], reason: 'Stayed late to fix the refund export' });
  kudos('G1', ['R1', 'R2'], T0 + 2 * HOUR, { values: ['teamwork'] });
  kudos('G1', ['Rs'], T0 + 3 * HOUR, { revoked: true });
  kudos('G1', ['Rs'], T0 + 4 * HOUR, { values: ['ownership'] });
  kudos('Gs', ['R2'], T0 - DAY);
}

describe('department numbers for a week', () => {
  it('counts feedback by receipt, acknowledgement and resolution time, per department', () => {
    const weeks = departmentWeeks(store.db, ['billing', 'shipping', 'product'], PERIOD);
    const billing = weeks.get('billing');
    expect(billing).toMatchObject({
      received: 3,
      resolved: 1,
      openAtEnd: 3, // b2 and b4 are open; b3 was resolved only after the week ended
      byKind: { complaint: 2, suggestion: 1 },
      bySeverity: { normal: 1, low: 1, urgent: 1 },
      slaBreaches: 2, // b4's and s1's lead escalations; triage escalations are not second breaches
      themes: [
        { term: 'invoice', count: 3 },
        { term: 'charged', count: 1 },
      ],
      atRisk: [{ customerId: 7, complaints: 1, latestItemId: ids.b4 }],
    });
    expect([...(billing?.acknowledgeMs ?? [])].sort((a, b) => a - b)).toEqual([
      2 * HOUR,
      2 * HOUR,
      49 * HOUR,
    ]);
    expect(billing?.resolveMs).toEqual([3 * DAY]);
    expect(weeks.get('shipping')).toMatchObject({ received: 1, byKind: { praise: 1 }, openAtEnd: 1 });
    expect(weeks.get('product')).toEqual(emptyDepartmentWeek());
  });

  it('counts kudos from the ledger: received, given, across teams, values, never withdrawn ones', () => {
    const weeks = departmentWeeks(store.db, ['billing', 'shipping'], PERIOD);
    expect(weeks.get('billing')).toMatchObject({
      kudosReceived: 3,
      kudosFromOtherTeams: 1,
      kudosGiven: 3,
      kudosToOtherTeams: 1,
      values: { teamwork: 2, ownership: 1 },
    });
    expect(weeks.get('shipping')).toMatchObject({
      kudosReceived: 1,
      kudosFromOtherTeams: 1,
      kudosGiven: 1,
      kudosToOtherTeams: 1,
      values: { ownership: 1 },
    });
  });

  it('keeps a past week as it was when an item is acknowledged again or resolved and reopened later', () => {
    store.db
      .prepare(
        `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, item_created_at)
         VALUES (?, ?, 'U0MEM00001', 'acknowledge', 'acknowledged', 'billing', ?)`,
      )
      .run(ids.b2, T0 + 9 * DAY, T0 + HOUR);
    store.db
      .prepare(`UPDATE feedback_items SET status = 'reopened', resolved_at = NULL WHERE id = ?`)
      .run(ids.b1);
    const billing = departmentWeeks(store.db, ['billing'], PERIOD).get('billing');
    expect(billing?.resolved).toBe(1);
    expect(billing?.resolveMs).toEqual([3 * DAY]);
    expect([...(billing?.acknowledgeMs ?? [])].sort((a, b) => a - b)).toEqual([
      2 * HOUR,
      2 * HOUR,
      49 * HOUR,
    ]);
  });

  it('counts each change for the department that owned the item then, also after a reassignment', () => {
    const at = T0 + 2 * DAY;
    const before = departmentWeeks(store.db, ['billing', 'shipping'], PERIOD);
    store.db.prepare(`UPDATE feedback_items SET department_id = 'shipping' WHERE id = ?`).run(ids.b4);
    insertFeedbackEvent(store.db, {
      itemId: ids.b4 as number,
      at,
      actorId: 'U0MEM00001',
      action: 'reassign',
      fromStatus: 'new',
      toStatus: 'new',
      fromDepartment: 'billing',
      toDepartment: 'shipping',
      note: undefined,
    });
    insertFeedbackEvent(store.db, {
      itemId: ids.b4 as number,
      at: at + HOUR,
      actorId: 'U0SHIP0001',
      action: 'resolve',
      fromStatus: 'new',
      toStatus: 'resolved',
      note: undefined,
    });
    const weeks = departmentWeeks(store.db, ['billing', 'shipping'], PERIOD);
    expect(weeks.get('billing')?.resolved).toBe(1); // b1 only
    expect(weeks.get('shipping')?.resolved).toBe(1); // b4, resolved by shipping after the move
    // Shipping's time runs from when it got the item, not from when Billing did.
    expect(weeks.get('shipping')?.resolveMs).toEqual([HOUR]);
    // Received by both departments it reached (Billing still received it this week).
    expect(weeks.get('billing')?.received).toBe(before.get('billing')?.received);
    expect(weeks.get('shipping')?.received).toBe((before.get('shipping')?.received ?? 0) + 1);
    expect(departmentTrend(store.db, ['billing', 'shipping'], [PERIOD]).get('shipping')?.resolved).toEqual([
      1,
    ]);
  });

  it('gives the previous week its own numbers', () => {
    const billing = departmentWeeks(store.db, ['billing'], PREVIOUS).get('billing');
    expect(billing).toMatchObject({
      received: 1,
      resolved: 0,
      openAtEnd: 1,
      slaBreaches: 1,
      kudosReceived: 1,
    });
  });

  it('is all zeros for an empty week', () => {
    const far = { start: T0 + 100 * DAY, end: T0 + 107 * DAY };
    const billing = departmentWeeks(store.db, ['billing'], far).get('billing');
    expect(billing).toMatchObject({ received: 0, resolved: 0, kudosReceived: 0, themes: [], atRisk: [] });
    expect(billing?.openAtEnd).toBe(3); // b2, b4 and b5 are still open; b3 was resolved before it
  });
});

describe('a manager digest', () => {
  const config = orgConfig({
    managers: [
      { user: 'U0MANAGER1', departments: ['billing', 'shipping'] },
      { user: 'U0MANAGER2', departments: [] },
    ],
  });
  /** The manager's digest for PERIOD, from fresh (uncached) numbers. */
  const digestOf = (manager: (typeof config.managers)[number], people: string[]) =>
    composeDigest({
      db: store.db,
      numbers: createDigestNumbers({
        db: store.db,
        departmentIds: () => config.departments.map((d) => d.id),
        now: () => T0 + 30 * DAY,
      }),
      manager,
      departments: config.departments.filter((d) => manager.departments.includes(d.id)),
      period: PERIOD,
      previousPeriod: PREVIOUS,
      trendWeeks: weeksEndingAt(PERIOD.end, 'Europe/Berlin', 8),
      people,
      unrecognisedWeeks: 4,
      atRiskDays: 30,
    });

  it('counts what stands now: a kudos withdrawn after its week closed leaves that week, also once cached', () => {
    const manager = config.managers[0];
    if (!manager) throw new Error('fixture');
    let now = PERIOD.end + HOUR;
    const numbers = createDigestNumbers({
      db: store.db,
      departmentIds: () => config.departments.map((d) => d.id),
      now: () => now,
    });
    const compose = () =>
      composeDigest({
        db: store.db,
        numbers,
        manager,
        departments: config.departments.filter((d) => manager.departments.includes(d.id)),
        period: PERIOD,
        previousPeriod: PREVIOUS,
        trendWeeks: weeksEndingAt(PERIOD.end, 'Europe/Berlin', 8),
        people: [],
        unrecognisedWeeks: 4,
        atRiskDays: 30,
      });
    const before = compose();
    now += DAY;
    const kudosId = store.db
      .prepare(`SELECT id FROM kudos WHERE giver_id = 'Gs' AND created_at = ?`)
      .pluck()
      .get(T0 + HOUR) as number;
    expect(revokeKudos(store.db, kudosId, 'message deleted', now)).toBe(true);
    const after = compose();
    expect(after.current.kudosReceived).toBe(before.current.kudosReceived - 1);
    expect(after.current.kudosFromOtherTeams).toBe(before.current.kudosFromOtherTeams - 1);
    expect(after.departments.map((d) => d.headline.kudosReceived)).toEqual(
      before.departments.map((d) => d.headline.kudosReceived - (d.department.id === 'billing' ? 1 : 0)),
    );
    expect(after.trend.kudos.at(-1)).toBe((before.trend.kudos.at(-1) ?? 0) - 1);
    // The week before was not touched, and stays as counted.
    expect(after.previous).toEqual(before.previous);
  });

  it('adds up its departments, compares with last week, and lists what needs attention', () => {
    const manager = config.managers[0];
    if (!manager) throw new Error('fixture');
    const digest = digestOf(manager, ['R1', 'R2', 'R3', 'G1', 'R1']);
    expect(digest.current).toEqual({
      received: 4,
      resolved: 1,
      openAtEnd: 4,
      medianMsToAcknowledge: 2 * HOUR,
      medianMsToResolve: 3 * DAY,
      slaBreaches: 2,
      kudosReceived: 4,
      kudosGiven: 4,
      kudosFromOtherTeams: 2,
      kudosToOtherTeams: 2,
      // Nothing reopened or passed on this week; the one resolution had no handoff.
      firstTimeRight: { received: 4, resolved: 1, reopened: 0, passedOn: 0, resolutions: 1, handoffs: 0 },
      customerPraise: 0,
    });
    expect(digest.previous).toMatchObject({ received: 1, openAtEnd: 1, kudosReceived: 1, slaBreaches: 1 });
    expect(digest.byKind).toEqual([
      ['complaint', 2],
      ['praise', 1],
      ['suggestion', 1],
    ]);
    expect(digest.values).toEqual([
      ['ownership', 2],
      ['teamwork', 2],
    ]);
    expect(digest.oldestOpen.map((i) => i.id)).toEqual([ids.b2, ids.b4, ids.s1, ids.b5]);
    expect(digest.highlights.map((h) => h.recipientIds)).toEqual([['Rs'], ['R1', 'R2'], ['R1']]);
    expect(digest.highlights[2]?.reason).toBe('Stayed late to fix the refund export');
    expect(digest.unrecognised).toEqual(['G1', 'R3']);
    expect(digest.trend.received).toEqual([0, 0, 0, 0, 0, 0, 1, 4]);
    expect(digest.trend.resolved).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(digest.trend.kudos).toEqual([0, 0, 0, 0, 0, 0, 1, 4]);
    expect(digest.departments.map((d) => [d.department.id, d.headline.received])).toEqual([
      ['billing', 3],
      ['shipping', 1],
    ]);
  });

  it('counts a kudos once for a manager of both departments of a person who belongs to two', () => {
    const manager = config.managers[0];
    if (!manager) throw new Error('fixture');
    // R9 belongs to billing and shipping; Gs (shipping) thanks them.
    const kudosId = Number(
      store.db
        .prepare(
          `INSERT INTO kudos (source_key, team_id, giver_id, source, reason, value_ids, giver_departments, giver_tz, created_at)
           VALUES ('two', 'T1', 'Gs', 'command', 'thanks across two teams', '["craft"]', '["shipping"]', 'UTC', ?)`,
        )
        .run(T0 + 5 * HOUR).lastInsertRowid,
    );
    store.db
      .prepare(
        `INSERT INTO kudos_ledger (kudos_id, unique_key, giver_id, recipient_id, giver_departments, recipient_departments,
           cross_department, value_ids, source, created_at)
         VALUES (?, 'two:R9', 'Gs', 'R9', '["shipping"]', '["billing","shipping"]', 0, '["craft"]', 'command', ?)`,
      )
      .run(kudosId, T0 + 5 * HOUR);
    const digest = digestOf(manager, []);
    // Each department counts it (its person was thanked), the manager's total counts it once.
    expect(digest.departments.map((d) => d.headline.kudosReceived)).toEqual([4, 2]);
    expect(digest.current.kudosReceived).toBe(5);
    expect(digest.values).toContainEqual(['craft', 1]);
  });

  it('is empty, not an error, for a manager with no departments', () => {
    const manager = config.managers[1];
    if (!manager) throw new Error('fixture');
    const digest = digestOf(manager, []);
    expect(digest.current.received).toBe(0);
    expect(digest.oldestOpen).toEqual([]);
    expect(digest.trend.received).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('digest weeks', () => {
  it('start at the same local time each week, across a daylight-saving change', () => {
    const end = Date.parse('2026-11-02T08:00:00Z'); // Monday 09:00 CET
    const weeks = weeksEndingAt(end, 'Europe/Berlin', 3);
    expect(weeks.map((w) => new Date(w.start).toISOString())).toEqual([
      '2026-10-12T07:00:00.000Z', // 09:00 CEST
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z', // 09:00 CET
    ]);
    expect(weeks.map((w) => (w.end - w.start) / HOUR)).toEqual([168, 169, 168]);
  });

  it('follow the manager time zone (New York)', () => {
    const end = Date.parse('2026-11-23T14:00:00Z'); // Monday 09:00 in New York
    const weeks = weeksEndingAt(end, 'America/New_York', 2);
    expect(weeks).toEqual([
      { start: end - 14 * DAY, end: end - 7 * DAY },
      { start: end - 7 * DAY, end },
    ]);
  });
});
