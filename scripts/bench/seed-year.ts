/**
 * The "year of data" every benchmark measures: a mid-size company's year, 1M feedback items with their history
 * across 20 departments and 1M kudos among 2,000 people, deterministic so every run measures the same rows.
 * Seeding takes minutes, so the file is kept between runs and reused; `seededDatabase` seeds it only when absent.
 * The last seeded timestamp is recorded in `bench_seed`, so a scenario can shift the year to end now.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { refreshSomeThemeTotals } from '../../src/themes/theme-totals.js';
import { seedOutcomes } from './seed-outcomes.js';
import { seedThemes } from './seed-themes.js';

export const DAY = 86_400_000;
export const PEOPLE = 2000;
const SPAN = 365 * DAY;

export type YearShape = { items: number; kudos: number; departments: readonly string[]; end: number };

export function departmentIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `dept-${i}`);
}

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function seedItems(db: Db, shape: YearShape, rnd: () => number): void {
  const { items: ITEMS, departments: DEPARTMENTS, end: END } = shape;
  const item = db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary, department_id,
       status, created_at, updated_at, acknowledged_at, resolved_at, customer_at_risk, sla_started_at, contact_channel)
     VALUES (?, 'T1', 'U0REP00001', 'command', ?, ?, 'summary', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const event = db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
       item_created_at, held_since, handoffs)
     VALUES (?, ?, 'U0MEMBER01', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const route = db.prepare(
    `INSERT INTO feedback_routing (item_id, department_id, method, reason, matched, decided_at)
     VALUES (?, ?, 'rules', '', ?, ?)`,
  );
  // About one resolution in ten gets a customer survey answer a day later (scores 1 to 5).
  const survey = db.prepare(
    `INSERT INTO survey_requests (public_id, item_id, event_id, department_id, reporter_id, created_at, expires_at,
       score, answered_at, answered_via)
     VALUES (?, ?, ?, ?, 'U0REP00001', ?, ?, ?, ?, 'page')`,
  );
  const kinds = ['complaint', 'suggestion', 'praise', 'question'];
  const severities = ['low', 'normal', 'high', 'urgent'];
  // How customers reached us, one in seven not said; one item in 20 is first filed to the wrong department and
  // passed on, one resolved item in 25 is reopened and resolved again (the first-time-right numbers).
  const channels = ['email', 'phone', 'chat', 'social', 'in_person', 'other', null];
  db.transaction(() => {
    for (let i = 0; i < ITEMS; i += 1) {
      // Rows arrive in time order in production (each is inserted when it happens), so the seed does too.
      const created = END - SPAN + Math.floor(((i + rnd()) / ITEMS) * SPAN);
      const resolvedAt = rnd() < 0.9 ? created + Math.floor(rnd() * 5 * DAY) : undefined;
      const resolved = resolvedAt !== undefined && resolvedAt < END;
      const department = DEPARTMENTS[i % DEPARTMENTS.length];
      const id = item.run(
        `bench-${i}`,
        kinds[i % 4],
        severities[(i >> 2) % 4],
        department,
        resolved ? 'resolved' : 'new',
        created,
        created,
        created + 3_600_000,
        resolved ? resolvedAt : null,
        i % 50 === 0 ? 1 : 0,
        created,
        channels[i % 7],
      ).lastInsertRowid;
      route.run(id, department, JSON.stringify(['invoice', 'refund'].slice(0, 1 + (i % 2))), created);
      const first = i % 20 === 7 ? DEPARTMENTS[(i + 1) % DEPARTMENTS.length] : department;
      event.run(id, created, 'created', 'new', first, first, created, created, null);
      const held = first === department ? created : created + 1_800_000;
      const handoffs = held === created ? 0 : 1;
      if (handoffs) event.run(id, held, 'reassign', 'new', first, department, created, created, null);
      event.run(
        id,
        created + 3_600_000,
        'acknowledge',
        'acknowledged',
        department,
        null,
        created,
        held,
        null,
      );
      if (!resolved) continue;
      const resolution = event.run(
        id,
        resolvedAt,
        'resolve',
        'resolved',
        department,
        null,
        created,
        held,
        handoffs,
      );
      if (i % 25 === 3 && resolvedAt + 7_200_000 < END) {
        event.run(id, resolvedAt + 3_600_000, 'reopen', 'reopened', department, null, created, held, null);
        const again = resolvedAt + 3_600_000;
        event.run(
          id,
          resolvedAt + 7_200_000,
          'resolve',
          'resolved',
          department,
          null,
          created,
          again,
          handoffs,
        );
      }
      // A multiplicative hash spreads the answers over every department and score without drawing on `rnd`
      // (which would change every row seeded after this one).
      const mixed = Math.imul(i, 2_654_435_761) >>> 0;
      if ((mixed >>> 4) % 10 === 0 && resolvedAt + DAY < END) {
        const score = 1 + ((mixed >>> 12) % 5);
        const eventId = resolution.lastInsertRowid;
        survey.run(
          `b${i}`,
          id,
          eventId,
          department,
          resolvedAt,
          resolvedAt + 14 * DAY,
          score,
          resolvedAt + DAY,
        );
      }
    }
  })();
}

function seedKudos(db: Db, shape: YearShape, rnd: () => number): void {
  const { kudos: KUDOS, departments: DEPARTMENTS, end: END } = shape;
  const give = db.prepare(
    `INSERT INTO kudos (source_key, team_id, giver_id, source, reason, value_ids, giver_departments, giver_tz, created_at)
     VALUES (?, 'T1', ?, 'command', 'thank you for the help', '["ownership"]', ?, 'UTC', ?)`,
  );
  const ledger = db.prepare(
    `INSERT INTO kudos_ledger (kudos_id, unique_key, giver_id, recipient_id, giver_departments, recipient_departments,
       cross_department, value_ids, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, '["ownership"]', 'command', ?)`,
  );
  const departmentOf = (person: number) => JSON.stringify([DEPARTMENTS[person % DEPARTMENTS.length]]);
  db.transaction(() => {
    for (let i = 0; i < KUDOS; i += 1) {
      const at = END - SPAN + Math.floor(((i + rnd()) / KUDOS) * SPAN);
      const giver = Math.floor(rnd() * PEOPLE);
      const recipient = (giver + 1 + Math.floor(rnd() * (PEOPLE - 1))) % PEOPLE;
      const kudosId = give.run(`bench-${i}`, `U${giver}`, departmentOf(giver), at).lastInsertRowid;
      ledger.run(
        kudosId,
        `bench-${i}`,
        `U${giver}`,
        `U${recipient}`,
        departmentOf(giver),
        departmentOf(recipient),
        departmentOf(giver) === departmentOf(recipient) ? 0 : 1,
        at,
      );
    }
  })();
}

/**
 * Customer praise (issue 18): every fifth praise item passed on to one colleague (and their department, as
 * departmentIds names them), 50k rows a year at full size.
 */
