import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { feedbackReference } from '../feedback/types.js';
import type { Db } from '../store/db.js';
import { instantOf, type LocalDate } from '../time/local-time.js';

/**
 * `npm run export`: CSV files of what was filed and given between two dates (inclusive, as the calendar reads in
 * `zone`): feedback items, their history (one row per change), and kudos (one row per person thanked, which is
 * what every number counts). Times are UTC (ISO 8601). csv-stringify does the quoting, so commas, quotes and line
 * breaks in customer text survive; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never
 * runs user text as a formula.
 */

export type ExportRange = { from: LocalDate; to: LocalDate; zone: string };
export type ExportResult = { files: { path: string; rows: number }[] };

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (v: unknown) => (typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : v);

function writeCsv(path: string, header: string[], rows: unknown[][]): { path: string; rows: number } {
  writeFileSync(
    path,
    stringify([header, ...rows.map((r) => r.map(cell))], { cast: { boolean: (b) => (b ? 'yes' : 'no') } }),
  );
  return { path, rows: rows.length };
}

type ItemRow = Record<string, string | number | null>;

function feedbackRows(db: Db, start: number, end: number): unknown[][] {
  const rows = db
    .prepare(
      `SELECT f.*, c.identifier AS customer FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id
       WHERE f.created_at >= ? AND f.created_at < ? ORDER BY f.id`,
    )
    .all(start, end) as ItemRow[];
  return rows.map((r) => [
    feedbackReference(r.id as number),
    iso(r.created_at as number),
    r.reporter_id,
    r.source,
    r.customer ?? '',
    r.contact_channel ?? '',
    r.kind,
    r.severity,
    r.department_id ?? '',
    r.status,
    r.summary,
    r.details,
    iso(r.acknowledged_at as number | null),
    iso(r.resolved_at as number | null),
    r.resolution_note ?? '',
    r.customer_contacted === null ? '' : r.customer_contacted === 1,
    r.customer_at_risk === 1,
    r.similar_count,
    iso(r.customer_details_removed_at as number | null),
    r.source_permalink ?? '',
  ]);
}

function historyRows(db: Db, start: number, end: number): unknown[][] {
  const rows = db
    .prepare(
      `SELECT e.* FROM feedback_events e JOIN feedback_items f ON f.id = e.item_id
       WHERE f.created_at >= ? AND f.created_at < ? ORDER BY e.item_id, e.at, e.id`,
    )
    .all(start, end) as ItemRow[];
  return rows.map((r) => [
    feedbackReference(r.item_id as number),
    iso(r.at as number),
    r.actor_id,
    r.action,
    r.from_status ?? '',
    r.to_status ?? '',
    r.from_department ?? '',
    r.to_department ?? '',
    r.note ?? '',
  ]);
}

function kudosRows(db: Db, start: number, end: number): unknown[][] {
  const rows = db
    .prepare(
      `SELECT l.kudos_id, l.created_at, l.giver_id, l.recipient_id, l.giver_departments, l.recipient_departments,
         l.cross_department, l.value_ids, l.source, l.revoked_at, k.reason
       FROM kudos_ledger l JOIN kudos k ON k.id = l.kudos_id
       WHERE l.created_at >= ? AND l.created_at < ? ORDER BY l.id`,
    )
    .all(start, end) as ItemRow[];
  const list = (json: unknown) => (JSON.parse(String(json)) as string[]).join(' ');
  return rows.map((r) => [
    r.kudos_id,
    iso(r.created_at as number),
    r.giver_id,
    r.recipient_id,
    list(r.giver_departments),
    list(r.recipient_departments),
    r.cross_department === 1,
    list(r.value_ids),
    r.source,
    r.reason,
    iso(r.revoked_at as number | null),
  ]);
}

/** The instants a date range covers: from the first day's midnight to the midnight after the last day. */
export function rangeInstants(range: ExportRange): { start: number; end: number } {
  return { start: instantOf(range.from, 0, range.zone), end: instantOf(range.to, 24 * 60, range.zone) };
}

/** The columns of the three files, in order. */
const FEEDBACK_COLUMNS = [
  'reference',
  'filed_at',
  'reporter',
  'source',
  'customer',
  'contact_channel',
  'kind',
  'severity',
  'department',
  'status',
  'summary',
  'details',
  'acknowledged_at',
  'resolved_at',
  'resolution_note',
  'customer_contacted',
  'customer_at_risk',
  'similar_reports',
  'customer_details_removed_at',
  'source_message',
];

const HISTORY_COLUMNS = [
  'reference',
  'at',
  'by',
  'action',
  'from_status',
  'to_status',
  'from_department',
  'to_department',
  'note',
];

const KUDOS_COLUMNS = [
  'kudos',
  'given_at',
  'giver',
  'recipient',
  'giver_departments',
  'recipient_departments',
  'across_teams',
  'values',
  'source',
  'reason',
  'withdrawn_at',
];

export function exportCsv(db: Db, range: ExportRange, outDir: string): ExportResult {
  const { start, end } = rangeInstants(range);
  const day = (d: LocalDate) =>
    `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  const suffix = `${day(range.from)}_${day(range.to)}.csv`;
  mkdirSync(outDir, { recursive: true });
  // One read transaction: the three files describe the same moment even while the app writes.
  return db.transaction(() => ({
    files: [
      writeCsv(join(outDir, `feedback-items_${suffix}`), FEEDBACK_COLUMNS, feedbackRows(db, start, end)),
      writeCsv(join(outDir, `feedback-history_${suffix}`), HISTORY_COLUMNS, historyRows(db, start, end)),
      writeCsv(join(outDir, `kudos_${suffix}`), KUDOS_COLUMNS, kudosRows(db, start, end)),
    ],
  }))();
}
