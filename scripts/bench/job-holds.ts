/**
 * How long each scheduled job holds the event loop at a year of data (issue 14: no job over 50 ms), measured
 * in-process on a copy of the seeded year (scripts/bench/seed-year.ts; `npm run bench:year` seeds it): the team
 * reminders (each department's reminder as its delivery composes it), the SLA escalation (every department with
 * an SLA, first run and the minute after), the outcome follow-ups, the retention of customer details (first run
 * after it is set, and the minute after) and the App Home publish after a kudos. Each job runs as the minute tick
 * runs it, with `perf_hooks.monitorEventLoopDelay` (1 ms resolution) watching; each synchronous call is timed too.
 * The copy is written to (escalations, removed details): never point it at a database you keep.
 * Usage: npx tsx scripts/bench/job-holds.ts --db bench-results/year-copy.db --org bench-results/year-org.yaml
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parse, stringify } from 'yaml';
import { parseOrgConfig } from '../../src/config/org.js';
import type { OrgConfig } from '../../src/config/org-schema.js';
import { escalateOverdue } from '../../src/feedback/escalation.js';
import { createHomeService } from '../../src/home/service.js';
import { homeView } from '../../src/home/view.js';
import { createSlicer } from '../../src/jobs/slicer.js';
import { kudosPeople } from '../../src/kudos/people.js';
import { runDueFollowUps } from '../../src/outcomes/follow-up-job.js';
import { createRetentionService } from '../../src/retention/service.js';
import type { SlackDirectory } from '../../src/slack/directory.js';
import { openDatabase } from '../../src/store/db.js';
import { reminderBlocks } from '../../src/strategy/blocks.js';
import { reminderLeadInSlices } from '../../src/strategy/reminder-slices.js';
import { createStrategyService } from '../../src/strategy/service.js';
import { PEOPLE } from './seed-year.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'bench-results/year-copy.db' },
    org: { type: 'string', default: 'bench-results/year-org.yaml' },
    'retention-days': { type: 'string', default: '180' },
  },
});
const DAY = 86_400_000;
const db = openDatabase(args.db);
const end = db.prepare('SELECT end_at FROM bench_seed').pluck().get() as number;
let now = end;
const clock = { now: () => now };
const logger = pino({ level: 'silent' });
// The year's org, every department with an SLA, customer details kept `--retention-days`.
const org = parse(readFileSync(args.org, 'utf8')) as {
  departments: Record<string, unknown>[];
  retention?: unknown;
};
for (const department of org.departments)
  department.sla = { targets: { urgent: { acknowledge: '1h', resolve: '8h' } } };
org.retention = { customer_details_days: Number(args['retention-days']) };
const parsed = parseOrgConfig(stringify(org), args.org);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: OrgConfig = parsed.config;
const deps = { db, clock, config: () => config, logger, groupMembers: async () => new Set<string>() };

type Held = {
  job: string;
  holdMs: number;
  longestCallMs: number;
  /** CPU time of the longest call (process.cpuUsage): what a shared machine's load does not inflate. */
  longestCallCpuMs: number;
  calls: number;
  note: string;
};
const results: Held[] = [];

/** Run `work` (which times its synchronous calls with `call`) with the event-loop monitor on. */
async function measure(job: string, work: (call: <T>(f: () => T) => T) => Promise<string>) {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let longest = 0;
  let longestCpu = 0;
  let calls = 0;
  const call = <T>(f: () => T): T => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return f();
    } finally {
      const used = process.cpuUsage(cpu);
      longest = Math.max(longest, performance.now() - started);
      longestCpu = Math.max(longestCpu, (used.user + used.system) / 1000);
      calls += 1;
    }
  };
  loop.enable();
  // The monitor measures from its first sample on (scheduler.ts watchEventLoop waits for it the same way).
  await new Promise((resolve) => setTimeout(resolve, 20));
  const note = await work(call);
  await new Promise((resolve) => setTimeout(resolve, 5));
  loop.disable();
  results.push({
    job,
    holdMs: Number((loop.max / 1e6).toFixed(1)),
    longestCallMs: Number(longest.toFixed(1)),
    longestCallCpuMs: Number(longestCpu.toFixed(1)),
    calls,
    note,
  });
}

const strategy = createStrategyService(deps);
const slicer = createSlicer();
let week = { start: end - 14 * DAY, end: end - 7 * DAY };
for (const round of ['first week', 'the week after']) {
  await measure(`team reminders, ${round} (each composed as delivered)`, async (call) => {
    for (const department of config.departments) {
      // As the delivery does it (strategy/delivery-handlers.ts): counted in slices, then built.
      const s = call(() => strategy.teamStrategy(department, week));
      const lead = await reminderLeadInSlices(db, s, slicer);
      call(() => reminderBlocks(s, new Map(), lead));
      await nextTurn();
    }
    week = { start: week.end, end: week.end + 7 * DAY };
    return `${config.departments.length} departments`;
  });
}

for (const run of ['first run with an SLA', 'the minute after']) {
  await measure(`SLA escalation, ${run}`, async (call) => {
    // As runSlaJob runs it: a slice (escalateOverdue), the event loop's turn, the next slice.
    let queued = 0;
    for (let more = true; more; await nextTurn()) {
      const slice = call(() => escalateOverdue({ db, config: () => config, logger }, now));
      queued += slice.queued;
      more = slice.more;
    }
    return `${queued} escalations queued`;
  });
  now += 60_000;
}

await measure('outcome follow-ups', async (call) => {
  const result = call(() => runDueFollowUps(deps, now));
  return `${result.queued.length} runs queued`;
});

const retention = createRetentionService({ ...deps, onErased: () => {} });
for (const run of ['first run after it is set', 'the minute after']) {
  await measure(`retention, ${run}`, async () => {
    // In transactions of PURGE_SLICE items, each in a turn of the event loop: the monitor sees the longest.
    const removed = await retention.runDue(now);
    return `${removed.items} items, ${removed.customers} customers`;
  });
  now += 60_000;
}

const directory = {
  user: async () => ({ isBot: false, deleted: false, tz: 'Europe/Berlin' }),
  usergroupMembers: async () => new Set<string>(),
  known: { user: () => undefined, usergroupMembers: () => undefined },
} as unknown as SlackDirectory;
const home = createHomeService({
  ...deps,
  people: kudosPeople(directory),
  teamStrategy: strategy.teamStrategy,
});
for (const round of ['first', 'again']) {
  await measure(`App Home publish after a kudos, ${round}`, async (call) => {
    for (const user of [`U${PEOPLE - 7}`, 'U0MGRALL01', 'U0ADMIN001']) {
      const content = await home.content(user);
      call(() => homeView(content, new Map()));
      await nextTurn();
    }
    return '3 people (content read, view composed)';
  });
}

console.log(
  `jobs at a year of data (${args.db}); load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
console.table(results);
db.close();