function seedCustomerPraise(db: Db, shape: YearShape): void {
  const recipient = `((id * 7) % ${PEOPLE})`;
  db.prepare(
    `INSERT INTO customer_praise (item_id, passed_on_by, recipient_id, recipient_departments, created_at)
     SELECT id, reporter_id, 'U' || ${recipient}, json_array('dept-' || (${recipient} % ?)), created_at
     FROM feedback_items WHERE kind = 'praise' AND id % 5 = 0`,
  ).run(shape.departments.length);
}

/** Count every marked running-total bucket now (after seeding, or after the year was shifted). */
export function refreshAllThemeTotals(db: Db): void {
  while (refreshSomeThemeTotals(db, 50_000) > 0);
}

/** Writes the year into a migrated, empty database and records where it ends. */
export function seedYear(db: Db, shape: YearShape): void {
  const rnd = random(42);
  seedItems(db, shape, rnd);
  seedThemes(db, shape.end);
  seedKudos(db, shape, rnd);
  seedOutcomes(db, shape.end);
  seedCustomerPraise(db, shape);
  // After the outcomes: they give complaints their customers, which impact reads (the triggers marked those days).
  refreshAllThemeTotals(db);
  db.exec('CREATE TABLE IF NOT EXISTS bench_seed (end_at INTEGER NOT NULL)');
  db.prepare('INSERT INTO bench_seed (end_at) VALUES (?)').run(shape.end);
}

