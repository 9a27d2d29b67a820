/**
 * The CPU one Slack Web API call costs the app's process: N `chat.postMessage` calls (a department post's size,
 * with its blocks and delivery metadata) through WebClient against the local Slack stand-in, with the global
 * `fetch` and WebClient's own timeout (as before), with the app's lean fetch alone, and with the app's client
 * (`createSlackClient`: the lean fetch and JSON-encoded arguments).
 *
 *   npx tsx scripts/bench/client-calls.ts [--calls 20000] [--concurrency 8] [--rounds 5]
 *     [--only before|fetch|now] [--profile dir] (a CPU profile of the measuring process, written to dir)
 *
 * The stand-in runs in this process; the calls run in a child process that measures its own CPU with
 * `process.cpuUsage()`, so the figures hold the client's work only. Both clients run in the same child,
 * alternating in rounds after a warm-up, so load on the machine falls on both alike.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { loadEnv } from '../../src/config/env.js';
import { boltLoggerAdapter, createLogger } from '../../src/logger.js';
import { startSlackStandIn } from '../../src/sandbox/slack-standin.js';
import { createSlackClient } from '../../src/slack/app.js';

type Variant = { name: string; client: WebClient };
type Figures = { name: string; calls: number; cpuUsPerCall: number; wallMs: number };

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    profile: { type: 'string' },
    child: { type: 'string' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

/** A department post as the outbox sends it: header, fields, the report, context, buttons, metadata. */
function departmentPost(n: number) {
  const button = (text: string, id: string) => ({
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: id,
    value: String(n),
  });
  return {
    channel: 'C0SUPPORT1',
    text: `New feedback #${n} from <@U0REP0001>: the export to CSV times out for large accounts`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Feedback #${n}: export times out` } },
      {
        type: 'section',
        fields: [
          'Customer',
          'Acme Corp',
          'Severity',
          'high',
          'Reporter',
          '<@U0REP0001>',
          'Status',
          'open',
        ].map((t) => ({ type: 'mrkdwn', text: t })),
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '> The export to CSV times out for accounts with more than 10,000 rows.',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Routed to Support: keyword "export"' }] },
      {
        type: 'actions',
        block_id: 'feedback_actions',
        elements: [
          button('Acknowledge', 'ack'),
          button('Resolve', 'resolve'),
          button('Reassign', 'reassign'),
          button('Reopen', 'reopen'),
        ],
      },
    ],
    metadata: { event_type: 'courtesy_loop_delivery', event_payload: { outbox_id: n, step: 0 } },
  };
}

async function callMany(client: WebClient, count: number, start: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await client.chat.postMessage(departmentPost(start + next));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function measure(variant: Variant, count: number, start: number): Promise<Figures> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  await callMany(variant.client, count, start);
  const used = process.cpuUsage(cpu);
  return {
    name: variant.name,
    calls: count,
    cpuUsPerCall: (used.user + used.system) / count,
    wallMs: performance.now() - began,
  };
}

function variants(apiUrl: string): { all: Variant[]; close: () => Promise<void> } {
  const env = loadEnv({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: apiUrl,
    SLACK_SIGNING_SECRET: 'bench',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  const logger = createLogger({ level: 'info' });
  const before: WebClientOptions = {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLoggerAdapter(logger),
  };
  const app = createSlackClient(env.env, logger);
  const all = [
    { key: 'before', name: 'global fetch + timeout (before)', client: new WebClient('xoxb-bench', before) },
    { key: 'fetch', name: 'lean fetch, plain WebClient', client: new WebClient('xoxb-bench', app.options) },
    { key: 'now', name: 'createSlackClient (now)', client: app.client },
  ];
  return { all: all.filter((v) => values.only === undefined || v.key === values.only), close: app.close };
}

async function runChild(apiUrl: string): Promise<void> {
  const { all, close } = variants(apiUrl);
  for (const v of all) await callMany(v.client, Math.min(2000, calls / 5), 0);
  const totals = new Map<string, Figures>();
  for (let round = 0; round < rounds; round++) {
    for (const v of round % 2 === 0 ? all : [...all].reverse()) {
      const f = await measure(v, Math.floor(calls / rounds), round * calls);
      const t = totals.get(v.name) ?? { name: v.name, calls: 0, cpuUsPerCall: 0, wallMs: 0 };
      const cpuUs = t.cpuUsPerCall * t.calls + f.cpuUsPerCall * f.calls;
      t.calls += f.calls;
      t.cpuUsPerCall = cpuUs / t.calls;
      t.wallMs += f.wallMs;
      totals.set(v.name, t);
    }
  }
  await close();
  process.stdout.write(`${JSON.stringify([...totals.values()])}\n`);
}

async function runParent(): Promise<void> {
  const standIn = await startSlackStandIn();
  try {
    const child = spawn(
      process.execPath,
      [
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
        ...['--import', 'tsx', process.argv[1] ?? '', ...process.argv.slice(2), '--child', standIn.apiUrl],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    if (code !== 0) throw new Error(`the measuring process exited with ${code}`);
    const figures = JSON.parse(out.trim().split('\n').pop() ?? '[]') as Figures[];
    process.stdout.write(
      `chat.postMessage x ${calls}, ${concurrency} at a time, load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}\n`,
    );
    for (const f of figures) {
      const perCall = `${f.cpuUsPerCall.toFixed(1)} us CPU per call`;
      process.stdout.write(
        `${f.name.padEnd(34)} ${perCall}, ${Math.round(f.calls / (f.wallMs / 1000))} calls/s\n`,
      );
    }
  } finally {
    await standIn.close();
  }
}

if (values.child) await runChild(values.child);
else await runParent();
