import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AppEnv } from '../../src/config/env.js';
import { createCourtesyLoop } from '../../src/courtesy-loop.js';
import { FeedbackFormBlocks as B, Commands, FeedbackActions, Views } from '../../src/slack/ids.js';
import { openDatabase } from '../../src/store/db.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/app-harness.js';
import { startAppProcess } from '../support/app-process.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { plainTextInputValue, staticSelectValue } from '../support/slack-requests.js';
import { tableCounts } from '../support/table-counts.js';
import { silentLogger, tempDatabase, tempDir } from '../support/temp-dir.js';

/**
 * The database read-only, locked by another process, its disk full, or its folder missing. Tests run as
 * root, where file modes do not stop writes, so the faults are made the way SQLite sees them: a read-only
 * open or `query_only`, `max_page_count` for a full disk, a second connection holding `BEGIN EXCLUSIVE`.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(): Promise<Harness> {
  const h = await startHarness();
  cleanups.push(() => h.close());
  return h;
}

const NOTHING_SAVED = /nothing was saved.*try again/i;

/** Make every write that needs a new page fail with SQLITE_FULL, as a full disk does. */
function fillDisk(h: Harness): () => void {
  const pages = h.loop.db.pragma('page_count', { simple: true }) as number;
  h.loop.db.pragma(`max_page_count = ${pages}`);
  return () => h.loop.db.pragma('max_page_count = 4294967294');
}

/** A second connection (as another process would) holding the write lock. */
function lockDatabase(h: Harness): () => void {
  const path = h.loop.db.name;
  const other = new Database(path);
  other.exec('BEGIN EXCLUSIVE');
  return () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  };
}

const LONG = `the March invoice charged twice ${'and the details go on '.repeat(900)}`;

describe('database faults while running: a clear "nothing was saved", never half an item', () => {
  it('disk full: /feedback says nothing was saved, stores nothing, posts nothing; the retry works', async () => {
    const h = await harness();
    const before = tableCounts(h.loop.db);
    const freeDisk = fillDisk(h);
    const res = await h.rep.command(Commands.feedback, LONG);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(NOTHING_SAVED),
    });
    expect(res.text).toContain('disk');
    expect(tableCounts(h.loop.db)).toEqual(before);

    freeDisk();
    const retry = await h.rep.command(Commands.feedback, LONG);
    expect(retry.text).toContain('FB-');
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('locked by another process: /feedback answers within the busy timeout that nothing was saved', async () => {
    const h = await harness();
    const before = tableCounts(h.loop.db);
    const unlock = lockDatabase(h);
    cleanups.push(unlock);
    const res = await h.rep.command(Commands.feedback, 'the invoice charged twice');
    expect(res.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(NOTHING_SAVED),
    });
    expect(res.text).toContain('busy');
    unlock();
    expect(tableCounts(h.loop.db)).toEqual(before);
    expect((await h.rep.command(Commands.feedback, 'the invoice charged twice')).text).toContain('FB-');
  });

  it('read-only: the feedback form stays open with the message on its first field, nothing stored', async () => {
    const h = await harness();
    await h.rep.command(Commands.feedback, '');
    await h.standIn.waitFor({ method: 'views.open' });
    const before = tableCounts(h.loop.db);
    h.loop.db.pragma('query_only = ON');
    const submit = await h.rep.submitView({
      callbackId: Views.feedbackForm,
      values: {
        [B.kind]: { value: staticSelectValue({ text: 'Complaint', value: 'complaint' }) },
        [B.severity]: { value: staticSelectValue({ text: 'High', value: 'high' }) },
        [B.summary]: { value: plainTextInputValue('Charged twice for the March invoice') },
      },
    });
    expect(submit.status).toBe(200);
    const answer = submit.json as { response_action?: string; errors?: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.values(answer.errors ?? {}).join()).toMatch(/nothing was saved.*read-only/i);
    h.loop.db.pragma('query_only = OFF');
    expect(tableCounts(h.loop.db)).toEqual(before);
  });

  it('locked: a button click changes nothing and says so to the clicker only', async () => {
    const h = await harness();
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    await h.loop.delivery.drain();
    const before = tableCounts(h.loop.db);
    const posts = h.standIn.calls.length;
    cleanups.push(lockDatabase(h));
    const click = await h
      .driverFor({ id: ids.billingMember, name: 'bea' })
      .clickButton({ actionId: FeedbackActions.acknowledge });
    expect(click.status).toBe(200);
    const [apology] = await h.standIn.waitForResponse(1);
    expect(apology?.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(NOTHING_SAVED),
    });
    expect(tableCounts(h.loop.db)).toEqual(before);
    expect(h.standIn.calls.slice(posts).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });
});

describe('database faults at start-up: a clear error, nothing started', () => {
  const env = (databasePath: string, dir: string): AppEnv => {
    const orgConfigPath = join(dir, 'org.yaml');
    writeFileSync(orgConfigPath, stringify(orgConfigInput()));
    return {
      botToken: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      slackApiUrl: 'http://127.0.0.1:9/api/',
      port: 0,
      databasePath,
      orgConfigPath,
      logLevel: 'silent',
      shutdownDrainMs: 1000,
      mode: 'http',
    };
  };

  it('read-only file: names the file and says to make it writable', () => {
    const existing = tempDatabase();
    existing.db.close();
    cleanups.push(() => existing.remove());
    const start = () =>
      createCourtesyLoop({
        env: env(existing.path, join(existing.path, '..')),
        logger: silentLogger,
        openDb: (path) => openDatabase(path, { readonly: true }),
      });
    expect(start).toThrow(/test\.db is read-only: make the file and its folder writable.*SQLITE_READONLY/);
  });

  it('locked by another process: says so within the busy timeout', () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const path = join(dir.path, 'app.db');
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    cleanups.push(() => {
      other.close();
    });
    expect(() => createCourtesyLoop({ env: env(path, dir.path), logger: silentLogger })).toThrow(
      /app\.db is locked by another process.*SQLITE_BUSY/,
    );
    other.exec('ROLLBACK');
  });

  it('the process exits 1 with one clear line when the folder is missing', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    mkdirSync(join(dir.path, 'data'));
    const app = startAppProcess({
      cwd: dir.path,
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        ORG_CONFIG: env('x', dir.path).orgConfigPath,
        DATABASE_PATH: join(dir.path, 'volume', 'app.db'),
        LOG_LEVEL: 'silent',
      },
    });
    cleanups.push(() => app.kill());
    expect(await app.exited).toBe(1);
    expect(app.stderr.join('')).toMatch(
      /app\.db cannot be created: its folder .*volume does not exist; create it/,
    );
  });
});
