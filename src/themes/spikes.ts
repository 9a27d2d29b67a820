import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Department } from '../config/org-schema.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { periodStart, weeksEndingAt } from '../time/local-time.js';
import { detectSpike, SPIKE_HISTORY_WEEKS, SPIKE_MIN_ITEMS } from './spike.js';
import { DAY_MS } from './theme-pieces.js';
import { refreshThemeTotals, themeSums, weeklyCounts } from './theme-totals.js';
import { examplesOf } from './top-themes.js';

/**
 * Spikes (spike.ts's rule) posted to the department's channel once per theme and week. The minute tick looks only
 * at departments with new items or changed themes since its last look: this week's counts per theme from the
 * running totals, then the eight weeks before for the few themes with enough items this week.
 */

const EXAMPLES = 3;
/** Marked running-total buckets a look counts again between two turns of the event loop (about 10 ms). */
const RECOUNT_STEP = 50;

/** What the last look saw: the newest item and the latest theme change (a restart looks once more). */
export type SpikeWatermark = { lastItemId: number; lastThemeChange: number };

function watermark(db: Db): SpikeWatermark {
  return {
    lastItemId: (stmt(db, 'SELECT MAX(id) FROM feedback_items').pluck().get() as number | null) ?? 0,
    lastThemeChange: (stmt(db, 'SELECT MAX(updated_at) FROM themes').pluck().get() as number | null) ?? 0,
  };
}

/** The departments of the items filed since the last look. */
export const FILED_SINCE_SQL =
  'SELECT DISTINCT department_id FROM feedback_items NOT INDEXED WHERE id > ? AND department_id IS NOT NULL';

/** The days a department's look reads: this week so far and the weeks its history compares with. */
function lookedAtDays(department: Department, now: number): { start: number; end: number } {
  const weekStart = periodStart('week', now, department.timezone);
  const weeks = weeksEndingAt(weekStart, department.timezone, SPIKE_HISTORY_WEEKS);
  return { start: weeks[0]?.start ?? weekStart, end: now };
}

/**
 * Before a department's look: its marked buckets of those days are counted again in steps, the event loop given
 * back between them. Counted by the look's reads they were one step, however many a regroup had just marked.
 */
async function recountLookedAtDays(db: Db, department: Department, now: number): Promise<void> {
  const scope = { departments: [department.id] };
  const days = lookedAtDays(department, now);
  while (refreshThemeTotals(db, scope, days, RECOUNT_STEP) === RECOUNT_STEP) await yieldToEventLoop();
}

/** Queue a post for each theme spiking this week in each department; returns how many were queued. */
function queueDepartmentSpikes(db: Db, department: Department, now: number): number {
  const scope = { departments: [department.id] };
  const weekStart = periodStart('week', now, department.timezone);
  const thisWeek = themeSums(db, scope, { start: weekStart, end: now }, now);
  const candidates = [...thisWeek].filter(([, s]) => s.count >= SPIKE_MIN_ITEMS).map(([id]) => id);
  if (candidates.length === 0) return 0;
  const history = weeklyCounts(
    db,
    scope,
    candidates,
    weeksEndingAt(weekStart, department.timezone, SPIKE_HISTORY_WEEKS),
  );
  let queued = 0;
  for (const themeId of candidates) {
    const verdict = detectSpike(thisWeek.get(themeId)?.count ?? 0, history.get(themeId) ?? []);
    if (!verdict.spike) continue;
    const posted = enqueueOutbox(
      db,
      {
        kind: 'themes.spike',
        payload: {
          departmentId: department.id,
          channel: department.channel,
          themeId,
          weekStart,
          count: verdict.count,
          baseline: verdict.baseline,
          examples: examplesOf(db, scope, themeId, { start: weekStart, end: now }, EXAMPLES),
        },
        dedupeKey: `theme-spike:${department.id}:${themeId}:${weekStart}`,
        orderingKey: department.channel,
      },
      now,
    );
    if (posted) queued += 1;
  }
  return queued;
}

/**
 * The departments whose themes may have moved since the last look: those of new items, and those holding items of
 * a theme changed since (a regroup moved items into it) this week.
 */
function departmentsToLook(
  db: Db,
  departments: readonly Department[],
  last: SpikeWatermark | undefined,
  sinceDay: number,
): Department[] {
  if (!last) {
    // The first look after a start: the departments holding themed items these days (counted or marked).
    const held = stmt(
      db,
      `SELECT department_id FROM theme_day_totals WHERE day >= ?
         UNION SELECT department_id FROM theme_totals_dirty WHERE day >= ?`,
    )
      .pluck()
      .all(sinceDay, sinceDay) as string[];
    return departments.filter((d) => held.includes(d.id));
  }
  // NOT INDEXED: a step along the primary key past the last look. For the DISTINCT, SQLite otherwise walked the
  // whole department index (1M entries at a year of data: 33 ms warm, 205 ms cold, the minute after start).
  const ids = new Set(stmt(db, FILED_SINCE_SQL).pluck().all(last.lastItemId) as string[]);
  const themes = stmt(db, 'SELECT id FROM themes WHERE updated_at > ?')
    .pluck()
    .all(last.lastThemeChange) as number[];
  for (const themeId of themes) {
    const held = stmt(
      db,
      'SELECT DISTINCT department_id FROM theme_day_totals WHERE theme_id = ? AND day >= ?',
    )
      .pluck()
      .all(themeId, sinceDay) as string[];
    for (const id of held) ids.add(id);
  }
  return departments.filter((d) => ids.has(d.id));
}

/**
 * The minute tick's look for spikes: only when items or themes changed, only where; `seen` is updated in place.
 * One department at a time, giving the event loop back between them (the first look after a start covers every
 * department: 130 ms in one go for 20 departments at a year of data).
 */
export async function queueThemeSpikes(
  db: Db,
  departments: readonly Department[],
  now: number,
  seen: { last: SpikeWatermark | undefined },
): Promise<number> {
  const current = watermark(db);
  const last = seen.last;
  if (last && last.lastItemId === current.lastItemId && last.lastThemeChange === current.lastThemeChange)
    return 0;
  // Theme changes of the last eight days reach any department's week so far, whatever its time zone.
  const changed = departmentsToLook(db, departments, last, Math.floor(now / DAY_MS) - 8);
  seen.last = current;
  // The departments' weeks share their partly covered days: each is read once for all of them (themed-days.ts).
  let queued = 0;
  for (const [i, department] of changed.entries()) {
    if (i > 0) await yieldToEventLoop();
    await recountLookedAtDays(db, department, now);
    queued += db.transaction(() => queueDepartmentSpikes(db, department, now))();
  }
  return queued;
}
