import { z } from 'zod';
import { findDepartment, isAdmin } from '../config/org.js';
import type { Department, OrgConfig } from '../config/org-schema.js';
import type { Db } from '../store/db.js';
import { type FocusProgress, focusProgress } from './focus-progress.js';
import { endFocus, type Focus, focusHistory, startFocus } from './focus-repo.js';
import { resolveTheme } from './theme-repo.js';
import { parseThemeReference, themeName } from './top-themes.js';

/**
 * `/loop focus <department> [TH-12 max:5/week | off]`: anyone may look; the department's leads and admins set
 * or end its focus. Each change is kept (focus-repo.ts).
 */

const HISTORY = 5;

const targetSchema = z.coerce.number().int().min(0).max(100_000);

type Intent =
  | { kind: 'show'; department: Department }
  | { kind: 'off'; department: Department }
  | { kind: 'set'; department: Department; themeRef: string; target: string | undefined };

export type FocusOutcome =
  | { kind: 'usage'; departments: Department[] }
  | { kind: 'unknown-department'; name: string; departments: Department[] }
  | { kind: 'not-allowed'; department: Department }
  | { kind: 'unknown-theme'; department: Department; ref: string }
  | { kind: 'bad-target'; department: Department; target: string | undefined }
  | { kind: 'set'; department: Department; progress: FocusProgress | undefined }
  | { kind: 'ended'; department: Department; ended: boolean }
  | { kind: 'shown'; department: Department; progress: FocusProgress | undefined; history: FocusLine[] };

export type FocusLine = Focus & { name: string };

function parseFocus(
  args: string,
  config: OrgConfig,
): Intent | Extract<FocusOutcome, { kind: 'usage' | 'unknown-department' }> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'usage', departments: config.departments };
  const refAt = words.findIndex((w) => parseThemeReference(w) !== undefined && /^th-?\d/i.test(w));
  const off = refAt < 0 && words[words.length - 1]?.toLowerCase() === 'off';
  const nameWords = refAt >= 0 ? words.slice(0, refAt) : off ? words.slice(0, -1) : words;
  const name = nameWords.join(' ');
  const department = findDepartment(config, name);
  if (!department) return { kind: 'unknown-department', name, departments: config.departments };
  if (off) return { kind: 'off', department };
  if (refAt < 0) return { kind: 'show', department };
  const rest = words.slice(refAt + 1).join(' ');
  const target = /^max\s*:?\s*(\S+?)(?:\s*\/\s*week)?$/i.exec(rest)?.[1];
  return { kind: 'set', department, themeRef: words[refAt] as string, target };
}

const mayChange = (config: OrgConfig, department: Department, userId: string) =>
  isAdmin(config, userId) || department.leads.includes(userId);

export function runFocusCommand(
  deps: { db: Db; config: OrgConfig; now: number },
  userId: string,
  args: string,
): FocusOutcome {
  const { db, config, now } = deps;
  const intent = parseFocus(args, config);
  if (intent.kind === 'usage' || intent.kind === 'unknown-department') return intent;
  const { department } = intent;
  if (intent.kind === 'show') {
    const history = focusHistory(db, department.id, HISTORY + 1)
      .filter((f) => f.endedAt !== undefined)
      .slice(0, HISTORY)
      .map((f) => ({ ...f, name: themeName(f.themeId, db) }));
    return { kind: 'shown', department, progress: focusProgress(db, department, now), history };
  }
  if (!mayChange(config, department, userId)) return { kind: 'not-allowed', department };
  if (intent.kind === 'off')
    return { kind: 'ended', department, ended: endFocus(db, department.id, userId, now) };
  const themeId = parseThemeReference(intent.themeRef) as number;
  const theme = resolveTheme(db, themeId); // a merged theme's reference leads to the theme it joined
  if (!theme) return { kind: 'unknown-theme', department, ref: intent.themeRef };
  const target = targetSchema.safeParse(intent.target);
  if (intent.target === undefined || !target.success)
    return { kind: 'bad-target', department, target: intent.target };
  startFocus(
    db,
    {
      departmentId: department.id,
      themeId: theme.id,
      weeklyTarget: target.data,
      by: userId,
    },
    now,
  );
  return { kind: 'set', department, progress: focusProgress(db, department, now) };
}
