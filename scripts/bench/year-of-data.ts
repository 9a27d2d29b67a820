/**
 * Benchmark scenario "a year of data" (issue 14): the real app, as a child process in HTTP mode against the local
 * Slack stand-in, on the seeded year (1M feedback items with history, 1M kudos; scripts/bench/seed-year.ts) shifted
 * to end now. Measures through signed requests what people see: App Home with each leaderboard period, /strategy,
 * a reminder preview, `/loop digest` for a manager of 2 departments and of all 20, `/feedback mine`; at two minute
 * ticks, the longest `/healthz` answer and a `/feedback` ack sent at the tick, plus the app's own event-loop delay
 * for the tick (from /healthz); resident memory after start and at peak (VmRSS, VmHWM). The app is built and run
 * as `npm start` runs it (node dist/main.js). The org has no SLA, as in the measurement.
 *
 * `yearOfData()` returns table rows for the benchmark runner; `npm run bench:year` runs it alone.
 * Options: --items/--kudos (default 1M each), --out (bench-results), --app (the checkout to run; default this one),
 * --runs (timed runs per surface, default 5), --intake-seconds (the flat-out intake with the year stored,
 * year-intake.ts; default 10, 0 leaves it out).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { appHomeOpenedEvent, interactivityBody } from '../../src/sandbox/slack-payloads.js';
import {
  blockActionsPayload,
  createSlackDriver,
  FORM_CONTENT_TYPE,
  type SlackDriver,
  staticSelectAction,
} from '../../src/sandbox/slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/sandbox/slack-standin.js';
import { Commands, HomeActions } from '../../src/slack/ids.js';
import { departmentIds, PEOPLE, refreshAllThemeTotals, seededDatabase, shiftYearToEnd } from './seed-year.js';
import { startNodeFlags } from './start-flags.js';
import { intakeAtScale } from './year-intake.js';

export type BenchRow = { what: string; value: string; budget: string; note?: string };

export type YearOptions = { items: number; kudos: number; out: string; app: string; runs: number };

export const SECRET = 'bench-signing-secret-0123456789abcdef';
const ADMIN = 'U0ADMIN001';
const REP = 'U0REP00001';
const MEMBER = 'U0BENCH001';
const MANAGER_OF_TWO = 'U0MGRTWO01';
const MANAGER_OF_ALL = 'U0MGRALL01';
/** A person of the seeded year (kudos people are U0..U1999): their Home has kudos received and given. */
const KUDOS_PERSON = `U${PEOPLE - 7}`;

/** The org the seeded year belongs to: 20 departments, 2 managers, no SLA (the measurement). */
function orgYaml(departments: readonly string[]): string {
  return stringify({
    company: { name: 'Bench Co', promise: 'Every customer hears back within a day.' },
    timezone: 'Europe/Berlin',
    triage: { channel: 'C0TRIAGE01' },
    admins: [ADMIN],
    kudos: { channel: 'C0KUDOS001', values: [{ id: 'ownership', label: 'Ownership' }] },
    managers: [
      { user: MANAGER_OF_TWO, departments: departments.slice(0, 2) },
      { user: MANAGER_OF_ALL, departments: 'all' },
    ],
    digest: { schedule: '0 9 * * 1' },
    delivery: { per_channel_interval_ms: 0, max_per_second: 0 },
    departments: departments.map((id, i) => ({
      id,
      name: `Department ${i}`,
      channel: `C0DEPT${String(i).padStart(4, '0')}`,
      members: i === 0 ? [MEMBER] : [],
      role: 'We keep our part of the promise.',
      reminder: { schedule: '0 9 * * 1' },
      routing: { keywords: i === 0 ? ['invoice'] : [`topic${i}`] },
    })),
  });
}

export type App = { child: ChildProcess; url: string; base: string; exited: Promise<unknown> };

