import { feedbackReference } from '../feedback/types.js';
import type { Period } from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { rankByImpact, roundImpact } from './impact.js';
import type { ThemeScope } from './theme-items.js';
import { getTheme } from './theme-repo.js';
import { type ThemeSums, themeSums, weeklyCounts } from './theme-totals.js';

/**
 * The top themes of a scope (some departments, or the company) over a period, ranked by impact (impact.ts): the
 * read model behind `/feedback themes`, the digests' and reminders' lead, focus and spikes.
 */

export type TopTheme = {
  id: number;
  /** `TH-12` */
  reference: string;
  /** A lead's name for it, else its top terms. */
  name: string;
  count: number;
  impact: number;
  /** Its items in the period before (the trend). */
  previousCount: number;
  /** Items per week over `weeks`, oldest first. */
  weekly: number[];
  /** References of its latest items in the scope and period (references only: anyone may see them). */
  examples: string[];
};

export type TopThemesQuery = {
  scope: ThemeScope;
  period: Period;
  previous: Period;
  /** The weeks of the weekly counts (usually eight, the last one the period's). */
  weeks: readonly Period[];
  now: number;
  limit: number;
  examples: number;
  /**
   * The scope's sums over the period at `now` and its themes' counts in `weeks` and `previous`, when already
   * counted (a digest run adds up its departments').
   */
  counted?: CountedThemes | undefined;
};

export type CountedThemes = {
  current: ThemeSums;
  counts(themeIds: readonly number[]): Map<number, number[]>;
};

export function themeReference(id: number): string {
  return `TH-${id}`;
}

/** "TH-12", "th-12" or "12" to 12; undefined otherwise. */
export function parseThemeReference(text: string): number | undefined {
  const m = /^(?:th-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** How a theme is called: its lead-given name, else its first three top terms. */
export function themeName(themeId: number, db: Db): string {
  const theme = getTheme(db, themeId);
  if (!theme) return themeReference(themeId);
  return theme.name ?? (theme.topTerms.slice(0, 3).join(', ') || themeReference(themeId));
}

/** The latest `limit` items of a theme filed in the period in the scope, as references. */
export function examplesOf(
  db: Db,
  scope: ThemeScope,
  themeId: number,
  period: Period,
  limit: number,
): string[] {
  if (limit <= 0) return [];
  // Newest first over the theme's own index; items of other departments are skipped (a theme is mostly one team's).
  const rows = stmt(
    db,
    `SELECT id, COALESCE(department_id, '') AS d FROM feedback_items
       WHERE theme_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC`,
  ).iterate(themeId, period.start, period.end) as IterableIterator<{ id: number; d: string }>;
  const found: string[] = [];
  for (const row of rows) {
    if (scope !== 'company' && !scope.departments.includes(row.d)) continue;
    found.push(feedbackReference(row.id));
    if (found.length >= limit) break;
  }
  return found;
}

export function topThemes(db: Db, q: TopThemesQuery): TopTheme[] {
  const current = q.counted?.current ?? themeSums(db, q.scope, q.period, q.now);
  const ranked = rankByImpact(
    [...current].map(([id, s]) => ({ id, count: s.count, impact: roundImpact(s.impact) })),
  ).slice(0, q.limit);
  if (ranked.length === 0) return [];
  const ids = ranked.map((t) => t.id);
  // Only the ranked themes' counts, in one reading: the trend compares items, so the period before needs no impact.
  const counts = q.counted?.counts(ids) ?? weeklyCounts(db, q.scope, ids, [...q.weeks, q.previous]);
  return ranked.map((t) => ({
    id: t.id,
    reference: themeReference(t.id),
    name: themeName(t.id, db),
    count: t.count,
    impact: t.impact,
    previousCount: counts.get(t.id)?.[q.weeks.length] ?? 0,
    weekly: counts.get(t.id)?.slice(0, q.weeks.length) ?? q.weeks.map(() => 0),
    examples: examplesOf(db, q.scope, t.id, q.period, q.examples),
  }));
}
