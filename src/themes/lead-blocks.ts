import type { KnownBlock } from '@slack/types';
import type { Period } from '../metrics/numbers.js';
import { section } from '../slack/blocks.js';
import type { Db } from '../store/db.js';
import { weeksEndingAt } from '../time/local-time.js';
import { focusProgress } from './focus-progress.js';
import { focusProgressText } from './focus-text.js';
import { THEME_TREND_WEEKS } from './theme-periods.js';
import { themeHeadline, weeklyLine } from './themes-text.js';
import { type CountedThemes, type TopTheme, topThemes } from './top-themes.js';

/** What digests and team reminders lead with: the top three themes by impact, and the team's focus. */

const LEAD = 3;

/**
 * The top three themes of some departments over a closed period, with impact as it stood at its end. `counted`:
 * their sums and weekly counts, when already counted (digests share them per department).
 */
export function leadThemes(
  db: Db,
  departmentIds: readonly string[],
  period: Period,
  previous: Period,
  weeks: readonly Period[],
  counted?: CountedThemes,
): TopTheme[] {
  return topThemes(db, {
    scope: { departments: departmentIds },
    period,
    previous,
    weeks,
    now: period.end,
    limit: LEAD,
    examples: 0,
    counted,
  });
}

/** One section: each theme with its trend and its weekly counts (oldest first); none without themes. */
export function leadThemesBlocks(themes: readonly TopTheme[], previousLabel: string): KnownBlock[] {
  if (themes.length === 0) return [];
  const lines = themes.map(
    (t, i) => `${i + 1}. ${themeHeadline(t, previousLabel)}\n     weekly ${weeklyLine(t.weekly)}`,
  );
  return [section(`*Top themes by impact*\n${lines.join('\n')}`)];
}

/** A team reminder's lead: its top three themes over the reminder's period, then its focus and how it goes. */
export function reminderLeadBlocks(
  db: Db,
  department: { id: string; timezone: string },
  period: Period,
): KnownBlock[] {
  const previous = { start: period.start - (period.end - period.start), end: period.start };
  const weeks = weeksEndingAt(period.end, department.timezone, THEME_TREND_WEEKS);
  const blocks = leadThemesBlocks(
    leadThemes(db, [department.id], period, previous, weeks),
    'the period before',
  );
  const focus = focusProgress(db, department, period.end);
  if (focus) blocks.push(section(focusProgressText(focus, department.timezone)));
  return blocks;
}
