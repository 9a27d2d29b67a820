/**
 * Benchmark: weekly digests for 200 managers over 1M feedback items and 1M kudos (budget: <= 1 s in
 * all, <= 50 ms each). Seeds a throwaway SQLite file (reused while size and schema match), then runs the week's
 * digests twice, cold and warm, as the app runs them (digest/service.ts): before each digest the run's shared
 * numbers are counted in slices (the first digest's turn does it: `DigestNumbers.prepare`), then the digest is
 * composed, and the event loop gets a turn between digests (the app posts each one to Slack). Measured: the
 * longest the event loop was held during the whole run (perf_hooks.monitorEventLoopDelay, 1 ms resolution;
 * budget 50 ms), the slowest digest's composition, and the run's work time: the time spent in the slices' steps
 * and the compositions, not the turns between them (with Slack requests coming in, the slices would also wait
 * for those). Then what a reminder or /strategy reads for each team (budget: 50 ms each).
 * Writes bench-results/digests.json and prints a table. Usage: npm run bench [-- --items 1000000]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Department } from '../src/config/org-schema.js';
import { composeDigest, createDigestNumbers } from '../src/digest/compose.js';
import { createSlicer, type Slicer } from '../src/jobs/slicer.js';
import { openNow, teamNumbers } from '../src/metrics/numbers.js';
import { oldestOpenItems } from '../src/metrics/open-items.js';
import { migrations } from '../src/store/migrations/index.js';
import { reminderLeadBlocks } from '../src/themes/lead-blocks.js';
import { themeWindow } from '../src/themes/theme-periods.js';
import { topThemes } from '../src/themes/top-themes.js';
import { weeksEndingAt } from '../src/time/local-time.js';
import { DAY, departmentIds, PEOPLE, seededDatabase } from './bench/seed-year.js';

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
const DEPARTMENTS = departmentIds(Number(args.departments));
const END = Date.parse('2026-11-23T08:00:00Z');

// The seeded file is reused between runs while the schema is the same (its name carries a hash of the migrations).
const schema = createHash('sha256')
  .update(migrations.map((m) => m.sql).join('\n'))
  .digest('hex')
  .slice(0, 8);
const dbPath = join(args.out, `digests-${schema}-${ITEMS}-${KUDOS}.db`);
const { db, seedMs } = seededDatabase(dbPath, {
  items: ITEMS,
  kudos: KUDOS,
  departments: DEPARTMENTS,
  end: END,
});

const departments = DEPARTMENTS.map(
  (id) => ({ id, name: id, channel: 'C0BENCH001', members: [], leads: [] }) as unknown as Department,
);
type Round = {
  round: string;
  /** Work time of the run: the slices' steps and the digests' compositions. */
  totalMs: number;
  /** The run from its first slice to its last digest, turns between slices and digests included. */
  wallMs: number;
  /** The longest the event loop was held at once during the run. */
  holdMs: number;
  maxMs: number;
  p50Ms: number;
  sharedMs: number;
};
const rounds: Round[] = [];
const slicer = createSlicer();
for (const round of ['cold', 'warm']) {
  const numbers = createDigestNumbers({ db, departmentIds: () => DEPARTMENTS, now: () => END + 1 });
  const times: number[] = [];
  let sharedMs = 0;
  // Each step of the shared count timed: the work the slices do.
  const slices: Slicer = (steps) =>
    slicer(
      steps.map((step) => () => {
        const t = performance.now();
        step();
        sharedMs += performance.now() - t;
      }),
    );
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  await nextTurn();
  const started = performance.now();
  for (let m = 0; m < MANAGERS; m += 1) {
    const ids =
      m % 10 === 0
        ? DEPARTMENTS
        : [
            DEPARTMENTS[m % DEPARTMENTS.length] as string,
            DEPARTMENTS[(m + 3) % DEPARTMENTS.length] as string,
          ];
    const input = {
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
    };
    await numbers.prepare(input, slices);
    const t = performance.now();
    composeDigest(input);
    times.push(performance.now() - t);
    await nextTurn();
  }
  const wallMs = performance.now() - started;
  loop.disable();
  times.sort((a, b) => a - b);
  rounds.push({
    round,
    totalMs: Math.round(sharedMs + times.reduce((sum, t) => sum + t, 0)),
    wallMs: Math.round(wallMs),
    holdMs: Number((loop.max / 1e6).toFixed(1)),
    maxMs: Number((times.at(-1) ?? 0).toFixed(1)),
    p50Ms: Number((times[Math.floor(times.length / 2)] ?? 0).toFixed(2)),
    sharedMs: Math.round(sharedMs),
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
  reminderLeadBlocks(db, { id, timezone: 'Europe/Berlin' }, { start: END - 7 * DAY, end: END });
  teamTimes.push(performance.now() - t);
}
teamTimes.sort((a, b) => a - b);
const team = {
  maxMs: Number((teamTimes.at(-1) ?? 0).toFixed(1)),
  p50Ms: Number((teamTimes[Math.floor(teamTimes.length / 2)] ?? 0).toFixed(2)),
};
// What `/feedback themes` reads (scripts/bench/year-of-data.ts times it through Slack requests too): the top
// themes of the company and of one department this quarter and this week, each timed warm, five runs.
const themeReads: Record<string, { maxMs: number; p50Ms: number }> = {};
for (const [label, scope, kind] of [
  ['company, quarter', 'company', 'quarter'],
  ['one department, quarter', { departments: [DEPARTMENTS[0] as string] }, 'quarter'],
  ['company, week', 'company', 'week'],
] as const) {
  const read = () => {
    const t = performance.now();
    topThemes(db, { scope, ...themeWindow(kind, END, 'Europe/Berlin'), now: END, limit: 5, examples: 3 });
    return performance.now() - t;
  };
  read();
  const times = Array.from({ length: 5 }, read).sort((a, b) => a - b);
  themeReads[label] = {
    maxMs: Number((times.at(-1) ?? 0).toFixed(1)),
    p50Ms: Number((times[2] ?? 0).toFixed(2)),
  };
}
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
  themeReads,
  budget: { totalMs: 1000, holdMs: 50, eachMs: 50, teamMs: 50, themesMs: 50 },
};
writeFileSync(join(args.out, 'digests.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `digests for ${MANAGERS} managers over ${ITEMS} items and ${KUDOS} kudos (budget: 1000 ms of work, event loop held <= 50 ms, 50 ms each)`,
);
console.table(rounds);
console.log(
  `a team's numbers (reminder, /strategy), per department: max ${team.maxMs} ms, p50 ${team.p50Ms} ms (budget: 50 ms)`,
);
console.log('/feedback themes read model (budget: 50 ms):');
console.table(themeReads);
