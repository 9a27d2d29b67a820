import type { KnownBlock } from '@slack/types';
import { inOneSlice, type Slicer } from '../jobs/slicer.js';
import { previousPeriod, type TeamNumbers } from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { reminderLeadBlocks } from '../themes/lead-blocks.js';
import { THEME_TREND_WEEKS } from '../themes/theme-periods.js';
import { partlyCoveredDays } from '../themes/theme-totals.js';
import { themedDayItems } from '../themes/themed-days.js';
import { weeksEndingAt } from '../time/local-time.js';
import type { TeamStrategy } from './service.js';

/**
 * What a team reminder shows, counted in slices before it is built (issue 14: built in one go, a reminder held the
 * event loop 45-75 ms of CPU at 1M items): each of the team's numbers for the period and the one before, a step
 * each (teamNumbers counts a number when it is first read and keeps it), the outcomes, the items of the days the
 * theme trend covers in part (a day a step; themed-days.ts keeps them), then the lead themes. Returns the lead
 * themes' blocks; the strategy's numbers are then read from what was kept.
 */
export async function reminderLeadInSlices(
  db: Db,
  strategy: TeamStrategy,
  slices: Slicer,
): Promise<KnownBlock[]> {
  const { department, period } = strategy;
  const each = (numbers: TeamNumbers) =>
    (Object.keys(numbers) as (keyof TeamNumbers)[]).map((key) => () => void numbers[key]);
  const weeks = weeksEndingAt(period.end, department.timezone, THEME_TREND_WEEKS);
  await slices([
    ...each(strategy.numbers),
    ...each(strategy.previousNumbers),
    () => void strategy.outcomes,
    ...partlyCoveredDays([...weeks, previousPeriod(period)]).map(
      ({ day }) =>
        () =>
          void themedDayItems(db, day),
    ),
  ]);
  return inOneSlice(slices, () => reminderLeadBlocks(db, department, period));
}
