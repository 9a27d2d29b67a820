import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  type DepartmentWeek,
  departmentWeeks,
  type SharedKudos,
  sharedKudos,
  weekParts,
} from '../../src/digest/department-week.js';
import { createPeriodPieces, piecesOf } from '../../src/digest/period-pieces.js';
import { createDigestService } from '../../src/digest/service.js';
import { joinWeekParts } from '../../src/digest/week-parts.js';
import { customerKey } from '../../src/feedback/repo.js';
import { revokeKudos } from '../../src/kudos/repo.js';
import {
  acknowledgeTimes,
  contactMix,
  firstTimeRight,
  kudosReceived,
  kudosToOtherTeams,
  openAtEnd,
  openNow,
  type Period,
  resolveTimes,
  slaBreaches,
  themes,
} from '../../src/metrics/numbers.js';
import { forgetCustomer } from '../../src/retention/customer-details.js';
import type { Db } from '../../src/store/db.js';
import { orgConfig } from '../support/org-fixture.js';
import { statementsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * The `/loop digest` preview counts its week so far in pieces (closed hours and days kept, only the open part
 * counted again; issue 14). Its numbers must be exactly those of counting the whole period at once, as the
 * scheduled digests and every other surface count them: an item reassigned away and back, acknowledged twice,
 * resolved, reopened and resolved again across pieces counts as it does over the whole period.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-25T12:20:00Z');
const SPAN = 21 * DAY;
const DEPARTMENTS = ['billing', 'shipping', 'product'];
/** People and the departments they belong to; the last two belong to two. */
const PEOPLE: [string, string[]][] = [
  ['U1', ['billing']],
  ['U2', ['billing']],
  ['U3', ['shipping']],
  ['U4', ['product']],
  ['U5', ['billing', 'shipping']],
  ['U6', ['shipping', 'product']],
];

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

function insertItem(db: Db, rnd: Rnd, n: number): void {
  const createdAt = NOW - SPAN + Math.floor(rnd() * SPAN);
  let department = pick(rnd, DEPARTMENTS);
  const customer = rnd() < 0.5 ? 1 + Math.floor(rnd() * 6) : null;
  const id = Number(
    db
      .prepare(
        `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, kind, severity,
           summary, department_id, status, created_at, updated_at, customer_at_risk, post_channel_id, post_ts,
           contact_channel, theme_id)
         VALUES (?, 'T1', 'U0REP00001', 'command', ?, ?, ?, 's', ?, 'new', ?, ?, ?, 'C0DEPT0001', ?, ?, ?)`,
      )
      .run(
        `k${n}`,
        customer,
        pick(rnd, ['complaint', 'suggestion', 'praise']),
        pick(rnd, ['low', 'normal', 'high']),
        department,
        createdAt,
        createdAt,
        customer !== null && rnd() < 0.6 ? 1 : 0,
        `${n}.0001`,
        pick(rnd, ['email', 'phone', 'chat', null]),
        pick(rnd, [1, 2, 3, 4, null]),
      ).lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO feedback_routing (item_id, department_id, method, reason, score, matched, decided_at)
     VALUES (?, ?, 'rules', '', 1, ?, ?)`,
  ).run(id, department, JSON.stringify([pick(rnd, ['invoice', 'parcel', 'login', 'refund'])]), createdAt);
  const event = db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
       item_created_at, held_since, handoffs) VALUES (?, ?, 'U1', ?, ?, ?, ?, ?, ?, ?)`,
  );
  event.run(id, createdAt, 'created', 'new', department, department, createdAt, createdAt, null);
  let at = createdAt;
  let held = createdAt;
  let status = 'new';
  let resolvedAt: number | null = null;
  let reassigned = 0;
  // Short steps, so an item often moves twice within a day: reassigned away and back, reopened twice.
  for (let step = Math.floor(rnd() * 8); step > 0; step--) {
    at += Math.floor(rnd() * (rnd() < 0.5 ? 3 * HOUR : 2 * DAY));
    if (at >= NOW) break;
    const action = pick(rnd, ['acknowledge', 'reassign', 'reassign', 'resolve', 'resolve', 'reopen']);
    if (action === 'reassign') {
      const to = pick(
        rnd,
        DEPARTMENTS.filter((d) => d !== department),
      );
      event.run(id, at, 'reassign', 'new', department, to, createdAt, held, null);
      department = to;
      held = at;
      status = 'new';
      reassigned += 1;
      continue;
    }
    status = { acknowledge: 'acknowledged', resolve: 'resolved', reopen: 'reopened' }[action] as string;
    const eventId = Number(
      event.run(
        id,
        at,
        action,
        status,
        department,
        null,
        createdAt,
        held,
        action === 'resolve' ? reassigned : null,
      ).lastInsertRowid,
    );
    if (action === 'reopen') held = at;
    if (action === 'resolve') {
      resolvedAt = at;
      resolution(db, rnd, { id, eventId, at, department, customer });
    }
  }
  db.prepare(
    'UPDATE feedback_items SET department_id = ?, status = ?, resolved_at = ?, contact_answer = ? WHERE id = ?',
  ).run(
    department,
    status,
    status === 'resolved' ? resolvedAt : null,
    status === 'resolved' ? pick(rnd, ['told', 'unreachable', null]) : null,
    id,
  );
}

/** What may follow a resolution: the customer's survey answer, the follow-up's outcome, praise passed on. */
function resolution(
  db: Db,
  rnd: Rnd,
  r: { id: number; eventId: number; at: number; department: string; customer: number | null; until?: number },
): void {
  // Each dated when it is written: up to NOW while seeding, at the time of the change afterwards.
  const later = (max: number) => Math.min(r.until ?? NOW - 1, r.at + Math.floor(rnd() * max));
  if (rnd() < 0.5) {
    const answered = later(2 * DAY);
    db.prepare(
      `INSERT INTO survey_requests (public_id, item_id, event_id, department_id, reporter_id, created_at, expires_at,
         score, answered_at, answered_via) VALUES (?, ?, ?, ?, 'U0REP00001', ?, ?, ?, ?, 'page')`,
    ).run(
      `p${r.eventId}`,
      r.id,
      r.eventId,
      r.department,
      r.at,
      r.at + 7 * DAY,
      1 + Math.floor(rnd() * 5),
      answered,
    );
  }
  if (r.customer !== null && rnd() < 0.6) {
    const outcome = pick(rnd, ['kept', 'came_back', 'lost', 'unknown']);
    db.prepare(
      `INSERT INTO customer_follow_ups (item_id, resolved_at, customer_id, department_id, reporter_id, created_at,
         outcome, reason, recorded_at) VALUES (?, ?, ?, ?, 'U0REP00001', ?, ?, ?, ?)`,
    ).run(
      r.id,
      r.at,
      r.customer,
      r.department,
      r.at,
      outcome,
      outcome === 'lost' ? pick(rnd, ['price', 'service', null]) : null,
      later(3 * DAY),
    );
  }
  if (rnd() < 0.3) {
    const [recipient, departments] = pick(rnd, PEOPLE);
    db.prepare(
      `INSERT OR IGNORE INTO customer_praise (item_id, passed_on_by, recipient_id, recipient_departments, created_at)
       VALUES (?, 'U0REP00001', ?, ?, ?)`,
    ).run(r.id, recipient, JSON.stringify(departments), later(DAY));
  }
}

function insertKudos(db: Db, rnd: Rnd, n: number, when?: number): void {
  const at = when ?? NOW - SPAN + Math.floor(rnd() * SPAN);
  const [giver, giverDepartments] = pick(rnd, PEOPLE);
  const values = JSON.stringify(rnd() < 0.5 ? [pick(rnd, ['ownership', 'care'])] : []);
  const revokedAt = rnd() < 0.1 ? at + HOUR : null;
  const kudosId = Number(
    db
      .prepare(
        `INSERT INTO kudos (source_key, team_id, giver_id, source, reason, value_ids, giver_departments, giver_tz,
           created_at, revoked_at) VALUES (?, 'T1', ?, 'command', ?, ?, ?, 'UTC', ?, ?)`,
      )
      .run(
        `s${n}`,
        giver,
        rnd() < 0.2 ? '' : 'thanks',
        values,
        JSON.stringify(giverDepartments),
        at,
        revokedAt,
      ).lastInsertRowid,
  );
  const recipients = new Set([pick(rnd, PEOPLE), pick(rnd, PEOPLE)].filter(([p]) => p !== giver));
  for (const [recipient, departments] of recipients) {
    const crossing = departments.some((d) => giverDepartments.includes(d)) ? 0 : 1;
    db.prepare(
      `INSERT INTO kudos_ledger (kudos_id, unique_key, giver_id, recipient_id, giver_departments,
         recipient_departments, cross_department, value_ids, source, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'command', ?, ?)`,
    ).run(
      kudosId,
      `${kudosId}:${recipient}`,
      giver,
      recipient,
      JSON.stringify(giverDepartments),
      JSON.stringify(departments),
      crossing,
      values,
      at,
      revokedAt,
    );
  }
}

function seed(db: Db, seedValue: number): void {
  const rnd = random(seedValue);
  for (let t = 1; t <= 4; t++) {
    db.prepare('INSERT INTO themes (id, name, created_at, updated_at) VALUES (?, ?, 0, 0)').run(
      t,
      `Theme ${t}`,
    );
  }
  for (let c = 1; c <= 6; c++) {
    db.prepare(
      `INSERT INTO customers (id, team_id, identifier, identifier_key, created_at) VALUES (?, 'T1', ?, ?, 0)`,
    ).run(c, `Customer ${c}`, customerKey(`Customer ${c}`));
  }
  db.transaction(() => {
    for (let n = 0; n < 400; n++) insertItem(db, rnd, n);
    for (let n = 0; n < 300; n++) insertKudos(db, rnd, n);
    const items = db.prepare('SELECT id, department_id FROM feedback_items').all() as {
      id: number;
      department_id: string;
    }[];
    for (let n = 0; n < 40; n++) {
      const item = pick(rnd, items);
      const due = NOW - SPAN + Math.floor(rnd() * SPAN);
      db.prepare(
        `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
         VALUES (?, ?, ?, 'acknowledge', 'leads', ?, ?)`,
      ).run(item.id, item.department_id, `e${n}`, due, due);
    }
  })();
}

/** Times are compared as the multiset they are (a median does not depend on their order). */
function comparable(weeks: Map<string, DepartmentWeek>) {
  return [...weeks].map(([id, w]) => ({
    id,
    ...w,
    acknowledgeMs: [...w.acknowledgeMs].sort((a, b) => a - b),
    resolveMs: [...w.resolveMs].sort((a, b) => a - b),
  }));
}

/** The numbers.ts definitions over the whole period, each department's, counted apart from the digest's parts. */
function definedNumbers(db: Db, period: Period) {
  const ftr = firstTimeRight(db, DEPARTMENTS, period);
  const ack = acknowledgeTimes(db, DEPARTMENTS, period);
  const res = resolveTimes(db, DEPARTMENTS, period);
  const breaches = slaBreaches(db, DEPARTMENTS, period);
  const kudosIn = kudosReceived(db, DEPARTMENTS, period);
  const kudosOut = kudosToOtherTeams(db, DEPARTMENTS, period);
  const mix = contactMix(db, DEPARTMENTS, period);
  const terms = themes(db, DEPARTMENTS, period);
  const open = openAtEnd(db, DEPARTMENTS, period);
  return DEPARTMENTS.map((id) => ({
    id,
    received: ftr.get(id)?.received,
    resolved: ftr.get(id)?.resolved,
    firstTimeRight: ftr.get(id),
    acknowledgeMs: [...(ack.get(id) ?? [])].sort((a, b) => a - b),
    resolveMs: [...(res.get(id) ?? [])].sort((a, b) => a - b),
    slaBreaches: breaches.get(id),
    kudosReceived: kudosIn.get(id),
    kudosToOtherTeams: kudosOut.get(id),
    contactMix: mix.get(id),
    themes: terms.get(id),
    openAtEnd: open.get(id),
  }));
}

/** The same numbers as a digest's weeks show them. */
function shownNumbers(weeks: Map<string, DepartmentWeek>) {
  return comparable(weeks).map((w) => ({
    id: w.id,
    received: w.received,
    resolved: w.resolved,
    firstTimeRight: w.firstTimeRight,
    acknowledgeMs: w.acknowledgeMs,
    resolveMs: w.resolveMs,
    slaBreaches: w.slaBreaches,
    kudosReceived: w.kudosReceived,
    kudosToOtherTeams: w.kudosToOtherTeams,
    contactMix: w.contactMix,
    themes: w.themes,
    openAtEnd: w.openAtEnd,
  }));
}

function randomPeriod(rnd: Rnd): Period {
  const start = NOW - SPAN + Math.floor(rnd() * SPAN);
  return { start, end: Math.min(NOW, start + Math.floor(rnd() * 9 * DAY)) };
}

it('joins the parts of any cut of a period into exactly the numbers of the whole period', () => {
  const { db } = store;
  seed(db, 7);
  const rnd = random(11);
  for (let n = 0; n < 25; n++) {
    const period = randomPeriod(rnd);
    const whole = departmentWeeks(db, DEPARTMENTS, period);
    const hoursAndDays = piecesOf(period);
    expect(hoursAndDays.length).toBeGreaterThan(1);
    const cuts = [
      period.start,
      ...[1, 2, 3].map(() => period.start + Math.floor(rnd() * (period.end - period.start))),
    ]
      .sort((a, b) => a - b)
      .concat(period.end);
    const anyCut = cuts.slice(1).map((end, i) => ({ start: cuts[i] as number, end }));
    for (const pieces of [hoursAndDays, anyCut]) {
      const joined = joinWeekParts(
        DEPARTMENTS,
        pieces.map((piece) => weekParts(db, DEPARTMENTS, piece)),
        openAtEnd(db, DEPARTMENTS, period),
      );
      expect(comparable(joined)).toEqual(comparable(whole));
      // And every number is the one numbers.ts defines over the whole period (not only the join of one part).
      expect(shownNumbers(joined)).toEqual(definedNumbers(db, period));
    }
  }
  // The seeded history has what makes joining hard: an item that reached a department twice, was acknowledged
  // twice, reopened twice or passed on twice by the same department, within a period's length.
  const twice = (where: string) =>
    db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT item_id FROM feedback_events WHERE ${where}
           GROUP BY item_id, department_id HAVING COUNT(*) > 1 AND MAX(at) - MIN(at) < ${9 * DAY})`,
      )
      .pluck()
      .get() as number;
  expect(twice(`to_status = 'acknowledged'`)).toBeGreaterThan(5);
  expect(twice(`to_status = 'reopened'`)).toBeGreaterThan(5);
  expect(twice(`action = 'reassign'`)).toBeGreaterThan(5);
  expect(twice(`to_status = 'resolved'`)).toBeGreaterThan(5);
});

it('cuts a period into whole UTC days, quarter days and hours, and the rest at either end', () => {
  const start = Date.parse('2026-11-21T05:40:00Z');
  const end = Date.parse('2026-11-23T09:20:00Z');
  const pieces = piecesOf({ start, end }).map((p) => [
    new Date(p.start).toISOString(),
    (p.end - p.start) / MINUTE,
  ]);
  expect(pieces).toEqual([
    ['2026-11-21T05:40:00.000Z', 20],
    ['2026-11-21T06:00:00.000Z', 6 * 60],
    ['2026-11-21T12:00:00.000Z', 6 * 60],
    ['2026-11-21T18:00:00.000Z', 6 * 60],
    ['2026-11-22T00:00:00.000Z', 24 * 60],
    ['2026-11-23T00:00:00.000Z', 6 * 60],
    ['2026-11-23T06:00:00.000Z', 60],
    ['2026-11-23T07:00:00.000Z', 60],
    ['2026-11-23T08:00:00.000Z', 60],
    ['2026-11-23T09:00:00.000Z', 20],
  ]);
});

it('counts again in a kept piece only what moved since: an item moved, a kudos withdrawn', () => {
  const { db } = store;
  seed(db, 3);
  let now = NOW;
  const pieces = createPeriodPieces({ db, now: () => now });
  const period = { start: NOW - 4 * DAY - 20 * MINUTE, end: NOW };
  expect(comparable(pieces.weeks(DEPARTMENTS, period, 'full', openNow(db, DEPARTMENTS)))).toEqual(
    comparable(departmentWeeks(db, DEPARTMENTS, period)),
  );

  now += 5 * MINUTE;
  const moved = db
    .prepare(
      `SELECT id, department_id AS d, created_at AS c FROM feedback_items WHERE created_at >= ? AND created_at < ?
         ORDER BY id LIMIT 1`,
    )
    .get(period.start + DAY, period.start + 2 * DAY) as { id: number; d: string; c: number };
  const to = DEPARTMENTS.find((d) => d !== moved.d) as string;
  db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
       item_created_at, held_since) VALUES (?, ?, 'U1', 'reassign', 'new', ?, ?, ?, ?)`,
  ).run(moved.id, now, moved.d, to, moved.c, moved.c);
  db.prepare('UPDATE feedback_items SET department_id = ? WHERE id = ?').run(to, moved.id);
  let joined: Map<string, DepartmentWeek> = new Map();
  const asked = statementsOf(db, () => {
    joined = pieces.weeks(DEPARTMENTS, period, 'full', openNow(db, DEPARTMENTS));
  });
  expect(comparable(joined)).toEqual(comparable(departmentWeeks(db, DEPARTMENTS, period)));
  // Counted again: the hour under way, whole; and of the kept piece the item was filed in, only what is read
  // from the items (the history's numbers of a closed piece do not move).
  const runs = (pattern: RegExp) => asked.filter((sql) => pattern.test(sql)).length;
  expect(runs(/SELECT to_department, item_id FROM feedback_events/)).toBe(1);
  expect(runs(/SELECT department_id AS d, kind, severity, COUNT\(\*\)/)).toBe(2);

  now += 5 * MINUTE;
  db.prepare(
    'UPDATE kudos_ledger SET revoked_at = ? WHERE id = (SELECT MIN(id) FROM kudos_ledger WHERE created_at >= ? AND revoked_at IS NULL)',
  ).run(now, period.start);
  expect(comparable(pieces.weeks(DEPARTMENTS, period, 'full', openNow(db, DEPARTMENTS)))).toEqual(
    comparable(departmentWeeks(db, DEPARTMENTS, period)),
  );
  const sorted = (rows: SharedKudos[]) => rows.map((r) => JSON.stringify(r)).sort();
  expect(sorted(pieces.shared(period))).toEqual(sorted(sharedKudos(db, period)));
});

