import { afterEach, expect, it } from 'vitest';
import { createFeedbackService } from '../../src/feedback/service.js';
import { runFocusCommand } from '../../src/themes/focus-command.js';
import { focusProgress } from '../../src/themes/focus-progress.js';
import { createTheme, setItemTheme } from '../../src/themes/theme-repo.js';
import { loadThemeModel, themeItemsIn } from '../../src/themes/theme-store.js';
import { refreshSomeThemeTotals } from '../../src/themes/theme-totals.js';
import { ids, newFeedback, orgConfig } from '../support/org-fixture.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * A team's focus theme and the write side's regroup: when the regroup merges themes, `/loop focus … TH-x` of the
 * merged one (even through a chain of merges) leads to the theme it joined, and a focus set before the merge
 * follows its items there.
 */

const NOW = Date.parse('2026-11-18T12:00:00Z');
const store = tempDatabase();
afterEach(() => store.remove());

it('resolves a merged theme reference and follows a focus theme into the theme it was merged into', () => {
  const { db } = store;
  const config = orgConfig();
  const clock = manualClock(NOW - 2 * 86_400_000);
  const feedback = createFeedbackService({ db, clock, config: () => config, logger: silentLogger });
  const [a, b, c] = [1, 2, 3].map(() => createTheme(db, ['invoice'], NOW)) as [number, number, number];
  const fileIn = (theme: number) => {
    const { item } = feedback.submit(newFeedback({ summary: 'charged twice', departmentId: 'billing' }));
    setItemTheme(db, item.id, theme, clock.now());
  };
  for (const theme of [a, a, b, b, b, c]) fileIn(theme);
  const billing = config.departments.find((d) => d.id === 'billing');
  if (!billing) throw new Error('no billing');
  const focus = (args: string) => runFocusCommand({ db, config, now: NOW }, ids.billingLead, args);
  expect(focus(`billing TH-${b} max:2/week`)).toMatchObject({
    kind: 'set',
    progress: { reference: `TH-${b}` },
  });

  // The regroup merges b into a, then c into b's successor through the stale reference chain c -> b -> a.
  const items = themeItemsIn(db, loadThemeModel(db), () => NOW);
  items.merged(b, a);
  while (items.follow(b, a, 2) > 0);
  items.merged(c, b);
  while (items.follow(c, a, 2) > 0);
  refreshSomeThemeTotals(db, 1_000);

  const progress = focusProgress(db, { id: 'billing', timezone: 'UTC' }, NOW);
  expect(progress).toMatchObject({ reference: `TH-${a}`, countSinceStart: 0 }); // filed before the focus began
  clock.set(NOW + 60_000);
  fileIn(a);
  refreshSomeThemeTotals(db, 1_000);
  expect(focusProgress(db, { id: 'billing', timezone: 'UTC' }, NOW + 3_600_000)?.countSinceStart).toBe(1);

  expect(focus(`billing TH-${c} max:2/week`)).toMatchObject({
    kind: 'set',
    progress: { reference: `TH-${a}` },
  });
  expect(focus('billing TH-999 max:2/week')).toMatchObject({ kind: 'unknown-theme' });
});
