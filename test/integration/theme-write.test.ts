import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { forgetCustomer, purgeCustomerDetails } from '../../src/retention/customer-details.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { renameThemeFromCommand } from '../../src/themes/rename-theme.js';
import { createThemeIndex, type ThemeIndex } from '../../src/themes/theme-index.js';
import { getTheme } from '../../src/themes/theme-repo.js';
import { createThemeWork, type ThemeWork } from '../../src/themes/theme-work.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { executionsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDir } from '../support/temp-dir.js';

const DAY = 86_400_000;
const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
const config = orgConfig();

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'test.db'));
});
afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

function themesOn(database: Db): { index: ThemeIndex; work: ThemeWork; feedback: FeedbackService } {
  const index = createThemeIndex({ db: database, language: () => 'en', logger: silentLogger });
  const work = createThemeWork({ db: database, index, clock, logger: silentLogger });
  const feedback = createFeedbackService({
    db: database,
    clock,
    config: () => config,
    logger: silentLogger,
    themes: index,
  });
  return { index, work, feedback };
}

/** Runs the background work as the minute tick would, until a tick finds nothing to do. */
async function settle(work: ThemeWork): Promise<void> {
  for (let tick = 0; tick < 50; tick++) if ((await work.run(clock.now())) === 0) return;
  throw new Error('theme work did not settle');
}

const themeOf = (itemId: number) =>
  db.prepare('SELECT theme_id FROM feedback_items WHERE id = ?').pluck().get(itemId) as number | null;

const file = (feedback: FeedbackService, summary: string) =>
  feedback.submit(newFeedback({ summary })).item.id;

describe('upgrading a database with feedback', () => {
  it('gives the items filed before themes existed a theme in the background, oldest first', async () => {
    // Items as the version before themes filed them: the service without a themer leaves theme and terms empty
    // (NULL terms: never read), as the upgrade finds them. (Migrating only up to 15 first would tie this test to
    // whatever later migrations the current service writes to.)
    migrate(db, migrations, silentLogger);
    const before = createFeedbackService({ db, clock, config: () => config, logger: silentLogger });
    const old = [
      'charged twice for the March invoice',
      'customer charged twice on the invoice',
      'the app crashes when I open the basket',
      'app crashes at start since the update',
      'the customer said thanks',
    ].map((summary) => file(before, summary));
    clock.advance(DAY);
    // Retention removed the oldest item's words after the upgrade, before the backfill reached it.
    const erased = file(before, 'charged twice, the invoice is wrong');
    db.prepare('UPDATE feedback_items SET created_at = 0 WHERE id = ?').run(erased);
    purgeCustomerDetails(db, { days: 365, now: clock.now(), by: 'schedule' });

    const { work, feedback } = themesOn(db);
    expect(old.map(themeOf)).toEqual([null, null, null, null, null]);
    await settle(work);
    const [a, b, c, d, thanks] = old.map(themeOf);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(c).not.toBeNull();
    expect(d).toBe(c);
    expect(c).not.toBe(a);
    expect(thanks).toBeNull(); // no meaningful word: no theme
    expect(themeOf(erased)).toBeNull();
    expect(db.prepare('SELECT backfill_done FROM theme_progress').pluck().get()).toBe(1);
    // New items join the backfilled themes.
    expect(themeOf(file(feedback, 'invoice charged twice again'))).toBe(a);
  });
});

describe('retention', () => {
  it('keeps the theme of an item whose words were removed, through regroups', async () => {
    migrate(db, migrations, silentLogger);
    const { work, feedback } = themesOn(db);
    const first = file(feedback, 'charged twice for the March invoice');
    clock.advance(400 * DAY);
    const second = file(feedback, 'customer charged twice on the invoice');
    const theme = themeOf(first);
    purgeCustomerDetails(db, { days: 365, now: clock.now(), by: 'schedule' });
    expect(db.prepare('SELECT theme_terms FROM feedback_items WHERE id = ?').pluck().get(first)).toBe('[]');
    file(feedback, 'the app crashes at start');
    await settle(work);
    expect(themeOf(first)).toBe(theme);
    expect(themeOf(second)).toBe(theme);
    expect(getTheme(db, theme as number)?.itemCount).toBe(2);
  });

  it('follows a removal made by the forget tool (another process): no word of the customer is left in themes', async () => {
    migrate(db, migrations, silentLogger);
    const { work, feedback } = themesOn(db);
    const initech = (summary: string) =>
      feedback.submit(newFeedback({ customer: 'Initech', summary })).item.id;
    const acme = initech('Initech invoice charged twice');
    initech('Initech charged twice on the invoice');
    const other = file(feedback, 'charged twice again');
    await settle(work);
    const theme = themeOf(acme) as number;
    expect(getTheme(db, theme)?.topTerms).toContain('initech');
    const themeWords = () =>
      JSON.stringify([
        db.prepare('SELECT * FROM themes').all(),
        db.prepare('SELECT * FROM theme_term_counts').all(),
        db.prepare('SELECT * FROM theme_vocabulary').all(),
        db.prepare('SELECT theme_terms FROM feedback_items').all(),
      ]);
    expect(themeWords()).toMatch(/initech/i);
    // What `npm run forget` does, with the app's model untouched.
    forgetCustomer(db, { name: 'initech', now: clock.now(), by: 'cli:test' });
    await settle(work);
    expect(themeWords()).not.toMatch(/initech/i);
    expect([themeOf(acme), themeOf(other)]).toEqual([theme, theme]);
    expect(getTheme(db, theme)?.topTerms).toEqual(['charged', 'twice']);
  });
});

