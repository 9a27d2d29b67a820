import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';
import { nameKey } from '../text/normalize.js';
import type { RoutingDecision } from './routing.js';
import {
  type ContactChannel,
  type FeedbackItem,
  type FeedbackKind,
  type FeedbackSource,
  type FeedbackStatus,
  feedbackReference,
  type NewFeedback,
  type Severity,
  type StoredRouting,
} from './types.js';

type FeedbackItemRow = {
  id: number;
  idempotency_key: string;
  team_id: string;
  reporter_id: string;
  source: string;
  customer_id: number | null;
  customer: string | null;
  contact_channel: string | null;
  kind: string;
  severity: string;
  summary: string;
  details: string;
  department_id: string | null;
  status: string;
  origin_channel_id: string | null;
  source_channel_id: string | null;
  source_message_ts: string | null;
  source_permalink: string | null;
  post_channel_id: string | null;
  post_ts: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  sla_started_at: number | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  resolution_note: string | null;
  customer_contacted: number | null;
  similar_count: number;
  customer_at_risk: number;
};

function rowToItem(row: FeedbackItemRow): FeedbackItem {
  return {
    id: row.id,
    reference: feedbackReference(row.id),
    teamId: row.team_id,
    reporterId: row.reporter_id,
    source: row.source as FeedbackSource,
    customerId: fromNull(row.customer_id),
    customer: fromNull(row.customer),
    contactChannel: fromNull(row.contact_channel) as ContactChannel | undefined,
    kind: row.kind as FeedbackKind,
    severity: row.severity as Severity,
    summary: row.summary,
    details: row.details,
    departmentId: fromNull(row.department_id),
    status: row.status as FeedbackStatus,
    originChannelId: fromNull(row.origin_channel_id),
    sourceChannelId: fromNull(row.source_channel_id),
    sourceMessageTs: fromNull(row.source_message_ts),
    sourcePermalink: fromNull(row.source_permalink),
    postChannelId: fromNull(row.post_channel_id),
    postTs: fromNull(row.post_ts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    slaStartedAt: row.sla_started_at ?? row.created_at,
    acknowledgedAt: fromNull(row.acknowledged_at),
    resolvedAt: fromNull(row.resolved_at),
    resolutionNote: fromNull(row.resolution_note),
    customerContacted: row.customer_contacted === null ? undefined : row.customer_contacted === 1,
    similarCount: row.similar_count,
    customerAtRisk: row.customer_at_risk === 1,
  };
}

const ITEM_SELECT = `SELECT f.*, c.identifier AS customer FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id`;

export function getFeedbackItem(db: Db, id: number): FeedbackItem | undefined {
  const row = stmt(db, `${ITEM_SELECT} WHERE f.id = ?`).get(id) as FeedbackItemRow | undefined;
  return row ? rowToItem(row) : undefined;
}

export function findFeedbackByIdempotencyKey(db: Db, key: string): FeedbackItem | undefined {
  const row = stmt(db, `${ITEM_SELECT} WHERE f.idempotency_key = ?`).get(key) as FeedbackItemRow | undefined;
  return row ? rowToItem(row) : undefined;
}

/** The folded form customers are matched by (also what `forget` looks a customer up with). */
export function customerKey(identifier: string): string {
  return nameKey(identifier) || identifier.trim().toLowerCase();
}

/** Customers are matched by a folded form of what the rep typed, so "ACME Corp" and "acme corp" are one. */
export function upsertCustomer(db: Db, teamId: string, identifier: string, now: number): number {
  const key = customerKey(identifier);
  stmt(
    db,
    `INSERT INTO customers (team_id, identifier, identifier_key, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, identifier_key) DO NOTHING`,
  ).run(teamId, identifier.trim(), key, now);
  const row = stmt(db, 'SELECT id FROM customers WHERE team_id = ? AND identifier_key = ?').get(
    teamId,
    key,
  ) as {
    id: number;
  };
  return row.id;
}

/** What the intake stores: the submission, with its customer resolved to a record and the routed status. */
export type InsertFeedbackRow = Omit<NewFeedback, 'customer'> & {
  customerId: number | undefined;
  status: FeedbackStatus;
  now: number;
  /** Its meaningful words (for similar-report lookups) and how many earlier reports it matched. */
  similarityWords?: ReadonlySet<string>;
  similarCount?: number;
};

export function insertFeedbackItem(db: Db, r: InsertFeedbackRow): number {
  const result = stmt(
    db,
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, contact_channel, kind,
         severity, summary, details, department_id, status, origin_channel_id, source_channel_id, source_message_ts,
         created_at, updated_at, sla_started_at, sla_next_at, similarity_words, similar_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.idempotencyKey,
    r.teamId,
    r.reporterId,
    r.source,
    r.customerId ?? null,
    r.contactChannel ?? null,
    r.kind,
    r.severity,
    r.summary,
    r.details,
    r.departmentId ?? null,
    r.status,
    r.originChannelId ?? null,
    r.sourceChannelId ?? null,
    r.sourceMessageTs ?? null,
    r.now,
    r.now,
    r.now,
    // The SLA job looks at a routed item at its next tick and stores when it must look again.
    (r.departmentId ?? null) === null ? null : r.now,
    [...(r.similarityWords ?? [])].join(' '),
    r.similarCount ?? 0,
  );
  return Number(result.lastInsertRowid);
}

type RoutingRow = {
  department_id: string | null;
  method: RoutingDecision['method'];
  reason: string;
  score: number;
  matched: string;
  decided_by: string | null;
  decided_at: number;
};

export function insertRouting(
  db: Db,
  itemId: number,
  decision: RoutingDecision,
  decidedBy: string | undefined,
  now: number,
): void {
  stmt(
    db,
    `INSERT INTO feedback_routing (item_id, department_id, method, reason, score, matched, decided_by, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    itemId,
    decision.departmentId,
    decision.method,
    decision.reason,
    decision.score,
    JSON.stringify(decision.matched),
    decidedBy ?? null,
    now,
  );
}

export function getLatestRouting(db: Db, itemId: number): StoredRouting | undefined {
  const row = stmt(
    db,
    'SELECT * FROM feedback_routing WHERE item_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1',
  ).get(itemId) as RoutingRow | undefined;
  if (!row) return undefined;
  const matched = JSON.parse(row.matched) as string[];
  const base = { reason: row.reason, decidedAt: row.decided_at, decidedBy: row.decided_by ?? undefined };
  if (row.method === 'triage')
    return { ...base, method: 'triage', departmentId: null, score: row.score, matched };
  if (row.method === 'explicit')
    return { ...base, method: 'explicit', departmentId: row.department_id ?? '', score: 0, matched: [] };
  return { ...base, method: 'rules', departmentId: row.department_id ?? '', score: row.score, matched };
}

export type StatusChange = {
  id: number;
  expectedVersion: number;
  expectedStatus: FeedbackStatus;
  toStatus: FeedbackStatus;
  now: number;
  departmentId?: string | undefined;
  restartSla?: boolean;
  resolutionNote?: string | undefined;
  customerContacted?: boolean | undefined;
};

/**
 * Optimistic concurrency: the change applies only if the item is still at the version and status the
 * person saw. Returns false when someone else changed it first (nothing is written then).
 */
export function applyStatusChange(db: Db, c: StatusChange): boolean {
  const result = stmt(
    db,
    `UPDATE feedback_items SET
         status = @toStatus,
         version = version + 1,
         updated_at = @now,
         department_id = CASE WHEN @moveDepartment THEN @departmentId ELSE department_id END,
         post_channel_id = CASE WHEN @moveDepartment THEN NULL ELSE post_channel_id END,
         post_ts = CASE WHEN @moveDepartment THEN NULL ELSE post_ts END,
         sla_started_at = CASE WHEN @restartSla THEN @now ELSE sla_started_at END,
         sla_next_at = CASE WHEN @toStatus = 'resolved' THEN NULL
                            WHEN @moveDepartment AND @departmentId IS NULL THEN NULL ELSE @now END,
         acknowledged_at = CASE WHEN @toStatus = 'acknowledged' THEN @now
                                WHEN @restartSla THEN NULL ELSE acknowledged_at END,
         resolved_at = CASE WHEN @toStatus = 'resolved' THEN @now
                            WHEN @toStatus = 'reopened' THEN NULL ELSE resolved_at END,
         resolution_note = CASE WHEN @toStatus = 'resolved' THEN @resolutionNote ELSE resolution_note END,
         customer_contacted = CASE WHEN @toStatus = 'resolved' THEN @customerContacted ELSE customer_contacted END
       WHERE id = @id AND version = @expectedVersion AND status = @expectedStatus`,
  ).run({
    id: c.id,
    expectedVersion: c.expectedVersion,
    expectedStatus: c.expectedStatus,
    toStatus: c.toStatus,
    now: c.now,
    moveDepartment: c.departmentId === undefined ? 0 : 1,
    departmentId: c.departmentId ?? null,
    restartSla: c.restartSla ? 1 : 0,
    resolutionNote: c.resolutionNote ?? null,
    customerContacted: c.customerContacted === undefined ? null : c.customerContacted ? 1 : 0,
  });
  return result.changes === 1;
}

/** Open items a person reported, newest first. */
export function listOpenItemsOfReporter(db: Db, reporterId: string, limit: number): FeedbackItem[] {
  const rows = stmt(
    db,
    `${ITEM_SELECT} WHERE f.reporter_id = ? AND f.status != 'resolved' ORDER BY f.created_at DESC, f.id DESC LIMIT ?`,
  ).all(reporterId, limit) as FeedbackItemRow[];
  return rows.map(rowToItem);
}

/** Whether the person has ever filed an item (the reporter index answers it). */
export function hasFiledAny(db: Db, reporterId: string): boolean {
  return stmt(db, 'SELECT 1 FROM feedback_items WHERE reporter_id = ? LIMIT 1').get(reporterId) !== undefined;
}

/** How many open items a person reported. */
export function countOpenItemsOfReporter(db: Db, reporterId: string): number {
  return stmt(db, `SELECT COUNT(*) FROM feedback_items WHERE reporter_id = ? AND status != 'resolved'`)
    .pluck()
    .get(reporterId) as number;
}

export function setFeedbackPost(db: Db, id: number, channelId: string, ts: string, now: number): void {
  stmt(db, 'UPDATE feedback_items SET post_channel_id = ?, post_ts = ?, updated_at = ? WHERE id = ?').run(
    channelId,
    ts,
    now,
    id,
  );
}

export function setFeedbackPermalink(db: Db, id: number, permalink: string): void {
  stmt(db, 'UPDATE feedback_items SET source_permalink = ? WHERE id = ?').run(permalink, id);
}

export function countFeedbackItems(db: Db): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM feedback_items').get() as { n: number }).n;
}
