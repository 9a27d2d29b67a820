import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Commands } from '../../src/slack/ids.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { type AppProcess, startAppAgainst, startAppProcess } from '../support/app-process.js';
import { NO_CHART_STACK } from '../support/no-chart-stack.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { createSlackDriver, slashCommandFields } from '../support/slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The app in Socket Mode (app-level token, no signing secret) against `apiUrl`, killed after the test. */
function runSocketMain(dir: string, apiUrl: string): AppProcess {
  const config = join(dir, 'org.yaml');
  writeFileSync(config, stringify(orgConfigInput()));
  const run = startAppProcess({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: apiUrl,
      PORT: '0',
      ORG_CONFIG: config,
      DATABASE_PATH: join(dir, 'app.db'),
    },
    cwd: dir,
  });
  cleanups.push(() => run.kill());
  return run;
}

describe('the app process', () => {
  it('exits 1 without tokens, listing every missing variable and where to get them', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const run = startAppProcess({ env: {}, cwd: dir.path });
    expect(await run.exited).toBe(1);
    const err = run.stderr.join('');
    expect(err).toContain('SLACK_BOT_TOKEN is missing');
    expect(err).toContain('SLACK_SIGNING_SECRET is missing');
    expect(err).toContain('manifests/slack-app.socket.yaml');
    expect(err).toContain('.env.example');
    expect(err).toContain('npm run sandbox');
  });

  it('exits 1 on a config typo, naming the file, line and key', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const config = join(dir.path, 'org.yaml');
    writeFileSync(
      config,
      'company:\n  name: Acme\n  promise: We answer.\ntriage:\n  chanel: C0TRIAGE01\ndepartments:\n  - id: a\n    name: A\n    channel: C0AAAAAAA1\n',
    );
    const run = startAppProcess({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        ORG_CONFIG: config,
        DATABASE_PATH: join(dir.path, 'app.db'),
        LOG_LEVEL: 'silent',
      },
      cwd: dir.path,
    });
    expect(await run.exited).toBe(1);
    expect(run.stderr.join('')).toMatch(/org\.yaml:5:\d+ triage\.chanel/);
  });

  it('exits 1 when its port is taken, with what it logged before (the migrations) on stdout', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const config = join(dir.path, 'org.yaml');
    writeFileSync(config, stringify(orgConfigInput()));
    const run = startAppProcess({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        PORT: String((taken.address() as AddressInfo).port),
        ORG_CONFIG: config,
        DATABASE_PATH: join(dir.path, 'app.db'),
        LOG_LEVEL: 'info',
      },
      cwd: dir.path,
    });
    cleanups.push(() => run.kill());
    expect(await run.exited).toBe(1);
    expect(run.stderr.join('')).toContain('Courtesy Loop cannot start');
    // Log lines are gathered before they are written: an exit on a failed start still writes them first.
    expect(run.stdout.filter((line) => line.includes('applied migration')).length).toBeGreaterThan(20);
  });

  it('cannot load Vega when started with the chart-stack guard (so the start-up below proves it lazy)', async () => {
    const child = spawn(
      process.execPath,
      [...NO_CHART_STACK, '--input-type=module', '-e', "await import('vega')"],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    expect(await new Promise<number | null>((done) => child.on('exit', done))).toBe(1);
    expect(stderr).toContain('chart stack loaded: vega');
  });

  it('serves Slack without loading the chart stack, then on SIGTERM stops taking requests, finishes, and exits 0 with the item kept', async () => {
    const dir = tempDir();
    const standIn: SlackStandIn = await startSlackStandIn();
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
    );
    // Vega and resvg load at the first chart: with them refused, the app still starts and files feedback.
    const { app: run, appUrl } = await startAppAgainst({ standIn, dir: dir.path, nodeArgs: NO_CHART_STACK });
    cleanups.push(() => run.kill());
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
    await run.waitForLog('Courtesy Loop stopped');
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
    const started = await run.waitForLog('Courtesy Loop is running');
    await run.waitForLog('connected to Slack (Socket Mode)');
    const health = await fetch(`http://127.0.0.1:${String(started.port)}/healthz`);
    expect(health.status).toBe(200);
    const ack = await socket.send(
      'slash_commands',
      slashCommandFields({ command: Commands.feedback, text: 'the invoice charged twice', user_id: ids.rep }),
    );
    expect(ack.payload?.text).toContain('FB-1');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await run.waitForLog('Courtesy Loop stopped');
  });

  it('in Socket Mode with Slack unreachable: says so with the URL, and still exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const run = runSocketMain(dir.path, 'http://127.0.0.1:9/api/');
    const started = await run.waitForLog('Courtesy Loop is running');
    const failure = await run.waitForLog(/^Socket Mode not connected/);
    expect(String(failure.msg)).toContain('http://127.0.0.1:9/api/apps.connections.open');
    expect((await fetch(`http://127.0.0.1:${String(started.port)}/healthz`)).status).toBe(503);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
