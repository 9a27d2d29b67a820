import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackService } from '../../src/feedback/service.js';
import { purgeCustomerDetails } from '../../src/retention/customer-details.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createThemeIndex, type ThemeIndex } from '../../src/themes/theme-index.js';
import { resolveTheme, setItemTheme } from '../../src/themes/theme-repo.js';
import { countInTheme, countInVocabulary } from '../../src/themes/theme-store.js';
import { createThemeWork, type ThemeWork } from '../../src/themes/theme-work.js';
import { adjustedRandIndex } from '../support/adjusted-rand.js';
import { captureLogs } from '../support/log-capture.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';
import { manualClock, silentLogger, tempDir } from '../support/temp-dir.js';

/**
 * The themes' background work stopped after any slice (the process killed, or a slice failing) and resumed by a
 * new process on the same file: the result must be as consistent, and group as well, as a run never stopped.
 */

type CorpusItem = { id: number; lang: string; theme: string; text: string };
const english = (
  JSON.parse(readFileSync(new URL('../fixtures/theme-corpus.json', import.meta.url), 'utf8')) as CorpusItem[]
).filter((c) => c.lang === 'en');

const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
/** Slices of a fixed size, so slice k is the same work in every run. */
const SLICE_UNITS = 6;

let dir: ReturnType<typeof tempDir>;
/** The corpus filed by the version before themes: the backfill, then the regroup, have all of it to do. */
let base: string;
/** Item id -> the corpus item's true theme. */
const truth = new Map<number, string>();
const old: number[] = [];

beforeAll(() => {
  dir = tempDir();
  base = join(dir.path, 'base.db');
  const db = openDatabase(base);
  migrate(db, migrations, silentLogger);
  const feedback = createFeedbackService({ db, clock, config: () => orgConfig(), logger: silentLogger });
  // Every 17th item (206 is 2 x 103: each once): in this order a regroup pass finds incoherent themes, so
  // dissolving is part of the work.
  for (const item of english.map((_, i) => english[(i * 17) % english.length] as CorpusItem))
    truth.set(feedback.submit(newFeedback({ summary: item.text })).item.id, item.theme);
  // A fifth of the items are old enough for retention to remove their customer details (the removal test).
  old.push(...[...truth.keys()].filter((_, i) => i % 5 === 0));
  const ago = clock.now() - 400 * 86_400_000;
  for (const id of old) db.prepare('UPDATE feedback_items SET created_at = ? WHERE id = ?').run(ago, id);
  db.close();
});
afterAll(() => dir.remove());

let copies = 0;
/** A fresh copy of the base database, opened. */
function copyOfBase(): { db: Db; path: string } {
  const path = join(dir.path, `run-${copies++}.db`);
  const source = openDatabase(base, { readonly: true });
  source.exec(`VACUUM INTO '${path}'`);
  source.close();
  return { db: openDatabase(path), path };
}

/** What a process starting on the file builds: the model read from the database, and the worker. */
function startOn(db: Db, sliceUnits = SLICE_UNITS): { index: ThemeIndex; work: ThemeWork } {
  const index = createThemeIndex({ db, language: () => 'en', logger: silentLogger });
  const work = createThemeWork({
    db,
    index,
    clock,
    logger: silentLogger,
    slicesPerTick: 1,
    regroupSliceUnits: sliceUnits,
  });
  return { index, work };
}

/** Ticks of one slice each until the work is done; how many slices ran. */
async function runToEnd(work: ThemeWork): Promise<number> {
  for (let slices = 0; slices < 10_000; slices++) if ((await work.run(clock.now())) === 0) return slices;
  throw new Error('theme work did not settle');
}

const itemThemes = (db: Db) =>
  db.prepare('SELECT id, theme_id FROM feedback_items WHERE theme_id IS NOT NULL ORDER BY id').all() as {
    id: number;
    theme_id: number;
  }[];

function ari(db: Db): number {
  const rows = itemThemes(db).filter((r) => truth.has(r.id));
  return adjustedRandIndex(
    rows.map((r) => truth.get(r.id)),
    rows.map((r) => r.theme_id),
  );
}

/**
 * What must hold whenever the work is between slices: (a) every item's theme exists, is live (not merged into
 * another) and not empty; (b) each theme's item count and term counts are the sums over its items, and the live
 * model holds the same; (c) every theme id ever shown leads to a live theme.
 */
