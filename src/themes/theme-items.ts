import type { Severity } from '../feedback/types.js';
import { itemsWithLostCustomer } from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { ImpactItem } from './impact.js';

/**
 * Themed items read one by one, with what impact.ts needs: the reference reading that the running totals
 * (theme-totals.ts) are counted from and checked against.
 */

/** Which items a read covers: some departments' (as they hold the items now), or the whole company's. */
export type ThemeScope = { departments: readonly string[] } | 'company';

export type ThemedItem = ImpactItem & { themeId: number };

type ItemRow = {
  id: number;
  theme_id: number;
  severity: Severity;
  customer_at_risk: number;
  created_at: number;
  status: string;
  resolved_at: number | null;
  repeat_customer: number;
  breaches: number;
};

const COLUMNS = `f.id, f.theme_id, f.severity, f.customer_at_risk, f.created_at, f.status, f.resolved_at,
  EXISTS (SELECT 1 FROM feedback_items p WHERE p.customer_id = f.customer_id AND p.created_at <= f.created_at
          AND p.id < f.id) AS repeat_customer,
  (SELECT COUNT(*) FROM feedback_escalations e WHERE e.item_id = f.id AND e.level = 'leads') AS breaches`;

/** The rows as impact reads them; an item's customer is lost when a follow-up of theirs was answered Left. */
function toThemedItems(db: Db, rows: readonly ItemRow[]): ThemedItem[] {
  const lost = itemsWithLostCustomer(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toThemedItem(row, lost.has(row.id)));
}

function toThemedItem(row: ItemRow, customerLost: boolean): ThemedItem {
  return {
    themeId: row.theme_id,
    severity: row.severity,
    customerAtRisk: row.customer_at_risk === 1,
    repeatCustomer: row.repeat_customer === 1,
    customerLost,
    slaBreaches: row.breaches,
    createdAt: row.created_at,
    resolvedAt: row.status === 'resolved' ? (row.resolved_at ?? row.created_at) : undefined,
  };
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The themed items filed in [start, end) in the scope (`open`: only those not resolved). */
export function themedItems(
  db: Db,
  scope: ThemeScope,
  start: number,
  end: number,
  which: 'all' | 'open' = 'all',
): ThemedItem[] {
  // The open ones through their own small partial index.
  const open = which === 'open' ? "AND f.status <> 'resolved'" : '';
  if (scope === 'company') {
    const rows = stmt(
      db,
      `SELECT ${COLUMNS} FROM feedback_items f
         WHERE f.theme_id IS NOT NULL ${open} AND f.created_at >= ? AND f.created_at < ?`,
    ).all(start, end) as ItemRow[];
    return toThemedItems(db, rows);
  }
  const { departments } = scope;
  if (departments.length === 0) return [];
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM feedback_items f
       WHERE f.department_id IN (${marks(departments.length)}) AND f.created_at >= ? AND f.created_at < ?
         AND f.theme_id IS NOT NULL ${open}`,
  ).all(...departments, start, end) as ItemRow[];
  return toThemedItems(db, rows);
}

/** One running-total bucket's items: a theme's items filed in [start, end) that a department ('' triage) holds. */
export function bucketItems(
  db: Db,
  bucket: { themeId: number; departmentId: string },
  start: number,
  end: number,
): ThemedItem[] {
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM feedback_items f
       WHERE f.theme_id = ? AND f.created_at >= ? AND f.created_at < ? AND COALESCE(f.department_id, '') = ?`,
  ).all(bucket.themeId, start, end, bucket.departmentId) as ItemRow[];
  return toThemedItems(db, rows);
}