describe('ids across regroups', () => {
  it('merges themes that say the same thing and leads a merged theme reference to the theme it went into', async () => {
    migrate(db, migrations, silentLogger);
    const { work, feedback, index } = themesOn(db);
    const items = [
      'charged twice for the order',
      'double charge on the credit card statement',
      'charged twice on my card',
      'double charge on the card statement again',
    ].map((summary) => file(feedback, summary));
    const opened = new Set(items.map(themeOf));
    expect(opened.size).toBeGreaterThan(1);
    await settle(work);
    const kept = themeOf(items[0] as number) as number;
    for (const item of items) expect(themeOf(item)).toBe(kept);
    const gone = [...opened].find((id) => id !== kept) as number;
    expect(getTheme(db, gone)).toMatchObject({ mergedInto: kept, itemCount: 0 });
    expect(getTheme(db, kept)?.itemCount).toBe(4);

    // After a restart the model is read back from the database: same themes, same counts, same next id.
    const reloaded = createThemeIndex({ db, language: () => 'en', logger: silentLogger });
    expect(reloaded.model.theme(kept)?.size).toBe(index.model.theme(kept)?.size);
    expect(reloaded.model.theme(kept)?.counts).toEqual(index.model.theme(kept)?.counts);
    expect(reloaded.model.newThemeId()).toBe(index.model.newThemeId());

    const outcome = renameThemeFromCommand(db, {
      text: ` TH-${gone} "double charges"`,
      userId: 'U0BILEAD01',
      mayRename: true,
      now: clock.now(),
    });
    expect(outcome).toEqual({ kind: 'renamed', id: kept, name: 'double charges', asked: gone });
    expect(getTheme(db, kept)?.name).toBe('double charges');
  });
});

/** The query plan of each statement run, with the values it was run with. */
function plans(executions: { sql: string; args: unknown[] }[]): string[] {
  return executions.map(({ sql, args }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
      .map((r) => r.detail)
      .join('; '),
  );
}
/** A scan of a table (json_each reads the statement's own argument). */
const TABLE_SCAN = /SCAN (?!json_each)/;

describe('cost at a year of data (statement plans)', () => {
  it('assigns a new item through indexes only: no scan of items, themes or terms', async () => {
    migrate(db, migrations, silentLogger);
    const { feedback } = themesOn(db);
    for (let i = 0; i < 30; i++) file(feedback, `charged twice on invoice ${i}, card statement`);
    const executions = await executionsOf(db, async () => {
      file(feedback, 'card charged twice for one invoice');
    });
    const themed = executions.filter(({ sql }) => /theme/i.test(sql));
    expect(themed.length).toBeGreaterThan(4);
    for (const [i, plan] of plans(themed).entries()) expect(plan, themed[i]?.sql).not.toMatch(TABLE_SCAN);
  });

  it('regroups in slices, each reading a bounded range of items through an index', async () => {
    migrate(db, migrations, silentLogger);
    const { feedback, index } = themesOn(db);
    for (let i = 0; i < 300; i++) {
      file(
        feedback,
        ['charged twice on the invoice', 'app crashes at start', 'parcel arrived late'][i % 3] as string,
      );
    }
    const work = createThemeWork({ db, index, clock, logger: silentLogger, slicesPerTick: 1 });
    const executions = await executionsOf(db, async () => {
      for (let tick = 0; tick < 40; tick++) await work.run(clock.now());
    });
    const reads = executions.filter(({ sql }) => /FROM feedback_items/.test(sql) && /^\s*SELECT/i.test(sql));
    expect(reads.length).toBeGreaterThan(2);
    for (const { sql, args } of reads) {
      expect(sql).toMatch(/LIMIT \?|WHERE id = \?/);
      const limit = /LIMIT \?/.test(sql) ? (args.at(-1) as number) : 1;
      expect(limit).toBeLessThanOrEqual(200);
    }
    for (const [i, plan] of plans(executions).entries())
      expect(plan, executions[i]?.sql).not.toMatch(TABLE_SCAN);
  });
});

describe('giving way to people', () => {
  /** Items filed before themes existed (their backfill is the work), and a worker seeing `requests` under way. */
  function upgradedWith(
    summaries: readonly string[],
    options: Partial<Parameters<typeof createThemeWork>[0]>,
  ) {
    migrate(db, migrations, silentLogger);
    const before = createFeedbackService({ db, clock, config: () => config, logger: silentLogger });
    const items = summaries.map((s) => file(before, s));
    const index = createThemeIndex({ db, language: () => 'en', logger: silentLogger });
    return { items, work: createThemeWork({ db, index, clock, logger: silentLogger, ...options }) };
  }

  it('starts no slice while a Slack request is being answered, and goes on once none is', async () => {
    let requests = 1;
    const { items, work } = upgradedWith(
      ['charged twice for the March invoice', 'the app crashes when I open the basket'],
      { requestsInFlight: () => requests, tickWallMs: 60_000 },
    );
    const ran = work.run(clock.now());
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A request is under way: the backfill has not begun.
    expect(items.map(themeOf)).toEqual([null, null]);
    requests = 0;
    expect(await ran).toBeGreaterThan(0);
    expect(items.map(themeOf).every((theme) => theme !== null)).toBe(true);
  });

  it('still works under a steady stream of requests, a slice at a time', async () => {
    const { items, work } = upgradedWith(['charged twice for the March invoice'], {
      requestsInFlight: () => 1,
      slicesPerTick: 2,
    });
    expect(await work.run(clock.now())).toBeGreaterThan(0);
    expect(themeOf(items[0] as number)).not.toBeNull();
  });
});
