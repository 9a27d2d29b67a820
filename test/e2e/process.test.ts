import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Commands } from '../../src/slack/ids.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { createSlackDriver, slashCommandFields } from '../support/slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import { tempDir } from '../support/temp-dir.js';

/** The real entry point (src/main.ts) as a child process, the way `npm start` runs it (from source via tsx). */
const MAIN = resolve('src/main.ts');
const TSX = import.meta.resolve('tsx');

type Run = { child: ChildProcess; stdout: string[]; stderr: string[]; exited: Promise<number | null> };

function runMain(env: Record<string, string>, cwd: string): Run {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout, stderr, exited };
}

function waitForLog(run: Run, msg: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  return waitForLogLine(run, (m) => m === msg, msg, timeoutMs);
}

function waitForLogStartingWith(run: Run, start: string): Promise<Record<string, unknown>> {
  return waitForLogLine(run, (m) => typeof m === 'string' && m.startsWith(start), start, 15_000);
}

async function waitForLogLine(
  run: Run,
  matches: (msg: unknown) => boolean,
  msg: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of run.stdout) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (matches(parsed.msg)) return parsed;
      } catch {
        // not a log line
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${msg}" log line; stdout:\n${run.stdout.join('\n')}\nstderr:\n${run.stderr.join('')}`);
}

const cleanups: (() => Promise<void> | void)[] = [];

/** The app in Socket Mode with the fixture org config, killed after the test if still running. */
function runSocketMain(dir: string, apiUrl: string): Run {
  const config = join(dir, 'org.yaml');
  writeFileSync(config, stringify(orgConfigInput()));
  const run = runMain(
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: apiUrl,
      PORT: '0',
      ORG_CONFIG: config,
      DATABASE_PATH: join(dir, 'app.db'),
    },
    dir,
  );
  cleanups.push(() => {
    run.child.kill('SIGKILL');
  });
  return run;
}
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the app process', () => {
  it('exits 1 without tokens, listing every missing variable and where to get them', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const run = runMain({}, dir.path);
    expect(await run.exited).toBe(1);
    const err = run.stderr.join('');
    expect(err).toContain('SLACK_BOT_TOKEN is missing');
    expect(err).toContain('SLACK_SIGNING_SECRET is missing');
    expect(err).toContain('manifests/slack-app.socket.yaml');
    expect(err).toContain('.env.example');
  });

  it('exits 1 on a config typo, naming the file, line and key', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const config = join(dir.path, 'org.yaml');
    writeFileSync(
      config,
      'company:\n  name: Acme\n  promise: We answer.\ntriage:\n  chanel: C0TRIAGE01\ndepartments:\n  - id: a\n    name: A\n    channel: C0AAAAAAA1\n',
    );
    const run = runMain(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ORG_CONFIG: config, LOG_LEVEL: 'silent' },
      dir.path,
    );
    expect(await run.exited).toBe(1);
    expect(run.stderr.join('')).toMatch(/org\.yaml:5:\d+ triage\.chanel/);
  });

  it('serves Slack, then on SIGTERM stops taking requests, finishes, and exits 0 with the item kept', async () => {
    const dir = tempDir();
    const standIn: SlackStandIn = await startSlackStandIn();
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
    );
    const config = join(dir.path, 'org.yaml');
    writeFileSync(config, stringify(orgConfigInput()));
    const run = runMain(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: standIn.apiUrl,
        PORT: '0',
        ORG_CONFIG: config,
        DATABASE_PATH: join(dir.path, 'db', 'app.db'),
      },
      dir.path,
    );
    cleanups.push(() => {
      run.child.kill('SIGKILL');
    });
    const started = await waitForLog(run, 'Courtesy Loop is running');
    const appUrl = `http://127.0.0.1:${String(started.port)}/slack/events`;
    const rep = createSlackDriver({
      appUrl,
      secret: SIGNING_SECRET,
      standIn,
      user: { id: ids.rep, name: 'rita' },
    });
    const res = await rep.command(Commands.feedback, 'the invoice charged twice');
    expect(res.text).toContain('FB-1');
    await standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await waitForLog(run, 'Courtesy Loop stopped');
    await expect(fetch(appUrl, { method: 'POST' })).rejects.toThrow();
  });

  it('in Socket Mode: connects, serves /healthz on PORT, answers envelopes, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const standIn = await startSlackStandIn();
    const socket = await startSocketStandIn(standIn);
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
      () => socket.close(),
    );
    const run = runSocketMain(dir.path, standIn.apiUrl);
    const started = await waitForLog(run, 'Courtesy Loop is running');
    await waitForLog(run, 'connected to Slack (Socket Mode)');
    const health = await fetch(`http://127.0.0.1:${String(started.port)}/healthz`);
    expect(health.status).toBe(200);
    const ack = await socket.send(
      'slash_commands',
      slashCommandFields({ command: Commands.feedback, text: 'the invoice charged twice', user_id: ids.rep }),
    );
    expect(ack.payload?.text).toContain('FB-1');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await waitForLog(run, 'Courtesy Loop stopped');
  });

  it('in Socket Mode with Slack unreachable: says so with the URL, and still exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const run = runSocketMain(dir.path, 'http://127.0.0.1:9/api/');
    const started = await waitForLog(run, 'Courtesy Loop is running');
    const failure = await waitForLogStartingWith(run, 'Socket Mode not connected');
    expect(String(failure.msg)).toContain('http://127.0.0.1:9/api/apps.connections.open');
    expect((await fetch(`http://127.0.0.1:${String(started.port)}/healthz`)).status).toBe(503);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
