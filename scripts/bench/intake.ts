/**
 * Intake scenario: the floor, plain Bolt and Courtesy Loop, one after another in the same run, each under the
 * same signed load from its own process: a warm-up (each kind at 200 requests/s, not measured), a fixed 200
 * requests/s (ack p99), then flat out (acks/s), then the wait until every acked request is stored and posted.
 * Also the app's start-up and memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSlackStandIn } from '../../src/sandbox/slack-standin.js';
import { COMPANY_SIZE, type LoadKind, type PeopleSetting } from './payloads.js';
import { callsPerItem, cpuMsOf } from './process-cpu.js';
import type { BenchRow, ScenarioOptions } from './rows.js';
import { runLoadProcess } from './run-load.js';
import { BENCH_SECRET, startTarget, TARGETS, type Target, type TargetName } from './targets.js';

export type KindResult = {
  p99: number;
  /** The most the load generator handed a fixed-rate request over after it was due (ms): its own lateness. */
  lateMs: number | undefined;
  perSecond: number;
  acked: number;
  failed: number;
  stored: number;
  posted: number;
  /** Posts of the same outbox step made more than once (each extra one counted): must be 0. */
  postedTwice: number;
  /** Posts that carry no outbox step (the app's other posts, such as a spike alert; the references' posts). */
  postedOther: number;
  /** Milliseconds from the end of the load until everything acked was stored and posted; undefined: never. */
  drainMs: number | undefined;
  /** CPU the server used for this kind (load and drain), per 1,000 acked requests; undefined off Linux. */
  cpuMsPer1000: number | undefined;
  /** Web API calls the server made for this kind, per acked request and method. */
  slackCalls: string;
};

export type TargetResult = {
  startupMs: number;
  idleMb: number | undefined;
  peakMb: number | undefined;
  kinds: Partial<Record<LoadKind, KindResult>>;
};

const ALL_KINDS: readonly LoadKind[] = ['feedback', 'kudos', 'reaction'];
const LABELS: Record<LoadKind, string> = {
  feedback: '/feedback',
  kudos: '/kudos',
  reaction: 'reaction_added',
};
/** Acked work must be posted within this long after the load (the budget). */
const DRAIN_BUDGET_MS = 10_000;
/** How long the benchmark waits for a drain before it records "never". */
const DRAIN_GIVE_UP_MS = 60_000;
/** How long a server rests after start-up before its idle memory is read. */
const IDLE_SETTLE_MS = 15_000;
/** Each kind's warm-up at the fixed rate before anything is measured (seconds; smoke runs a fraction). */
const WARM_UP_SECONDS = 4;
/**
 * The warm-up's requests are numbered from here, apart from the measured phases' messages; with a company's
 * people (payloads.ts) its round of pairs is one no measured phase uses, so no pair meets more than twice.
 */
const WARM_UP_FIRST = 20_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measureKind(
  target: Target,
  kind: LoadKind,
  seconds: number,
  prefix: string,
  people: PeopleSetting,
): Promise<KindResult> {
  const storedBefore = target.stored(kind);
  const postedBefore = target.posted();
  const callsBefore = target.calls().length;
  const cpuBefore = cpuMsOf(target.server.pid);
  const base = {
    url: target.server.url,
    secret: BENCH_SECRET,
    kind,
    seconds,
    responseUrl: target.responseUrl,
    people,
  };
  const fixed = await runLoadProcess({ ...base, connections: 10, rate: 200, prefix: `${prefix}f`, first: 0 });
  const flat = await runLoadProcess({ ...base, connections: 32, prefix: `${prefix}x`, first: 10_000_000 });
  const loadEnded = performance.now();
  const acked = fixed.ok + flat.ok;
  const expectPosts = target.postsEach ? acked : 0;
  let drainMs: number | undefined;
  // Each look runs on the stand-in's thread, so the app waits on Slack while it runs: the cheap checks first,
  // and the count of stored rows (ms on a big table) only once they pass. Counting everything on every look
  // held the stand-in 6-8 ms in every 50 or so, an eighth of a reaction drain in which the app waited on it.
  while (performance.now() - loadEnded < DRAIN_GIVE_UP_MS) {
    const done =
      target.posted() - postedBefore >= expectPosts &&
      !target.hasQueued() &&
      target.stored(kind) - storedBefore >= acked;
    if (done) {
      drainMs = performance.now() - loadEnded;
      break;
    }
    await sleep(50);
  }
  const cpuAfter = cpuMsOf(target.server.pid);
  return {
    p99: fixed.p99,
    lateMs: fixed.maxLateMs,
    perSecond: flat.perSecond,
    acked,
    failed: fixed.non2xx + fixed.errors + flat.non2xx + flat.errors,
    stored: target.stored(kind) - storedBefore,
    posted: target.posted() - postedBefore,
    ...repeatsIn(target.postKeys().slice(postedBefore).flat()),
    drainMs,
    cpuMsPer1000:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / acked,
    slackCalls: callsPerItem(target.calls().slice(callsBefore), acked),
  };
}