export async function startApp(
  o: YearOptions,
  standIn: SlackStandIn,
  dbPath: string,
  config: string,
): Promise<App> {
  const child = spawn(process.execPath, [...startNodeFlags(o.app), join(o.app, 'dist/main.js')], {
    cwd: o.app,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      PORT: '0',
      ORG_CONFIG: config,
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((done) => child.on('exit', done));
  const port = await new Promise<number>((done, fail) => {
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (const line of buffered.split('\n')) {
        if (line.includes('Courtesy Loop is running')) done(Number(JSON.parse(line).port));
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.on('exit', (code) => fail(new Error(`the app exited (${code}) before it was running`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return { child, url: `${base}/slack/events`, base, exited };
}

export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Time from the signed request to what the person sees: the ack's body, else the first response_url post. */
async function commandAnswer(standIn: SlackStandIn, driver: SlackDriver, command: string, text: string) {
  const started = performance.now();
  const r = await driver.command(command, text);
  if (r.text.trim() === '') await standIn.waitForResponse(1, 10_000, r.responseUrlId);
  return performance.now() - started;
}

/** Time from the signed request to the views.publish of the user's Home. */
async function homeAnswer(standIn: SlackStandIn, send: () => Promise<unknown>, userId: string) {
  const before = standIn.callsTo('views.publish').length;
  const started = performance.now();
  await send();
  await standIn.waitFor(
    { method: 'views.publish', count: before + 1, where: (c) => c.args.user_id === userId },
    10_000,
  );
  return performance.now() - started;
}

async function timed(runs: number, once: () => Promise<number>): Promise<string> {
  await once(); // warm: the first call compiles statements and fills caches, as any long-running app has
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await once());
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)] ?? 0;
  return `p50 ${p50.toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms`;
}

/**
 * At the next minute tick: the longest /healthz answer from 1.5 s before it to 4.5 s after, a /feedback ack sent
 * 30 ms after it (concurrently), and the app's own figure for the tick's longest event-loop pause.
 */
async function minuteTick(app: App, rep: SlackDriver) {
  const tickAt = Date.now() + 60_000 - (Date.now() % 60_000);
  await sleep(Math.max(0, tickAt - 1500 - Date.now()));
  const ack = (async () => {
    await sleep(Math.max(0, tickAt + 30 - Date.now()));
    const started = performance.now();
    await rep.command(Commands.feedback, 'the invoice charged twice');
    return performance.now() - started;
  })();
  let longest = 0;
  while (Date.now() < tickAt + 4500) {
    const started = performance.now();
    await fetch(`${app.base}/healthz`);
    longest = Math.max(longest, performance.now() - started);
    await sleep(10);
  }
  const ackMs = await ack;
  await sleep(100);
  const health = (await (await fetch(`${app.base}/healthz`)).json()) as {
    lastTick?: { eventLoopMaxMs: number; durationMs: number };
  };
  return { longest, ack: ackMs, appLoopMaxMs: health.lastTick?.eventLoopMaxMs };
}

/** Picks a value in one of the Home leaderboard's selects (its period or its department). */
async function selectOnHome(driver: SlackDriver, userId: string, actionId: string, value: string) {
  const payload = blockActionsPayload({
    user: { id: userId, name: userId.toLowerCase() },
    team: { id: 'T0TEST', domain: 'test' },
    actions: [staticSelectAction({ actionId, option: { text: value, value } })],
  });
  return driver.post(interactivityBody(payload), FORM_CONTENT_TYPE);
}

/** Where the seeded year and its org config are kept between runs. */
export const yearDatabasePath = (o: YearOptions) => resolve(o.out, `year-${o.items}-${o.kudos}.db`);
export const yearOrgPath = (o: YearOptions) => resolve(o.out, 'year-org.yaml');

export async function yearOfData(o: YearOptions): Promise<BenchRow[]> {
  const departments = departmentIds(20);
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const dbPath = yearDatabasePath(o);
  const seeded = seededDatabase(dbPath, { items: o.items, kudos: o.kudos, departments, end }, false);
  if (shiftYearToEnd(seeded.db, end) !== 0) refreshAllThemeTotals(seeded.db);
  seeded.db.close();
  const config = yearOrgPath(o);
  writeFileSync(config, orgYaml(departments));

  const standIn = await startSlackStandIn({
    users: [ADMIN, REP, MEMBER, MANAGER_OF_TWO, MANAGER_OF_ALL, KUDOS_PERSON].map((id) => ({ id, name: id })),
  });
  const app = await startApp(o, standIn, dbPath, config);
  try {
    const driverFor = (id: string) =>
      createSlackDriver({ appUrl: app.url, secret: SECRET, standIn, user: { id, name: id.toLowerCase() } });
    const rep = driverFor(REP);
    await sleep(3000); // the start-up tick and its catch-up finish
    const afterStart = memoryOf(app.child.pid ?? 0);
    const rows: BenchRow[] = [];
    const add = (what: string, value: string, budget: string, note?: string) =>
      rows.push({ what, value, budget, ...(note ? { note } : {}) });

    for (const n of [1, 2]) {
      const tick = await minuteTick(app, rep);
      add(`minute tick ${n}: longest /healthz answer`, `${tick.longest.toFixed(0)} ms`, '<= 50 ms pause');
      add(`minute tick ${n}: /feedback ack at the tick`, `${tick.ack.toFixed(0)} ms`, '< 3000 ms');
      add(
        `minute tick ${n}: event loop held (app's monitor)`,
        tick.appLoopMaxMs === undefined ? 'not reported' : `${tick.appLoopMaxMs} ms`,
        '<= 50 ms',
      );
    }
    const home = driverFor(KUDOS_PERSON);
    add(
      'App Home opened',
      await timed(o.runs, () =>
        homeAnswer(standIn, () => home.sendEvent(appHomeOpenedEvent(KUDOS_PERSON)), KUDOS_PERSON),
      ),
      '<= 50 ms',
    );
    for (const period of ['week', 'month', 'quarter', 'all']) {
      add(
        `App Home leaderboard, ${period}`,
        await timed(o.runs, () =>
          homeAnswer(
            standIn,
            () => selectOnHome(home, KUDOS_PERSON, HomeActions.leaderboardPeriod, period),
            KUDOS_PERSON,
          ),
        ),
        '<= 50 ms',
      );
    }
    // One department's board: all time (running totals), then the quarter (the department's own rows).
    const pick = (actionId: string, value: string) => () =>
      homeAnswer(standIn, () => selectOnHome(home, KUDOS_PERSON, actionId, value), KUDOS_PERSON);
    add(
      'App Home leaderboard, all time, one department',
      await timed(o.runs, pick(HomeActions.leaderboardDepartment, departments[0] as string)),
      '<= 50 ms',
    );
    add(
      'App Home leaderboard, quarter, one department',
      await timed(o.runs, pick(HomeActions.leaderboardPeriod, 'quarter')),
      '<= 50 ms',
    );
    add(
      '/strategy',
      await timed(o.runs, () => commandAnswer(standIn, driverFor(MEMBER), Commands.strategy, '')),
      '<= 50 ms',
    );
    const admin = driverFor(ADMIN);
    add(
      'reminder preview (/loop remind dept-0 preview)',
      await timed(o.runs, () =>
        commandAnswer(standIn, admin, Commands.loop, `remind ${departments[0]} preview`),
      ),
      '<= 50 ms',
    );
    for (const [who, label] of [
      [MANAGER_OF_TWO, 'manager of 2 departments'],
      [MANAGER_OF_ALL, 'manager of all 20'],
    ] as const) {
      add(
        `/loop digest preview, ${label}`,
        await timed(o.runs, () => commandAnswer(standIn, driverFor(who), Commands.loop, 'digest')),
        '<= 50 ms',
      );
    }
    for (const [args, label] of [
      ['quarter', 'the whole company, this quarter'],
      [`${departments[0]} quarter`, 'one department, this quarter'],
      ['week', 'the whole company, this week'],
    ] as const) {
      add(
        `/feedback themes, ${label}`,
        await timed(o.runs, () => commandAnswer(standIn, rep, Commands.feedback, `themes ${args}`)),
        '<= 50 ms',
      );
    }
    add(
      '/feedback mine',
      await timed(o.runs, () => commandAnswer(standIn, rep, Commands.feedback, 'mine')),
      '<= 50 ms',
    );
    const end = memoryOf(app.child.pid ?? 0);
    add('resident memory after start', `${afterStart.rssMb} MB`, '');
    add('resident memory, peak (VmHWM)', `${end.peakMb} MB`, '< 250 MB');
    return rows;
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
    await standIn.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '1000000' },
      kudos: { type: 'string', default: '1000000' },
      out: { type: 'string', default: 'bench-results' },
      app: { type: 'string', default: '.' },
      runs: { type: 'string', default: '5' },
      'intake-seconds': { type: 'string', default: '10' },
    },
  });
  const options: YearOptions = {
    items: Number(values.items),
    kudos: Number(values.kudos),
    out: values.out,
    app: resolve(values.app),
    runs: Number(values.runs),
  };
  // Measured as `npm start` runs it: the built output, built first when the sources changed.
  execFileSync('npm', ['run', '--silent', 'build:if-changed'], { cwd: options.app, stdio: 'inherit' });
  const rows = await yearOfData(options);
  const intakeSeconds = Number(values['intake-seconds']);
  if (intakeSeconds > 0) rows.push(...(await intakeAtScale(options, intakeSeconds)));
  writeFileSync(
    join(options.out, 'year-of-data.json'),
    `${JSON.stringify({ at: new Date().toISOString(), options, rows }, null, 2)}\n`,
  );
  console.log(
    `a year of data: ${options.items} items, ${options.kudos} kudos, the real app against the stand-in`,
  );
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
