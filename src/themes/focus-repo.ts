import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/** A team's focus themes (migration 0021 `theme_focus`): the open one and the history, never deleted. */

export type Focus = {
  id: number;
  departmentId: string;
  themeId: number;
  weeklyTarget: number;
  startedBy: string;
  startedAt: number;
  endedBy: string | undefined;
  endedAt: number | undefined;
};

type FocusRow = {
  id: number;
  department_id: string;
  theme_id: number;
  weekly_target: number;
  started_by: string;
  started_at: number;
  ended_by: string | null;
  ended_at: number | null;
};

const COLUMNS = 'id, department_id, theme_id, weekly_target, started_by, started_at, ended_by, ended_at';

function toFocus(row: FocusRow): Focus {
  return {
    id: row.id,
    departmentId: row.department_id,
    themeId: row.theme_id,
    weeklyTarget: row.weekly_target,
    startedBy: row.started_by,
    startedAt: row.started_at,
    endedBy: row.ended_by ?? undefined,
    endedAt: row.ended_at ?? undefined,
  };
}

export function currentFocus(db: Db, departmentId: string): Focus | undefined {
  const row = stmt(db, `SELECT ${COLUMNS} FROM theme_focus WHERE department_id = ? AND ended_at IS NULL`).get(
    departmentId,
  ) as FocusRow | undefined;
  return row ? toFocus(row) : undefined;
}

/** The department's focuses, newest first. */
export function focusHistory(db: Db, departmentId: string, limit: number): Focus[] {
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM theme_focus WHERE department_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
  ).all(departmentId, limit) as FocusRow[];
  return rows.map(toFocus);
}

/** Every theme the department has focused on, ever. */
export function focusedThemeIds(db: Db, departmentId: string): Set<number> {
  const ids = stmt(db, 'SELECT DISTINCT theme_id FROM theme_focus WHERE department_id = ?')
    .pluck()
    .all(departmentId) as number[];
  return new Set(ids);
}

/** End the open focus, if any; true when one was ended. */
export function endFocus(db: Db, departmentId: string, by: string, now: number): boolean {
  const result = stmt(
    db,
    'UPDATE theme_focus SET ended_by = ?, ended_at = ? WHERE department_id = ? AND ended_at IS NULL',
  ).run(by, now, departmentId);
  return result.changes > 0;
}

/** A new focus for the department; the open one (if any) ends now, in the same transaction. */
export function startFocus(
  db: Db,
  focus: { departmentId: string; themeId: number; weeklyTarget: number; by: string },
  now: number,
): void {
  db.transaction(() => {
    endFocus(db, focus.departmentId, focus.by, now);
    stmt(
      db,
      `INSERT INTO theme_focus (department_id, theme_id, weekly_target, started_by, started_at)
         VALUES (?, ?, ?, ?, ?)`,
    ).run(focus.departmentId, focus.themeId, focus.weeklyTarget, focus.by, now);
  }).immediate();
}
