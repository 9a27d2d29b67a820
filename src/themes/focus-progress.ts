import type { Db } from '../store/db.js';
import { periodStart, weeksEndingAt } from '../time/local-time.js';
import { currentFocus, type Focus, focusedThemeIds } from './focus-repo.js';
import { roundImpact } from './impact.js';
import { resolveTheme } from './theme-repo.js';
import { themeSums, weeklyCounts } from './theme-totals.js';
import { type TopTheme, themeName, themeReference, topThemes } from './top-themes.js';

/**
 * How a team's focus theme is going: its count in each week since the focus began (the last eight at most), its
 * items and impact since then, whether it stayed at or under the weekly target in the last two full weeks, and
 * then the theme to take on next: the department's top theme by impact over the last four weeks that it has
 * never focused on.
 */

export type FocusWeek = { start: number; end: number; count: number; full: boolean };

export type FocusProgress = {
  focus: Focus;
  reference: string;
  name: string;
  weeks: FocusWeek[];
  countSinceStart: number;
  impactSinceStart: number;
  /** The last two full weeks since the focus began were both at or under the target. */
  metTwoWeeks: boolean;
  /** Proposed when metTwoWeeks. */
  next: TopTheme | undefined;
};

const FOCUS_WEEKS = 8;
const NEXT_WINDOW_MS = 28 * 86_400_000;

function weeksSince(focus: Focus, now: number, zone: string): Omit<FocusWeek, 'count'>[] {
  const thisWeek = periodStart('week', now, zone);
  return [...weeksEndingAt(thisWeek, zone, FOCUS_WEEKS), { start: thisWeek, end: now }]
    .filter((w) => w.end > focus.startedAt && w.start < w.end)
    .map((w) => ({
      start: Math.max(w.start, focus.startedAt),
      end: w.end,
      full: w.start >= focus.startedAt && w.start !== thisWeek,
    }))
    .slice(-FOCUS_WEEKS);
}

/** The next theme to take on: the top one by impact lately that the team has not focused on before. */
function nextTheme(db: Db, departmentId: string, current: number, now: number): TopTheme | undefined {
  const focused = focusedThemeIds(db, departmentId).add(current);
  const candidates = topThemes(db, {
    scope: { departments: [departmentId] },
    period: { start: now - NEXT_WINDOW_MS, end: now },
    previous: { start: now - 2 * NEXT_WINDOW_MS, end: now - NEXT_WINDOW_MS },
    weeks: [],
    now,
    limit: focused.size + 1,
    examples: 0,
  });
  return candidates.find((t) => !focused.has(t.id));
}

export function focusProgress(
  db: Db,
  department: { id: string; timezone: string },
  now: number,
): FocusProgress | undefined {
  const stored = currentFocus(db, department.id);
  if (!stored) return undefined;
  // The regroup may have merged the focus theme since it was set: its items are in the theme it joined now.
  const focus = { ...stored, themeId: resolveTheme(db, stored.themeId)?.id ?? stored.themeId };
  const scope = { departments: [department.id] };
  const spans = weeksSince(focus, now, department.timezone);
  const counts = weeklyCounts(db, scope, [focus.themeId], spans).get(focus.themeId) ?? [];
  const weeks = spans.map((w, i) => ({ ...w, count: counts[i] ?? 0 }));
  const lastFull = weeks.filter((w) => w.full).slice(-2);
  const metTwoWeeks = lastFull.length === 2 && lastFull.every((w) => w.count <= focus.weeklyTarget);
  const since = themeSums(db, scope, { start: focus.startedAt, end: now }, now).get(focus.themeId);
  return {
    focus,
    reference: themeReference(focus.themeId),
    name: themeName(focus.themeId, db),
    weeks,
    countSinceStart: since?.count ?? 0,
    impactSinceStart: roundImpact(since?.impact ?? 0),
    metTwoWeeks,
    next: metTwoWeeks ? nextTheme(db, department.id, focus.themeId, now) : undefined,
  };
}
