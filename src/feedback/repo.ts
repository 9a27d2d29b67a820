import type { Db } from '../store/db.js';
import { nameKey } from '../text/normalize.js';
import type { RoutingDecision } from './routing.js';
import {
  type ContactChannel,
  type FeedbackItem,
  type FeedbackKind,
  type FeedbackSource,
  type FeedbackStatus,
  feedbackReference,
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
};

const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function rowToItem(row: FeedbackItemRow): FeedbackItem {
  return {
    id: row.id,
    reference: feedbackReference(row.id),
    teamId: row.team_id,
    reporterId: row.reporter_id,
    source: row.source as FeedbackSource,
    customerId: u(row.customer_id),
    customer: u(row.customer),
    contactChannel: u(row.contact_channel) as ContactChannel | undefined,
    kind: row.kind as FeedbackKind,
    severity: row.severity as Severity,
    summary: row.summary,
    details: row.details,
    departmentId: u(row.department_id),
    status: row.status as FeedbackStatus,
    originChannelId: u(row.origin_channel_id),
    sourceChannelId: u(row.source_channel_id),
    sourceMessageTs: u(row.source_message_ts),
    sourcePermalink: u(row.source_permalink),
    postChannelId: u(row.post_channel_id),
    postTs: u(row.post_ts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const ITEM_SELECT = `SELECT f.*, c.identifier AS customer FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id`;

export function getFeedbackItem(db: Db, id: number): FeedbackItem | undefined {
  const row = db.prepare(`${ITEM_SELECT} WHERE f.id = ?`).get(id) as FeedbackItemRow | undefined;
  return row ? rowToItem(row) : undefined;
}

export function findFeedbackByIdempotencyKey(db: Db, key: string): FeedbackItem | undefined {
  const row = db.prepare(`${ITEM_SELECT} WHERE f.idempotency_key = ?`).get(key) as
    | FeedbackItemRow
    | undefined;
  return row ? rowToItem(row) : undefined;
}

/** Customers are matched by a folded form of what the rep typed, so "ACME Corp" and "acme corp" are one. */
export function upsertCustomer(db: Db, teamId: string, identifier: string, now: number): number {
  const key = nameKey(identifier) || identifier.trim().toLowerCase();
  db.prepare(
    `INSERT INTO customers (team_id, identifier, identifier_key, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (team_id, identifier_key) DO NOTHING`,
  ).run(teamId, identifier.trim(), key, now);
  const row = db
    .prepare('SELECT id FROM customers WHERE team_id = ? AND identifier_key = ?')
    .get(teamId, key) as {
    id: number;
  };
  return row.id;
}

export type InsertFeedbackRow = {
  idempotencyKey: string;
  teamId: string;
  reporterId: string;
  source: FeedbackSource;
  customerId: number | undefined;
  contactChannel: ContactChannel | undefined;
  kind: FeedbackKind;
  severity: Severity;
  summary: string;
  details: string;
  departmentId: string | undefined;
  status: FeedbackStatus;
  originChannelId: string | undefined;
  sourceChannelId: string | undefined;
  sourceMessageTs: string | undefined;
  now: number;
};

export function insertFeedbackItem(db: Db, r: InsertFeedbackRow): number {
  const result = db
    .prepare(
      `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, contact_channel, kind,
         severity, summary, details, department_id, status, origin_channel_id, source_channel_id, source_message_ts,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
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
    );
  return Number(result.lastInsertRowid);
}

type RoutingRow = {
  department_id: string | null;
  method: RoutingDecision['method'];
  reason: string;
  score: number;
  matched: string;
  decided_at: number;
};

export function insertRouting(
  db: Db,
  itemId: number,
  decision: RoutingDecision,
  decidedBy: string | undefined,
  now: number,
): void {
  db.prepare(
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
  const row = db
    .prepare('SELECT * FROM feedback_routing WHERE item_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1')
    .get(itemId) as RoutingRow | undefined;
  if (!row) return undefined;
  const matched = JSON.parse(row.matched) as string[];
  const base = { reason: row.reason, decidedAt: row.decided_at };
  if (row.method === 'triage')
    return { ...base, method: 'triage', departmentId: null, score: row.score, matched };
  if (row.method === 'explicit')
    return { ...base, method: 'explicit', departmentId: row.department_id ?? '', score: 0, matched: [] };
  return { ...base, method: 'rules', departmentId: row.department_id ?? '', score: row.score, matched };
}

export type FeedbackEvent = {
  itemId: number;
  at: number;
  actorId: string;
  action: string;
  fromStatus: FeedbackStatus | undefined;
  toStatus: FeedbackStatus | undefined;
  note: string | undefined;
};

export function insertFeedbackEvent(db: Db, e: FeedbackEvent): void {
  db.prepare(
    `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.itemId, e.at, e.actorId, e.action, e.fromStatus ?? null, e.toStatus ?? null, e.note ?? null);
}

export function listFeedbackEvents(db: Db, itemId: number): FeedbackEvent[] {
  const rows = db.prepare('SELECT * FROM feedback_events WHERE item_id = ? ORDER BY at, id').all(itemId) as {
    item_id: number;
    at: number;
    actor_id: string;
    action: string;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
  }[];
  return rows.map((r) => ({
    itemId: r.item_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    fromStatus: u(r.from_status) as FeedbackStatus | undefined,
    toStatus: u(r.to_status) as FeedbackStatus | undefined,
    note: u(r.note),
  }));
}

export function setFeedbackPost(db: Db, id: number, channelId: string, ts: string, now: number): void {
  db.prepare('UPDATE feedback_items SET post_channel_id = ?, post_ts = ?, updated_at = ? WHERE id = ?').run(
    channelId,
    ts,
    now,
    id,
  );
}

export function setFeedbackPermalink(db: Db, id: number, permalink: string): void {
  db.prepare('UPDATE feedback_items SET source_permalink = ? WHERE id = ?').run(permalink, id);
}

export function countFeedbackItems(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM feedback_items').get() as { n: number }).n;
}