/**
 * Every server runs each kind at the fixed rate for a few seconds, not measured, and has posted it all before the
 * first measured phase. Without it, the first phase of a run met each server's code before V8 had compiled it, so
 * its p99 measured start-up (the app's code being larger, the most), and not the answer time the budget names.
 */
async function warmUp(target: Target, kinds: readonly LoadKind[], options: ScenarioOptions, prefix: string) {
  const people = peopleOf(options);
  const seconds = options.smoke ? 0.5 : WARM_UP_SECONDS;
  for (const kind of kinds) {
    await runLoadProcess({
      url: target.server.url,
      secret: BENCH_SECRET,
      kind,
      seconds,
      responseUrl: target.responseUrl,
      connections: 10,
      rate: 200,
      prefix: `${prefix}${kind}w`,
      first: WARM_UP_FIRST,
      people,
    });
  }
  await untilDrained(target);
}

/** Waits (up to DRAIN_GIVE_UP_MS again) until the target has nothing queued. */
async function untilDrained(target: Target): Promise<void> {
  const started = performance.now();
  while (target.hasQueued() && performance.now() - started < DRAIN_GIVE_UP_MS) await sleep(50);
}

/** How many posts repeat an outbox step already posted, and how many carry none. */
function repeatsIn(keys: readonly (string | undefined)[]): { postedTwice: number; postedOther: number } {
  const seen = new Set<string>();
  let postedTwice = 0;
  let postedOther = 0;
  for (const key of keys) {
    if (key === undefined) postedOther++;
    else if (seen.has(key)) postedTwice++;
    else seen.add(key);
  }
  return { postedTwice, postedOther };
}

const peopleOf = (options: ScenarioOptions): PeopleSetting => options.people ?? 'company';

async function measureTarget(name: TargetName, options: ScenarioOptions, dir: string): Promise<TargetResult> {
  const standIn = await startSlackStandIn();
  try {
    const profiles = options.profile ? join(resolve(options.outDir), 'profiles') : undefined;
    const target = await startTarget(name, standIn, dir, profiles, options.appEntry);
    try {
      // Idle means idle: V8 gives back the young generation start-up grew only after some seconds without work.
      await sleep(options.smoke ? 200 : IDLE_SETTLE_MS);
      const idle = target.server.memory();
      const kinds: TargetResult['kinds'] = {};
      const measured = ALL_KINDS.filter((k) => options.kinds?.includes(k) ?? true);
      await warmUp(target, measured, options, name);
      for (const kind of measured) {
        // A kind that did not drain in time is still posting: let it finish, so the next kind counts its own.
        await untilDrained(target);
        kinds[kind] = await measureKind(target, kind, options.seconds, `${name}${kind}`, peopleOf(options));
      }
      return {
        startupMs: target.server.startupMs,
        idleMb: idle.rssMb,
        peakMb: target.server.memory().peakMb,
        kinds,
      };
    } finally {
      await target.stop();
    }
  } finally {
    await standIn.close();
  }
}

