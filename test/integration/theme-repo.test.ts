import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { createTheme, getTheme, setItemTheme } from '../../src/themes/theme-repo.js';
import { newFeedback, orgConfig } from '../support/org-fixture.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

let store: ReturnType<typeof tempDatabase>;
let feedback: FeedbackService;
const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));

beforeEach(() => {
  store = tempDatabase();
  const config = orgConfig();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
});
afterEach(() => store.remove());

const themeOf = (itemId: number) =>
  store.db.prepare('SELECT theme_id FROM feedback_items WHERE id = ?').pluck().get(itemId) as number | null;

it('moves items between themes and keeps each theme item count with them', () => {
  const first = feedback.submit(newFeedback({ summary: 'charged twice on the invoice' })).item.id;
  const second = feedback.submit(newFeedback({ summary: 'double charge again' })).item.id;
  const now = clock.now();
  const billing = createTheme(store.db, ['charge', 'invoice'], now);
  const login = createTheme(store.db, ['login'], now);

  setItemTheme(store.db, first, billing, now);
  setItemTheme(store.db, second, billing, now);
  setItemTheme(store.db, second, billing, now); // no change: counted once
  expect(getTheme(store.db, billing)).toMatchObject({
    itemCount: 2,
    topTerms: ['charge', 'invoice'],
    name: null,
  });

  setItemTheme(store.db, second, login, now);
  setItemTheme(store.db, first, null, now);
  expect(themeOf(first)).toBeNull();
  expect(themeOf(second)).toBe(login);
  expect(getTheme(store.db, billing)?.itemCount).toBe(0);
  expect(getTheme(store.db, login)?.itemCount).toBe(1);
});