function expectConsistent(db: Db, index: ThemeIndex, when: string): void {
  const orphans = db
    .prepare(
      `SELECT f.id, f.theme_id, t.merged_into, t.item_count FROM feedback_items f
         LEFT JOIN themes t ON t.id = f.theme_id
       WHERE f.theme_id IS NOT NULL AND (t.id IS NULL OR t.merged_into IS NOT NULL OR t.item_count <= 0)`,
    )
    .all();
  expect(orphans, `${when}: items in a theme that is gone`).toEqual([]);

  const sizes = db
    .prepare(
      `SELECT t.id, t.item_count, (SELECT count(*) FROM feedback_items f WHERE f.theme_id = t.id) AS items
         FROM themes t WHERE t.item_count <> (SELECT count(*) FROM feedback_items f WHERE f.theme_id = t.id)`,
    )
    .all();
  expect(sizes, `${when}: themes whose item count is not their items'`).toEqual([]);
  const counts = (sql: string) =>
    (db.prepare(sql).all() as { theme_id: number; term: string; items: number }[]).map(
      (r) => `${r.theme_id} ${r.term} ${r.items}`,
    );
  expect(
    counts('SELECT theme_id, term, items FROM theme_term_counts ORDER BY 1, 2'),
    `${when}: stored term counts are not the sums over the items`,
  ).toEqual(
    counts(
      `SELECT f.theme_id, j.value AS term, count(*) AS items FROM feedback_items f, json_each(f.theme_terms) j
         WHERE f.theme_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  );

  // The model holds every theme with terms (one whose items all had their words removed may be left out), each
  // with its items' count and term counts.
  const withTerms = db
    .prepare(
      `SELECT id, item_count FROM themes t WHERE merged_into IS NULL
         AND EXISTS (SELECT 1 FROM theme_term_counts c WHERE c.theme_id = t.id) ORDER BY id`,
    )
    .all() as { id: number; item_count: number }[];
  const held = (ids: readonly number[]) => ids.map((id) => ({ id, item_count: index.model.theme(id)?.size }));
  expect(held(withTerms.map((t) => t.id)), `${when}: the model's themes`).toEqual(withTerms);
  const itemCount = db.prepare('SELECT item_count FROM themes WHERE id = ? AND merged_into IS NULL').pluck();
  for (const theme of index.model.themes())
    expect(itemCount.get(theme.id), `${when}: TH-${theme.id} in memory`).toBe(theme.size);
  for (const theme of index.model.themes()) {
    const stored = counts(`SELECT theme_id, term, items FROM theme_term_counts WHERE theme_id = ${theme.id}`);
    const memory = [...theme.counts].map(([term, n]) => `${theme.id} ${term} ${n}`);
    expect(memory.sort(), `${when}: TH-${theme.id} in memory`).toEqual(stored.sort());
  }

  for (const id of db.prepare('SELECT id FROM themes').pluck().all() as number[]) {
    const to = resolveTheme(db, id);
    expect(to?.mergedInto ?? null, `${when}: TH-${id} leads to TH-${to?.id}`).toBeNull();
    expect(to?.itemCount, `${when}: TH-${id} leads to TH-${to?.id}, empty`).toBeGreaterThan(0);
  }
}

const liveThemes = (db: Db) =>
  new Set(
    db
      .prepare('SELECT id FROM themes WHERE item_count > 0 AND merged_into IS NULL')
      .pluck()
      .all() as number[],
  );
const dissolving = (db: Db) =>
  JSON.parse(db.prepare('SELECT dissolving FROM theme_progress').pluck().get() as string) as number[];

/** Slices of the uninterrupted run, and its grouping's ARI. */
async function uninterrupted(sliceUnits = SLICE_UNITS): Promise<{ slices: number; ari: number }> {
  const { db } = copyOfBase();
  const { index, work } = startOn(db, sliceUnits);
  const slices = await runToEnd(work);
  expectConsistent(db, index, 'uninterrupted');
  const result = { slices, ari: ari(db) };
  db.close();
  return result;
}

const mean = (xs: readonly number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;

describe('themes background work stopped after any slice and resumed', () => {
  it('by a new process: consistent, the ids users saw still lead to a theme, grouping as well as a run never stopped', async () => {
    const whole = await uninterrupted();
    expect(whole.slices).toBeGreaterThan(100);
    const aris: number[] = [];
    for (let k = 1; k < whole.slices; k++) {
      const run = copyOfBase();
      const first = startOn(run.db);
      for (let i = 0; i < k; i++) expect(await first.work.run(clock.now())).toBe(1);
      const shown = liveThemes(run.db);
      const incoherent = dissolving(run.db);
      run.db.close();
      // The process is gone; a new one opens the file.
      const db = openDatabase(run.path);
      const second = startOn(db);
      await runToEnd(second.work);
      const when = `stopped after slice ${k}`;
      expectConsistent(db, second.index, when);
      for (const id of shown) expect(resolveTheme(db, id)?.itemCount, `${when}: TH-${id}`).toBeGreaterThan(0);
      // The themes the last pass before the stop found incoherent were dissolved by the next one.
      const live = liveThemes(db);
      expect(
        incoherent.filter((id) => live.has(id)),
        `${when}: not dissolved`,
      ).toEqual([]);
      aris.push(ari(db));
      db.close();
    }
    // A pass stopped in its reassignment goes on after the last item it reached, but without the coherence of the
    // items before (which themes the next pass dissolves) and with norms fresh from the file; stopped before, it
    // starts again from the top on what the slices before the stop left. So it may end in another grouping: on
    // average as good, and never much worse.
    // Measured on this order of the corpus: uninterrupted 0.653 in 209 slices; over the 208 stops mean 0.653, lowest
    // 0.650. (Before the fix, stops during a pass's merges left counts that disagreed with the items.)
    expect(mean(aris)).toBeGreaterThanOrEqual(whole.ari - 0.01);
    expect(Math.min(...aris)).toBeGreaterThanOrEqual(whole.ari - 0.08);
  }, 600_000);

  it('by a removal of customer details made between two slices by another process (the forget tool, retention)', async () => {
    // Slices three times as large here: other slice boundaries, and half the time.
    const whole = await uninterrupted(3 * SLICE_UNITS);
    for (let k = 1; k < whole.slices; k++) {
      const run = copyOfBase();
      const { index, work } = startOn(run.db, 3 * SLICE_UNITS);
      for (let i = 0; i < k; i++) expect(await work.run(clock.now())).toBe(1);
      const other = openDatabase(run.path);
      const erased = purgeCustomerDetails(other, { days: 365, now: clock.now(), by: 'schedule' }).items;
      other.close();
      expect(erased).toBe(old.length);
      expect(erased).toBeGreaterThan(40);
      // The same process goes on: its next tick follows the removal (the model read again) and finishes the work.
      await runToEnd(work);
      const when = `removal after slice ${k}`;
      expectConsistent(run.db, index, when);
      const counted = (sql: string) =>
        (run.db.prepare(sql).all() as { term: string; items: number }[]).map((r) => `${r.term} ${r.items}`);
      expect(counted('SELECT term, items FROM theme_vocabulary ORDER BY 1'), when).toEqual(
        counted(
          `SELECT j.value AS term, count(*) AS items FROM feedback_items f, json_each(f.theme_terms) j
             GROUP BY 1 ORDER BY 1`,
        ),
      );
      run.db.close();
    }
  }, 600_000);
});

describe('a process that just started', () => {
  it('goes on reassigning after the last item the stopped pass reached, without reading the items before again', async () => {
    const run = copyOfBase();
    const { work } = startOn(run.db);
    const position = (database: Db) =>
      database.prepare('SELECT regroup_step AS step, regroup_after AS after FROM theme_progress').get() as {
        step: string | null;
        after: number;
      };
    while (!(position(run.db).step === 'reassign' && position(run.db).after > 100))
      expect(await work.run(clock.now())).toBe(1);
    const reached = position(run.db).after;
    run.db.close();
    const db = openDatabase(run.path);
    const { logger, lines } = captureLogs('info');
    const index = createThemeIndex({ db, language: () => 'en', logger });
    const restarted = createThemeWork({ db, index, clock, logger, slicesPerTick: 1 });
    const read: number[] = [];
    const stop = watchStatements(db, (sql, args) => {
      if (/INDEXED BY feedback_items_regroup/.test(sql)) read.push(args[0] as number);
    });
    while (!lines.some((l) => l.msg === 'themes regrouped')) expect(await restarted.run(clock.now())).toBe(1);
    stop();
    expect(read.length).toBeGreaterThan(0);
    expect(Math.min(...read)).toBe(reached);
    expect(position(db)).toEqual({ step: null, after: 0 });
    db.close();
  });

  it('goes on dissolving the theme the stopped pass was dissolving, and leads its reference on', async () => {
    const dir2 = tempDir();
    const words = [
      ['screen', 'crack', 'glass'],
      ['invoic', 'postcod', 'wrong'],
      ['courier', 'parcel', 'tuesday'],
      ['app', 'crash', 'basket'],
      ['app', 'crash', 'start'],
    ];
    /**
     * As a pass dissolving TH-1 (three items with no word in common) left it, stopped after its first item had
     * started a theme of its own (TH-2); TH-3 holds two items about the app.
     */
    const stoppedWhileDissolving = (name: string) => {
      const db = openDatabase(join(dir2.path, name));
      migrate(db, migrations, silentLogger);
      const feedback = createFeedbackService({ db, clock, config: () => orgConfig(), logger: silentLogger });
      const items = words.map((w) => feedback.submit(newFeedback({ summary: w.join(' ') })).item.id);
      db.exec(`INSERT INTO themes (id, top_terms, created_at, updated_at) VALUES (1, '[]', 0, 0), (2, '[]', 0, 0),
          (3, '[]', 0, 0);
        UPDATE theme_progress SET backfill_done = 1, dissolving = '[1]', regroup_step = 'reassign',
          regroup_after = ${items[0]}`);
      words.forEach((terms, i) => {
        const theme = [2, 1, 1, 3, 3][i] as number;
        db.prepare('UPDATE feedback_items SET theme_terms = ? WHERE id = ?').run(
          JSON.stringify(terms),
          items[i],
        );
        setItemTheme(db, items[i] as number, theme, 0);
        countInTheme(db, theme, terms, 1);
        countInVocabulary(db, terms, new Map());
      });
      return { db, items };
    };
    // Stopped again after each slice of one unit (an item) of what is left, and resumed by a new process.
    for (let k = 0; k < 4; k++) {
      const name = `dissolving-${k}.db`;
      const { db, items } = stoppedWhileDissolving(name);
      for (let i = 0; i < k; i++) await startOn(db, 1).work.run(clock.now());
      db.close();
      const again = openDatabase(join(dir2.path, name));
      const { index, work } = startOn(again);
      await runToEnd(work);
      const when = `stopped again after ${k} items`;
      expectConsistent(again, index, when);
      const themeOf = again.prepare('SELECT theme_id FROM feedback_items WHERE id = ?').pluck();
      const dissolved = items.slice(0, 3).map((id) => themeOf.get(id));
      expect(new Set(dissolved).size, when).toBe(3);
      expect(dissolved, when).not.toContain(1);
      again.close();
    }
    dir2.remove();
  });

  it('puts a new item in the theme it belongs to before its background work has run', async () => {
    const { db } = copyOfBase();
    await runToEnd(startOn(db).work);
    const feedback = (index: ThemeIndex) =>
      createFeedbackService({ db, clock, config: () => orgConfig(), logger: silentLogger, themes: index });
    const text = english.find((c) => c.theme === 'double-charge')?.text as string;
    const themeOf = (id: number) =>
      db.prepare('SELECT theme_id FROM feedback_items WHERE id = ?').pluck().get(id) as number;
    const before = themeOf(feedback(startOn(db).index).submit(newFeedback({ summary: text })).item.id);
    const themes = db.prepare('SELECT count(*) FROM themes').pluck().get();
    // Restarted: the model is read from the file, and an item comes in before the first tick.
    const after = themeOf(feedback(startOn(db).index).submit(newFeedback({ summary: text })).item.id);
    expect(after).toBe(before);
    expect(db.prepare('SELECT count(*) FROM themes').pluck().get()).toBe(themes);
    db.close();
  });
});

describe('upgrading a database an interrupted regroup left inconsistent', () => {
  it('counts the themes’ terms again from their items, and the work goes on from there', async () => {
    const dir2 = tempDir();
    const db = openDatabase(join(dir2.path, 'upgrade.db'));
    migrate(db, migrationsBefore('regroup-resume'), silentLogger);
    const feedback = createFeedbackService({ db, clock, config: () => orgConfig(), logger: silentLogger });
    const words = [
      ['charg', 'twice', 'invoic'],
      ['charg', 'twice', 'card'],
      ['charg', 'twice', 'march'],
    ];
    const items = words.map((w) => feedback.submit(newFeedback({ summary: w.join(' ') })).item.id);
    // What the version before left after a merge of TH-2 into TH-1 stopped before its item followed, then a
    // restart whose regroup moved that item on its own: its terms counted in TH-1 twice.
    db.exec(`INSERT INTO themes (id, top_terms, created_at, updated_at) VALUES (1, '[]', 0, 0), (2, '[]', 0, 0);
      UPDATE themes SET merged_into = 1 WHERE id = 2;
      UPDATE theme_progress SET backfill_done = 1`);
    words.forEach((terms, i) => {
      db.prepare('UPDATE feedback_items SET theme_terms = ? WHERE id = ?').run(
        JSON.stringify(terms),
        items[i],
      );
      setItemTheme(db, items[i] as number, 1, 0);
      countInTheme(db, 1, terms, 1);
      countInVocabulary(db, terms, new Map());
    });
    countInTheme(db, 1, words[2] as string[], 1);
    expect(
      db.prepare("SELECT items FROM theme_term_counts WHERE theme_id = 1 AND term = 'charg'").pluck().get(),
    ).toBe(4);

    migrate(db, migrations, silentLogger);
    const { index, work } = startOn(db);
    await runToEnd(work);
    expectConsistent(db, index, 'upgraded');
    expect(
      db.prepare("SELECT items FROM theme_term_counts WHERE theme_id = 1 AND term = 'charg'").pluck().get(),
    ).toBe(3);
    db.close();
    dir2.remove();
  });
});
