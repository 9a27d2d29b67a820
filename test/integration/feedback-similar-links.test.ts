import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { FEEDBACK_LIMITS } from '../../src/feedback/types.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { executionsOf } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * A burst of one recurring complaint (an outage): each new report is like every earlier one. Its filing stores
 * the links its post names, not every match (50 were kept: ~39 link rows per item in the intake benchmark),
 * and writes the item's row once, with its words and how many reports it matched.
 */

let store: ReturnType<typeof tempDatabase>;
let service: FeedbackService;
const clock = manualClock();

beforeEach(() => {
  store = tempDatabase();
  service = createFeedbackService({ db: store.db, clock, config: () => orgConfig(), logger: silentLogger });
});
afterEach(() => store.remove());

const fileOne = (n: number) => service.submitSoon(newFeedback({ summary: `invoice ${n} charged twice` }));

describe('filing a report like many before it', () => {
  it('links the reports its post names, counts every match, and writes its row once', async () => {
    for (let n = 1; n <= 14; n += 1) await fileOne(n);
    const statements = await executionsOf(store.db, () => fileOne(15));
    const item = getFeedbackItem(store.db, 15);
    expect(item?.similarCount).toBe(14);
    const links = store.db.prepare('SELECT COUNT(*) FROM feedback_similar WHERE item_id = 15').pluck().get();
    expect(links).toBe(FEEDBACK_LIMITS.similarNamed);
    // The words and the count go in with the INSERT: no UPDATE of the new row for them.
    const updates = statements.filter(({ sql }) =>
      /UPDATE feedback_items SET (similarity_words|similar_count)/.test(sql),
    );
    expect(updates).toEqual([]);
    const words = store.db.prepare('SELECT similarity_words FROM feedback_items WHERE id = 15').pluck().get();
    expect(String(words).split(' ').sort()).toEqual(['15', 'charged', 'invoice', 'twice']);
  });
});
