import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { kudosAnswer } from '../support/kudos-command.js';
import { ids } from '../support/org-fixture.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

let h: Harness | undefined;
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) d.remove();
});
function scratch() {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
}
const count = (path: string, sql: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
};

describe('npm run backup / restore', () => {
  it('backs up while the app runs, refuses to restore over the running app, restores once it stopped', async () => {
    h = await startHarness();
    const dbPath = h.loop.db.name;
    const cwd = scratch();
    const env = { DATABASE_PATH: dbPath };
    await fileForCustomer(h, 'ACME Corp', 'invoice charged twice');
    await fileForCustomer(h, 'Globex', 'refund missing');

    const backup = join(cwd, 'backup.db');
    const made = await runCli('backup', [backup], { env, cwd });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(count(backup, 'SELECT COUNT(*) FROM feedback_items')).toBe(2);
    // Never overwrites a file.
    const again = await runCli('backup', [backup], { env, cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    // The app keeps working after the backup; then a third item that the restore will take back.
    await fileForCustomer(h, 'Initech', 'cannot log in');
    const refused = await runCli('restore', [backup], { env, cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is in use');
    expect(count(dbPath, 'SELECT COUNT(*) FROM feedback_items')).toBe(3);

    await h.stopApp();
    const restored = await runCli('restore', [backup], { env, cwd });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('is kept as');
    await h.startApp();
    expect(h.loop.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get()).toBe(2);
    await fileForCustomer(h, 'Initech', 'cannot log in again');
    expect(h.loop.db.prepare('SELECT MAX(id) FROM feedback_items').pluck().get()).toBe(3);
  });

  it('validates the file before touching the database', async () => {
    const cwd = scratch();
    const dbPath = join(cwd, 'app.db');
    const env = { DATABASE_PATH: dbPath };
    writeFileSync(join(cwd, 'notes.txt'), 'not a database at all');
    const notDb = await runCli('restore', ['notes.txt'], { env, cwd });
    expect(notDb.code).toBe(1);
    expect(notDb.stderr).toMatch(/notes\.txt is not a usable database|cannot be opened/);

    const other = new Database(join(cwd, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect((await runCli('restore', ['other.db'], { env, cwd })).stderr).toContain(
      'not a Courtesy Loop database',
    );

    const newer = new Database(join(cwd, 'newer.db'));
    newer.exec(
      "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER); INSERT INTO schema_migrations VALUES (999, 'future', 0)",
    );
    newer.close();
    expect((await runCli('restore', ['newer.db'], { env, cwd })).stderr).toContain('newer Courtesy Loop');
    expect((await runCli('restore', [], { env, cwd })).code).toBe(2);
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe('npm run export', () => {
  it('writes CSV of feedback items with their history, and kudos, quoting customer text safely', async () => {
    h = await startHarness({
      config: { kudos: { channel: 'C0KUDOS001', values: [{ id: 'ownership', label: 'Ownership' }] } },
    });
    await fileForCustomer(h, 'ACME, "the big one"', '=HYPERLINK("http://evil") charged\ntwice');
    const member = h.driverFor({ id: ids.billingMember, name: 'bill' });
    const given = await kudosAnswer(h, member, `<@${ids.rep}> for the quick refund export #ownership`);
    expect(given.text).toContain('left today');
    await h.loop.delivery.drain();
    const cwd = scratch();
    const today = new Date().toISOString().slice(0, 10);
    const run = await runCli('export', ['--from', today, '--to', today, '--out', 'out'], {
      env: { DATABASE_PATH: h.loop.db.name },
      cwd,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = readdirSync(join(cwd, 'out')).sort();
    expect(files).toEqual([
      `feedback-history_${today}_${today}.csv`,
      `feedback-items_${today}_${today}.csv`,
      `kudos_${today}_${today}.csv`,
    ]);
    const items = readFileSync(join(cwd, 'out', files[1] as string), 'utf8');
    expect(items.split('\n')[0]).toMatch(/^reference,filed_at,reporter,source,customer,/);
    expect(items).toContain('FB-1,');
    expect(items).toContain('"ACME, ""the big one"""');
    // A formula is never left for a spreadsheet to run (the summary is one line: the form joins its lines).
    expect(items).toContain(`"'=HYPERLINK(""http://evil"") charged twice"`);
    const history = readFileSync(join(cwd, 'out', files[0] as string), 'utf8');
    expect(history.split('\n')[0]).toBe(
      'reference,at,by,action,from_status,to_status,from_department,to_department,note',
    );
    const kudos = readFileSync(join(cwd, 'out', files[2] as string), 'utf8');
    expect(kudos).toContain(`${ids.billingMember},${ids.rep}`);
    expect(kudos).toContain('for the quick refund export');

    const bad = await runCli('export', ['--from', '2026-02-30', '--to', 'soon'], {
      env: { DATABASE_PATH: h.loop.db.name },
      cwd,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from is not a calendar date');
    expect(bad.stderr).toContain('--to must be a date like 2026-11-01');
  });
});

describe('npm run forget', () => {
  it("erases one customer's details while the app runs and records who asked", async () => {
    h = await startHarness();
    await fileForCustomer(h, 'Initech Ltd', 'Initech cannot log in');
    const cwd = scratch();
    const run = await runCli('forget', ['--customer', 'initech LTD', '--by', 'dpo@example.com'], {
      env: { DATABASE_PATH: h.loop.db.name },
      cwd,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('details of 1 feedback item(s)');
    expect(h.loop.db.prepare('SELECT summary FROM feedback_items').pluck().get()).toBe('(removed)');
    expect(h.loop.db.prepare('SELECT requested_by, items FROM customer_erasures').get()).toEqual({
      requested_by: 'dpo@example.com',
      items: 1,
    });
    expect((await runCli('forget', [], { env: { DATABASE_PATH: h.loop.db.name }, cwd })).code).toBe(2);
  });
});