/** Runs the three servers and returns their raw figures (the smoke test reads these). */
export async function measureIntake(options: ScenarioOptions): Promise<Record<TargetName, TargetResult>> {
  const dir = mkdtempSync(join(options.outDir, 'intake-'));
  try {
    const results: Partial<Record<TargetName, TargetResult>> = {};
    for (const name of TARGETS) results[name] = await measureTarget(name, options, dir);
    return results as Record<TargetName, TargetResult>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function intakeRows(
  results: Record<TargetName, TargetResult>,
  people: PeopleSetting = 'company',
): BenchRow[] {
  const rows: BenchRow[] = [
    {
      measure: 'intake: who gives and receives kudos and reactions',
      note:
        people === 'company'
          ? `people of a company of ${COMPANY_SIZE}: Slack is asked about each person once (--people new: never seen before)`
          : 'two people never seen before in every request: every /kudos waits on Slack (--people company: a company)',
    },
  ];
  for (const kind of ALL_KINDS) {
    const [floor, bolt, app] = TARGETS.map((t) => results[t].kinds[kind]);
    if (!floor || !bolt || !app) continue;
    const label = LABELS[kind];
    const latencyRatio = app.p99 / floor.p99;
    const throughputRatio = app.perSecond / bolt.perSecond;
    rows.push(
      {
        measure: `${label} ack p99 at 200 req/s (ms)`,
        floor: floor.p99,
        plainBolt: bolt.p99,
        app: app.p99,
        ratio: latencyRatio,
        budget: '<= 1.5x floor',
        ok: latencyRatio <= 1.5,
        note:
          'evenly spaced (scripts/bench/paced-load.ts); the load generator handed a request over at most ' +
          `${[floor, bolt, app].map((k) => (k.lateMs ?? 0).toFixed(1)).join(' / ')} ms after it was due ` +
          '(floor / plain Bolt / app): its own lateness, not charged to the server',
      },
      {
        measure: `${label} flat-out acks/s`,
        floor: floor.perSecond,
        plainBolt: bolt.perSecond,
        app: app.perSecond,
        ratio: throughputRatio,
        budget: '>= 0.8x plain Bolt, >= 1000/s',
        ok: throughputRatio >= 0.8 && app.perSecond >= 1000,
      },
      {
        measure: `${label} acked / stored / posted by the app`,
        app: app.acked,
        note:
          `${app.acked} acked, ${app.stored} stored, ${app.posted} posted (${app.postedTwice} of them a second ` +
          `time, ${app.postedOther} not an outbox step), ${app.failed} failed`,
        budget: 'every acked item stored and posted, none twice',
        ok: app.stored >= app.acked && app.posted >= app.acked && app.failed === 0 && app.postedTwice === 0,
      },
      {
        measure: `${label} server CPU per 1,000 requests (ms), load and drain`,
        floor: floor.cpuMsPer1000,
        plainBolt: bolt.cpuMsPer1000,
        app: app.cpuMsPer1000,
        ratio: app.cpuMsPer1000 && bolt.cpuMsPer1000 ? app.cpuMsPer1000 / bolt.cpuMsPer1000 : undefined,
      },
      {
        measure: `${label} Slack calls per request`,
        note: `plain Bolt: ${bolt.slackCalls || 'none'}; app: ${app.slackCalls || 'none'}`,
      },
      {
        measure: `${label} posted within (s) after the load`,
        plainBolt: bolt.drainMs === undefined ? undefined : bolt.drainMs / 1000,
        app: app.drainMs === undefined ? undefined : app.drainMs / 1000,
        budget: '<= 10 s',
        ok: app.drainMs !== undefined && app.drainMs <= DRAIN_BUDGET_MS,
      },
    );
  }
  const app = results.app;
  rows.push(
    {
      measure: 'app start to ready (ms), built',
      app: app.startupMs,
      budget: '< 1000 ms',
      ok: app.startupMs < 1000,
    },
    {
      measure: 'app resident memory idle (MB)',
      floor: results.floor.idleMb,
      plainBolt: results.plainBolt.idleMb,
      app: app.idleMb,
      budget: '< 100 MB',
      ok: app.idleMb === undefined ? undefined : app.idleMb < 100,
    },
    {
      measure: 'app resident memory peak (MB)',
      floor: results.floor.peakMb,
      plainBolt: results.plainBolt.peakMb,
      app: app.peakMb,
      budget: '< 250 MB',
      ok: app.peakMb === undefined ? undefined : app.peakMb < 250,
    },
  );
  return rows;
}

export const intakeScenario = {
  name: 'intake',
  run: async (options: ScenarioOptions) => intakeRows(await measureIntake(options), peopleOf(options)),
};
