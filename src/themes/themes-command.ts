import { z } from 'zod';
import { findDepartment } from '../config/org.js';
import type { Department, OrgConfig } from '../config/org-schema.js';
import type { Db } from '../store/db.js';
import { THEME_PERIODS, type ThemePeriod, themeWindow } from './theme-periods.js';
import { type TopTheme, topThemes } from './top-themes.js';

/** `/feedback themes [department] [week|month|quarter]`: what was asked, and the answer as data. */

const TOP = 5;
const EXAMPLES = 3;

const argsSchema = z.object({
  department: z.string().max(80),
  period: z.enum(THEME_PERIODS).default('week'),
});

export type ThemesRequest =
  | { ok: true; department: Department | undefined; period: ThemePeriod }
  | { ok: false; problem: 'unknown'; words: string; departments: Department[] };

/** The words after `themes`: a department (name or id, any case; none = the company) and a period, either order. */
export function parseThemesRequest(args: string, config: OrgConfig): ThemesRequest {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const periodAt = words.findIndex((w) => (THEME_PERIODS as readonly string[]).includes(w.toLowerCase()));
  const period = periodAt >= 0 ? words[periodAt]?.toLowerCase() : undefined;
  const name = words.filter((_, i) => i !== periodAt).join(' ');
  const parsed = argsSchema.safeParse({ department: name, period });
  const unknown = {
    ok: false as const,
    problem: 'unknown' as const,
    words: name,
    departments: config.departments,
  };
  if (!parsed.success) return unknown;
  if (parsed.data.department === '') return { ok: true, department: undefined, period: parsed.data.period };
  const department = findDepartment(config, parsed.data.department);
  return department ? { ok: true, department, period: parsed.data.period } : unknown;
}

export type ThemesReport = {
  department: Department | undefined;
  period: ThemePeriod;
  zone: string;
  start: number;
  themes: TopTheme[];
};

export function themesReport(
  db: Db,
  config: OrgConfig,
  request: Extract<ThemesRequest, { ok: true }>,
  now: number,
): ThemesReport {
  const zone = request.department?.timezone ?? config.timezone;
  const window = themeWindow(request.period, now, zone);
  const themes = topThemes(db, {
    scope: request.department ? { departments: [request.department.id] } : 'company',
    ...window,
    now,
    limit: TOP,
    examples: EXAMPLES,
  });
  return { department: request.department, period: request.period, zone, start: window.period.start, themes };
}
