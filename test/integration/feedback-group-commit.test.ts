import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSimilarItemIds } from '../../src/feedback/recurrence-repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { createThemeIndex, type ThemeIndex } from '../../src/themes/theme-index.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * `submitSoon`: the submissions of one turn of the event loop are stored in one transaction (the intake
 * benchmark's commits wrote ~39 WAL pages per item one at a time), and each still behaves as if it had been
 * committed alone: linked to the similar reports filed before it, rejected alone when its own writes fail.
 */

let store: ReturnType<typeof tempDatabase>;
let service: FeedbackService;
let themes: ThemeIndex;
const clock = manualClock();
const config = orgConfig();
/** Summaries containing this word fail at the end of their transaction (after themes and links were written). */
const FAIL = 'explodes';

beforeEach(() => {
  store = tempDatabase();
  themes = createThemeIndex({ db: store.db, language: () => 'en', logger: silentLogger });
  service = createFeedbackService({
    db: store.db,
    clock,
    config: () => config,
    logger: silentLogger,
    themes,
    onFiled: ({ input }) => {
      if (input.summary.includes(FAIL)) throw new Error('a write of this item failed');
    },
  });
});
afterEach(() => store.remove());

const count = (table: string) => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

function transactionsDuring<T>(run: () => Promise<T>): Promise<{ result: T; begun: number }> {
  let begun = 0;
  const stop = watchStatements(store.db, (sql) => {
    if (sql.startsWith('BEGIN')) begun += 1;
  });
  return run()
    .then((result) => ({ result, begun }))
    .finally(stop);
}

describe('submitting feedback in the same turn', () => {
  it('stores the turn in one transaction, each item linked to the similar ones filed before it', async () => {
    const { result, begun } = await transactionsDuring(() =>
      Promise.all(
        [1, 2, 3].map((n) => service.submitSoon(newFeedback({ summary: `invoice ${n} charged twice` }))),
      ),
    );
    expect(begun).toBe(1);
    const [first, second, third] = result.map((r) => r.item.id);
    expect(count('feedback_items')).toBe(3);
    expect(count('outbox')).toBe(3);
    expect(listSimilarItemIds(store.db, third ?? 0).sort()).toEqual([first, second]);
    expect(result.map((r) => r.duplicate)).toEqual([false, false, false]);
  });

  it('answers a repeated submission in the same turn with the first item', async () => {
    const input = newFeedback();
    const [a, b] = await Promise.all([service.submitSoon(input), service.submitSoon(input)]);
    expect(b?.item.id).toBe(a?.item.id);
    expect(b?.duplicate).toBe(true);
    expect(count('feedback_items')).toBe(1);
  });

  it('rejects only the submission whose writes failed; the others of its turn are stored', async () => {
    const results = await Promise.allSettled([
      service.submitSoon(newFeedback({ summary: 'invoice charged twice' })),
      service.submitSoon(newFeedback({ summary: `invoice charged twice and ${FAIL}` })),
      service.submitSoon(newFeedback({ summary: 'invoice charged twice again' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(count('feedback_items')).toBe(2);
    expect(count('feedback_events')).toBe(2);
    expect(count('outbox')).toBe(2);
    // The theme statistics hold the two stored items only, in the file and in the model filing goes on with.
    const modelItems = () => [...themes.model.themes()].reduce((n, t) => n + t.size, 0);
    expect(store.db.prepare('SELECT SUM(item_count) FROM themes').pluck().get()).toBe(2);
    expect(modelItems()).toBe(2);
    expect(themes.model.vocabulary.documents).toBe(2);
    const later = await service.submitSoon(newFeedback({ summary: 'invoice charged twice once more' }));
    expect(modelItems()).toBe(3);
    expect(listSimilarItemIds(store.db, later.item.id)).toHaveLength(2);
  });

  it('rejects every submission of the turn when the transaction cannot begin, and stores them when retried', async () => {
    const other = new Database(store.path);
    other.exec('BEGIN IMMEDIATE'); // another writer (a backup, a CLI tool) holds the lock past the busy timeout
    const inputs = [1, 2].map((n) => newFeedback({ summary: `parcel ${n} never arrived` }));
    const failed = await Promise.allSettled(inputs.map((input) => service.submitSoon(input)));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    other.exec('ROLLBACK');
    other.close();
    expect(count('feedback_items')).toBe(0);
    const retried = await Promise.all(inputs.map((input) => service.submitSoon(input)));
    expect(retried.map((r) => r.duplicate)).toEqual([false, false]);
    expect(count('feedback_items')).toBe(2);
  });
});