/** One change to the history at `now`, of the kinds that move numbers of closed hours too. */
function moveHistory(db: Db, rnd: Rnd, now: number, n: number): void {
  const itemOfWeek = (where: string) =>
    db
      .prepare(
        `SELECT id, department_id AS d, created_at AS c FROM feedback_items WHERE created_at >= ? AND ${where}
           ORDER BY (id * 7919) % 101 LIMIT 1`,
      )
      .get(now - 3 * DAY) as { id: number; d: string; c: number } | undefined;
  const event = (
    item: { id: number; d: string; c: number },
    action: string,
    to: string,
    toDept: string | null,
  ) =>
    Number(
      db
        .prepare(
          `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
             item_created_at, held_since, handoffs) VALUES (?, ?, 'U1', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(item.id, now, action, to, item.d, toDept, item.c, item.c, action === 'resolve' ? 0 : null)
        .lastInsertRowid,
    );
  switch (n % 8) {
    case 0: {
      const item = itemOfWeek('1 = 1');
      if (!item) return;
      const to = DEPARTMENTS.find((d) => d !== item.d) as string;
      event(item, 'reassign', 'new', to);
      db.prepare(`UPDATE feedback_items SET department_id = ?, status = 'new' WHERE id = ?`).run(to, item.id);
      return;
    }
    case 1: {
      const item = itemOfWeek(`status = 'resolved'`);
      if (!item) return;
      event(item, 'reopen', 'reopened', null);
      db.prepare(`UPDATE feedback_items SET status = 'reopened', resolved_at = NULL WHERE id = ?`).run(
        item.id,
      );
      return;
    }
    case 2: {
      const item = itemOfWeek(`status <> 'resolved' AND customer_id IS NOT NULL`);
      if (!item) return;
      const eventId = event(item, 'resolve', 'resolved', null);
      db.prepare(
        `UPDATE feedback_items SET status = 'resolved', resolved_at = ?, contact_answer = 'told' WHERE id = ?`,
      ).run(now, item.id);
      resolution(db, rnd, { id: item.id, eventId, at: now, department: item.d, customer: 1, until: now });
      return;
    }
    case 3: {
      const kudos = db
        .prepare('SELECT id FROM kudos WHERE revoked_at IS NULL AND created_at >= ? ORDER BY id LIMIT 1')
        .pluck()
        .get(now - 4 * DAY) as number | undefined;
      if (kudos !== undefined) revokeKudos(db, kudos, 'withdrawn', now);
      return;
    }
    case 4: {
      // A breach of a deadline two days ago, recorded only now (the escalation job ran late).
      const item = itemOfWeek('1 = 1');
      if (!item) return;
      db.prepare(
        `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
         VALUES (?, ?, ?, 'resolve', 'leads', ?, ?)`,
      ).run(item.id, item.d, `late${now}`, now - 2 * DAY, now);
      return;
    }
    case 5:
      forgetCustomer(db, { name: `Customer ${1 + Math.floor(rnd() * 6)}`, now, by: 'U0ADMIN001' });
      return;
    case 6:
      // A regroup: a theme's items of the days around the trend's weeks move into another theme.
      db.prepare(
        'UPDATE feedback_items SET theme_id = 3 WHERE theme_id = 2 AND created_at >= ? AND created_at < ?',
      ).run(now - 30 * DAY, now - 2 * DAY);
      db.prepare('UPDATE themes SET updated_at = ? WHERE id IN (2, 3)').run(now);
      return;
    default: {
      // The contact answered later, a post that landed late (or again), and kudos of the hour under way.
      const item = itemOfWeek(`status = 'resolved'`);
      if (item)
        db.prepare('UPDATE feedback_items SET contact_answer = ? WHERE id = ?').run('unreachable', item.id);
      db.prepare(
        `UPDATE feedback_items SET post_ts = ? WHERE created_at >= ? AND customer_at_risk = 1 AND customer_id IS NOT NULL`,
      ).run(`${now}.000200`, now - 3 * DAY);
      insertKudos(db, rnd, 10_000 + n, now - Math.floor(rnd() * 10 * MINUTE));
    }
  }
}

/** A seeded history, a manager of all departments and one of two (in another time zone), and their previews. */
function previewsOf(seedValue: number) {
  const { db } = store;
  seed(db, seedValue);
  const clock = manualClock(NOW);
  const config = orgConfig({
    managers: [
      { user: 'U0MGRALL01', departments: 'all', timezone: 'UTC' },
      // Weeks from local midnights that are not UTC ones: the theme trend reads parts of closed days.
      { user: 'U0MGRTWO01', departments: ['billing', 'shipping'], timezone: 'Asia/Kolkata' },
    ],
  });
  const deps = {
    db,
    clock,
    config: () => config,
    logger: silentLogger,
    groupMembers: async () => new Set<string>(),
  };
  return { db, clock, config, deps, previews: createDigestService(deps) };
}

it('previews exactly the digest of counting its whole week, while the history moves hour after hour', async () => {
  const { db, clock, config, deps, previews } = previewsOf(5);
  const rnd = random(13);
  let led = 0;
  for (let step = 0; step < 16; step++) {
    for (const manager of config.managers) {
      const preview = await previews.preview(manager.user);
      if (preview.kind !== 'digest') throw new Error(preview.kind);
      // Counted at once by a service that keeps nothing: what the scheduled digests count.
      const whole = await createDigestService(deps).compose(manager, preview.digest.period, true);
      expect(preview.digest).toEqual(whole);
      led += preview.digest.topThemes.length;
    }
    clock.advance(10 * MINUTE + Math.floor(rnd() * 80 * MINUTE));
    moveHistory(db, rnd, clock.now(), step);
    clock.advance(MINUTE);
  }
  // The kinds of change above reached the week: every one moved something the preview counts.
  const since = (sql: string) => db.prepare(sql).pluck().get(NOW) as number;
  expect(since(`SELECT COUNT(*) FROM feedback_events WHERE at > ? AND action = 'reassign'`)).toBeGreaterThan(
    0,
  );
  expect(since(`SELECT COUNT(*) FROM feedback_events WHERE at > ? AND action = 'reopen'`)).toBeGreaterThan(0);
  expect(since('SELECT COUNT(*) FROM customer_erasures WHERE at > ? AND items > 0')).toBeGreaterThan(0);
  expect(since('SELECT COUNT(*) FROM kudos WHERE revoked_at > ?')).toBeGreaterThan(0);
  expect(since('SELECT COUNT(*) FROM themes WHERE updated_at > ?')).toBeGreaterThan(0);
  expect(led).toBeGreaterThan(16);
});

it('joins its kept pieces again when one of them moved within the hour: each kind of change, one at a time', async () => {
  const { db, clock, config, deps, previews } = previewsOf(9);
  const rnd = random(17);
  const same = async () => {
    for (const manager of config.managers) {
      const preview = await previews.preview(manager.user);
      if (preview.kind !== 'digest') throw new Error(preview.kind);
      expect(preview.digest).toEqual(
        await createDigestService(deps).compose(manager, preview.digest.period, true),
      );
    }
  };
  await same();
  // Every kind of change moveHistory makes, each followed by previews in the same hour: the kept pieces and
  // their kept joins are the same run as before the change, so only what the change moved can tell them apart.
  for (let n = 0; n < 8; n++) {
    clock.advance(MINUTE);
    moveHistory(db, rnd, clock.now(), n);
    clock.advance(MINUTE);
    await same();
    expect(new Date(clock.now()).getUTCHours()).toBe(new Date(NOW).getUTCHours());
  }
});
