import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/demo/people.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { pollUntil } from '../support/standin/poll.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

/** `npm run sandbox` as a process, and the sandbox server's API without a browser. */

const TSX = import.meta.resolve('tsx');
const DAY = 24 * 3_600_000;

/** Polls an async check until it gives a value (5 s at most). */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('gave up waiting');
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('npm run sandbox', () => {
  it('says it is the sandbox, where the page is and how to connect a real workspace; its own database', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', TSX, resolve('src/sandbox/main.ts'), '--port', '0'],
      {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const url = await pollUntil(
      () => /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1],
      30_000,
      () => `no page address; stdout:\n${out}\nstderr:\n${err}`,
    );
    expect(out).toContain('Courtesy Loop SANDBOX');
    expect(out).toContain('nothing here reaches Slack');
    expect(out).toMatch(/Demo history: \d+ feedback items and \d+ kudos/);
    expect(out).toContain('manifests/slack-app.socket.yaml');
    expect(out).toContain('npm start');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Courtesy Loop sandbox</title>');
    expect(existsSync(join(dir.path, 'data', 'sandbox.db'))).toBe(true);
    expect(existsSync(join(dir.path, 'data', 'courtesy-loop.db'))).toBe(false);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('the sandbox server', () => {
  const dir = tempDir();
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      logger: silentLogger,
      port: 0,
      databasePath: join(dir.path, 's.db'),
      weeks: 0,
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    dir.remove();
  });

  const post = (path: string, body: unknown) =>
    fetch(new URL(path, sandbox.pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const state = async (user: string, channel: string) =>
    (await (await fetch(new URL(`/api/state?user=${user}&channel=${channel}`, sandbox.pageUrl))).json()) as {
      now: number;
      messages: { text: string; files: unknown[] }[];
      ephemerals: { text: string }[];
    };

  it('listens on 127.0.0.1 only and refuses other host names (DNS rebinding)', async () => {
    expect(sandbox.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = await new Promise<number>((done, fail) => {
      const req = request(
        new URL('/api/state', sandbox.pageUrl),
        { headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('takes only JSON posts, and says what is wrong with a bad one', async () => {
    const form = await fetch(new URL('/api/say', sandbox.pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=U0RITA0001&channel=C0SUPPORT1&text=hi',
    });
    expect(form.status).toBe(415);
    const bad = await post('/api/react', {
      user: PEOPLE.rep,
      channel: CHANNELS.general,
      ts: 'yesterday',
      emoji: 'clap',
      add: true,
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: 'ts must be a message ts' });
  });

  it('runs a slash command as the chosen person, signed as Slack signs it', async () => {
    const response = await post('/api/say', {
      user: PEOPLE.rep,
      channel: CHANNELS.support,
      text: '/feedback billing: charged twice for ORD-1',
    });
    expect(await response.json()).toEqual({ ok: true });
    const receipts = await eventually(async () => {
      const texts = (await state(PEOPLE.rep, CHANNELS.support)).ephemerals.map((e) => e.text);
      return texts.some((t) => t.includes('FB-1')) ? texts : undefined;
    });
    expect(receipts.join('\n')).toContain('Billing');
  });

  it('moves time forward and runs the reminders and digests at their scheduled time', async () => {
    const before = (await state(PEOPLE.rep, CHANNELS.support)).now;
    expect(await (await post('/api/time', { op: 'day' })).json()).toMatchObject({ ok: true });
    expect((await state(PEOPLE.rep, CHANNELS.support)).now - before).toBeGreaterThanOrEqual(DAY);
    // FB-1 is past its time to be acknowledged (8 h for Billing): the minute tick escalated it to the lead.
    const lead = await state(PEOPLE.billingLead, `D${PEOPLE.billingLead}`);
    expect(lead.messages.map((m) => m.text).join('\n')).toMatch(/FB-1.*should have been acknowledged/);

    await post('/api/time', { op: 'reminders' });
    for (const [user, channel] of [
      [PEOPLE.billingLead, CHANNELS.billing],
      [PEOPLE.shippingLead, CHANNELS.shipping],
      [PEOPLE.productLead, CHANNELS.product],
    ] as const) {
      const texts = (await state(user, channel)).messages.map((m) => m.text);
      expect(texts.filter((t) => t.includes('our part in the promise')).length, channel).toBe(1);
    }

    await post('/api/time', { op: 'digests' });
    const dm = await state(PEOPLE.manager, `D${PEOPLE.manager}`);
    expect(dm.messages.map((m) => m.text).join('\n')).toMatch(/digest/i);
    expect(dm.messages.some((m) => m.files.length > 0)).toBe(true);
  });
});
