/**
 * Benchmark: weekly digests for 200 managers over 1M feedback items and 1M kudos (budget: <= 1 s in
 * all, <= 50 ms each). Seeds a throwaway SQLite file (reused while size and schema match), then composes
 * every manager's digest twice: cold (first manager pays for the shared period numbers) and warm, then what a
 * reminder or /strategy reads for each team (budget: 50 ms each).
 * Writes bench-results/digests.json and prints a table. Usage: npm run bench [-- --items 1000000]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Department } from '../src/config/org-schema.js';
import { composeDigest, createDigestNumbers } from '../src/digest/compose.js';
import { openNow, teamNumbers } from '../src/metrics/numbers.js';
import { oldestOpenItems } from '../src/metrics/open-items.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { migrations } from '../src/store/migrations/index.js';
import { weeksEndingAt } from '../src/time/local-time.js';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    kudos: { type: 'string', default: '1000000' },
    managers: { type: 'string', default: '200' },
    departments: { type: 'string', default: '20' },
    out: { type: 'string', default: 'bench-results' },
  },
});
const ITEMS = Number(args.items);
const KUDOS = Number(args.kudos);
const MANAGERS = Number(args.managers);
const DEPARTMENTS = Array.from({ length: Number(args.departments) }, (_, i) => `dept-${i}`);
const PEOPLE = 2000;
const DAY = 86_400_000;
const END = Date.parse('2026-11-23T08:00:00Z');
const SPAN = 365 * DAY;

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function seed(db: Db): void {
  const rnd = random(42);
  const item = db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary, department_id,
       status, created_at, updated_at, acknowledged_at, resolved_at, customer_at_risk)
     VALUES (?, 'T1', 'U0REP00001', 'command', ?, ?, 'summary', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const event = db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, to_status, department_id, to_department,
       item_created_at, held_since)
     VALUES (?, ?, 'U0MEMBER01', ?, ?, ?, ?, ?, ?)`,
  );
  const route = db.prepare(
    `INSERT INTO feedback_routing (item_id, department_id, method, reason, matched, decided_at)
     VALUES (?, ?, 'rules', '', ?, ?)`,
  );
  const kinds = ['complaint', 'suggestion', 'praise', 'question'];
  const severities = ['low', 'normal', 'high', 'urgent'];
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
      ).lastInsertRowid;
      route.run(id, department, JSON.stringify(['invoice', 'refund'].slice(0, 1 + (i % 2))), created);
      event.run(id, created, 'created', 'new', department, department, created, created);
      event.run(id, created + 3_600_000, 'acknowledge', 'acknowledged', department, null, created, created);
      if (resolved) event.run(id, resolvedAt, 'resolve', 'resolved', department, null, created, created);
    }
  })();
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
  db.exec('ANALYZE');
}

mkdirSync(args.out, { recursive: true });
// The seeded file is reused between runs while the schema is the same (its name carries a hash of the migrations).
const schema = createHash('sha256')
  .update(migrations.map((m) => m.sql).join('\n'))
  .digest('hex')
  .slice(0, 8);
const dbPath = join(args.out, `digests-${schema}-${ITEMS}-${KUDOS}.db`);
const fresh = !existsSync(dbPath);
const db = openDatabase(dbPath);
migrate(db, migrations, pino({ level: 'silent' }));
let seedMs = 0;
if (fresh) {
  const started = performance.now();
  seed(db);
  seedMs = performance.now() - started;
}

const departments = DEPARTMENTS.map(
  (id) => ({ id, name: id, channel: 'C0BENCH001', members: [], leads: [] }) as unknown as Department,
);
const rounds: { round: string; totalMs: number; maxMs: number; p50Ms: number }[] = [];
for (const round of ['cold', 'warm']) {
  const numbers = createDigestNumbers({ db, departmentIds: () => DEPARTMENTS, now: () => END + 1 });
  const times: number[] = [];
  const started = performance.now();
  for (let m = 0; m < MANAGERS; m += 1) {
    const t = performance.now();
    const ids =
      m % 10 === 0
        ? DEPARTMENTS
        : [
            DEPARTMENTS[m % DEPARTMENTS.length] as string,
            DEPARTMENTS[(m + 3) % DEPARTMENTS.length] as string,
          ];
    composeDigest({
      db,
      numbers,
      manager: { user: `U0MGR${m}`, departments: ids, timezone: 'Europe/Berlin' },
      departments: departments.filter((d) => ids.includes(d.id)),
      period: { start: END - 7 * DAY, end: END },
      previousPeriod: { start: END - 14 * DAY, end: END - 7 * DAY },
      trendWeeks: weeksEndingAt(END, 'Europe/Berlin', 8),
      people: Array.from({ length: 30 }, (_, i) => `U${(m * 30 + i) % PEOPLE}`),
      atRiskDays: 30,
      unrecognisedWeeks: 4,
    });
    times.push(performance.now() - t);
  }
  const totalMs = performance.now() - started;
  times.sort((a, b) => a - b);
  rounds.push({
    round,
    totalMs: Math.round(totalMs),
    maxMs: Number((times.at(-1) ?? 0).toFixed(1)),
    p50Ms: Number((times[Math.floor(times.length / 2)] ?? 0).toFixed(2)),
  });
}

// What a reminder and /strategy read for one team: every number of the last 7 days, the open count and list.
const teamTimes: number[] = [];
for (const id of DEPARTMENTS) {
  const t = performance.now();
  const numbers = teamNumbers(db, id, { start: END - 7 * DAY, end: END });
  for (const key of Object.keys(numbers)) void numbers[key as keyof typeof numbers];
  openNow(db, [id]);
  oldestOpenItems(db, [id], 5);
  teamTimes.push(performance.now() - t);
}
teamTimes.sort((a, b) => a - b);
const team = {
  maxMs: Number((teamTimes.at(-1) ?? 0).toFixed(1)),
  p50Ms: Number((teamTimes[Math.floor(teamTimes.length / 2)] ?? 0).toFixed(2)),
};
db.close();

const result = {
  at: new Date().toISOString(),
  items: ITEMS,
  kudos: KUDOS,
  managers: MANAGERS,
  departments: DEPARTMENTS.length,
  seedMs: Math.round(seedMs),
  rounds,
  team,
  budget: { totalMs: 1000, eachMs: 50, teamMs: 50 },
};
writeFileSync(join(args.out, 'digests.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `digests for ${MANAGERS} managers over ${ITEMS} items and ${KUDOS} kudos (budget: 1000 ms, 50 ms each)`,
);
console.table(rounds);
console.log(
  `a team's numbers (reminder, /strategy), per department: max ${team.maxMs} ms, p50 ${team.p50Ms} ms (budget: 50 ms)`,
);