/**
 * The planner's statistics, gone: the app never runs ANALYZE, so SQLite plans its queries without them, and so must
 * every measurement. Seeds before this one ran ANALYZE; with them the plans differed (one minute-tick read took
 * 0.2 ms instead of 200) and every statement whose plan a bound value could change was compiled again on each run.
 * Whether any were dropped: a connection keeps the statistics it loaded when it opened, so the caller reopens.
 */
function dropStatistics(db: Db): boolean {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite_stat%'")
    .pluck()
    .all() as string[];
  for (const table of tables) db.exec(`DROP TABLE ${table}`);
  return tables.length > 0;
}

/**
 * The seeded file at `path`, seeding it first when absent (minutes at full size). Returns the open database
 * and how long seeding took (0 when the file was reused). A new file is migrated to the current schema first;
 * a reused one is left as it is when `migrateReused` is false (the app under test migrates it, so an older
 * version of the app can be measured on the same file before this one), except that planner statistics an older
 * seed left are dropped (`dropStatistics`).
 */
export function seededDatabase(
  path: string,
  shape: YearShape,
  migrateReused = true,
): { db: Db; seedMs: number } {
  mkdirSync(join(path, '..'), { recursive: true });
  const fresh = !existsSync(path);
  let db = openDatabase(path);
  if (!fresh && dropStatistics(db)) {
    db.close();
    db = openDatabase(path);
  }
  if (fresh || migrateReused) migrate(db, migrations, pino({ level: 'silent' }));
  if (!fresh) {
    // A file seeded before themes existed, migrated now: its items get themes as a fresh seed's do.
    if (migrateReused && !(db.prepare('SELECT backfill_done FROM theme_progress').pluck().get() as number)) {
      seedThemes(db, db.prepare('SELECT end_at FROM bench_seed').pluck().get() as number);
      refreshAllThemeTotals(db);
    }
    return { db, seedMs: 0 };
  }
  const started = performance.now();
  seedYear(db, shape);
  return { db, seedMs: performance.now() - started };
}

/** Every timestamp column of the seeded tables, so the year can be moved to end at another time. */
const TIME_COLUMNS: Record<string, string[]> = {
  feedback_items: [
    'created_at',
    'updated_at',
    'acknowledged_at',
    'resolved_at',
    'sla_started_at',
    'contact_answered_at',
  ],
  customer_follow_ups: ['resolved_at', 'created_at', 'asked_at', 'recorded_at'],
  feedback_events: ['at', 'item_created_at', 'held_since'],
  feedback_routing: ['decided_at'],
  kudos: ['created_at'],
  kudos_ledger: ['created_at'],
  survey_requests: ['created_at', 'expires_at', 'answered_at'],
  customer_praise: ['created_at'],
};

/**
 * Moves the seeded year so that it ends at `end` (one UPDATE per table; a minute or two at full size, paid only
 * when the file is older than `slackMs`). Returns the shift applied in milliseconds.
 */
export function shiftYearToEnd(db: Db, end: number, slackMs = 60 * 60_000): number {
  const seededEnd = db.prepare('SELECT end_at FROM bench_seed').pluck().get() as number;
  const shift = end - seededEnd;
  if (Math.abs(shift) <= slackMs) return 0;
  db.transaction(() => {
    for (const [table, columns] of Object.entries(TIME_COLUMNS)) {
      const set = columns.map((c) => `${c} = ${c} + @shift`).join(', ');
      db.prepare(`UPDATE ${table} SET ${set}`).run({ shift });
    }
    db.prepare('UPDATE bench_seed SET end_at = ?').run(end);
  })();
  return shift;
}
