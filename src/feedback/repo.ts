import type { Db } from '../store/db.js';
import { nameKey } from '../text/normalize.js';
import type { RoutingDecision } from './routing.js';
import type { WordsCandidate } from './similarity.js';
import {
  type ContactChannel,
  type FeedbackItem,
  type FeedbackKind,
  type FeedbackSource,
  type FeedbackStatus,
  feedbackReference,
  type NewFeedback,
  OPEN_STATUSES,
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
    version: row.version,
    slaStartedAt: row.sla_started_at ?? row.created_at,
    acknowledgedAt: u(row.acknowledged_at),
    resolvedAt: u(row.resolved_at),
    resolutionNote: u(row.resolution_note),
    customerContacted: row.customer_contacted === null ? undefined : row.customer_contacted === 1,
    similarCount: row.similar_count,
    customerAtRisk: row.customer_at_risk === 1,
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

/** The folded form customers are matched by (also what `forget` looks a customer up with). */
export function customerKey(identifier: string): string {
  return nameKey(identifier) || identifier.trim().toLowerCase();
}

/** Customers are matched by a folded form of what the rep typed, so "ACME Corp" and "acme corp" are one. */
export function upsertCustomer(db: Db, teamId: string, identifier: string, now: number): number {
  const key = customerKey(identifier);
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

/** What the intake stores: the submission, with its customer resolved to a record and the routed status. */
export type InsertFeedbackRow = Omit<NewFeedback, 'customer'> & {
  customerId: number | undefined;
  status: FeedbackStatus;
  now: number;
};

export function insertFeedbackItem(db: Db, r: InsertFeedbackRow): number {
  const result = db
    .prepare(
      `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, customer_id, contact_channel, kind,
         severity, summary, details, department_id, status, origin_channel_id, source_channel_id, source_message_ts,
         created_at, updated_at, sla_started_at, sla_next_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      r.now,
      // The SLA job looks at a routed item at its next tick and stores when it must look again.
      (r.departmentId ?? null) === null ? null : r.now,
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
  const base = { reason: row.reason, decidedAt: row.decided_at, decidedBy: row.decided_by ?? undefined };
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
  fromDepartment?: string | undefined;
  toDepartment?: string | undefined;
};

export type StoredFeedbackEvent = FeedbackEvent & { id: number };

type FeedbackEventRow = {
  id: number;
  item_id: number;
  at: number;
  actor_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  from_department: string | null;
  to_department: string | null;
};

function rowToEvent(r: FeedbackEventRow): StoredFeedbackEvent {
  return {
    id: r.id,
    itemId: r.item_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    fromStatus: u(r.from_status) as FeedbackStatus | undefined,
    toStatus: u(r.to_status) as FeedbackStatus | undefined,
    note: u(r.note),
    fromDepartment: u(r.from_department),
    toDepartment: u(r.to_department),
  };
}

/**
 * Records one change in an item's history (after the item row changed); returns the event's id. The event keeps
 * whose it is: the department that owned the item when it happened (for a reassignment, the one it left), and
 * `held_since`, when that department got the item (the latest filing, reassignment or reopening before this
 * change), so per-team numbers (src/metrics/numbers.ts) read the history's index alone. `to_department` is
 * where the change brought the item: the department it was filed to (created) or reassigned to.
 */
export function insertFeedbackEvent(db: Db, e: FeedbackEvent): number {
  const result = db
    .prepare(
      `INSERT INTO feedback_events (item_id, at, actor_id, action, from_status, to_status, note, from_department,
         to_department, department_id, item_created_at, held_since)
       VALUES (@itemId, @at, @actorId, @action, @fromStatus, @toStatus, @note, @fromDepartment,
         CASE WHEN @action = 'created' THEN (SELECT department_id FROM feedback_items WHERE id = @itemId)
              ELSE @toDepartment END,
         CASE WHEN @action = 'reassign' THEN @fromDepartment
              ELSE (SELECT department_id FROM feedback_items WHERE id = @itemId) END,
         (SELECT created_at FROM feedback_items WHERE id = @itemId),
         COALESCE((SELECT MAX(at) FROM feedback_events WHERE item_id = @itemId AND to_status IN ('new', 'reopened')),
           @at))`,
    )
    .run({
      itemId: e.itemId,
      at: e.at,
      actorId: e.actorId,
      action: e.action,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      note: e.note ?? null,
      fromDepartment: e.fromDepartment ?? null,
      toDepartment: e.toDepartment ?? null,
    });
  return Number(result.lastInsertRowid);
}

export function listFeedbackEvents(db: Db, itemId: number): StoredFeedbackEvent[] {
  const rows = db
    .prepare('SELECT * FROM feedback_events WHERE item_id = ? ORDER BY at, id')
    .all(itemId) as FeedbackEventRow[];
  return rows.map(rowToEvent);
}

export function getFeedbackEvent(db: Db, eventId: number): StoredFeedbackEvent | undefined {
  const row = db.prepare('SELECT * FROM feedback_events WHERE id = ?').get(eventId) as
    | FeedbackEventRow
    | undefined;
  return row ? rowToEvent(row) : undefined;
}

/** The latest event that put the item in `status` (who acknowledged it, who resolved it). */
export function lastEventInto(
  db: Db,
  itemId: number,
  status: FeedbackStatus,
): StoredFeedbackEvent | undefined {
  const row = db
    .prepare(
      'SELECT * FROM feedback_events WHERE item_id = ? AND to_status = ? ORDER BY at DESC, id DESC LIMIT 1',
    )
    .get(itemId, status) as FeedbackEventRow | undefined;
  return row ? rowToEvent(row) : undefined;
}

/** The latest change of one kind (e.g. the last reassignment) to an item. */
export function lastEventOfAction(db: Db, itemId: number, action: string): StoredFeedbackEvent | undefined {
  const row = db
    .prepare(
      'SELECT * FROM feedback_events WHERE item_id = ? AND action = ? ORDER BY at DESC, id DESC LIMIT 1',
    )
    .get(itemId, action) as FeedbackEventRow | undefined;
  return row ? rowToEvent(row) : undefined;
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
  const result = db
    .prepare(
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
    )
    .run({
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
  const rows = db
    .prepare(
      `${ITEM_SELECT} WHERE f.reporter_id = ? AND f.status != 'resolved' ORDER BY f.created_at DESC, f.id DESC LIMIT ?`,
    )
    .all(reporterId, limit) as FeedbackItemRow[];
  return rows.map(rowToItem);
}

/** Whether the person has ever filed an item (the reporter index answers it). */
export function hasFiledAny(db: Db, reporterId: string): boolean {
  return (
    db.prepare('SELECT 1 FROM feedback_items WHERE reporter_id = ? LIMIT 1').get(reporterId) !== undefined
  );
}

/** How many open items a person reported. */
export function countOpenItemsOfReporter(db: Db, reporterId: string): number {
  return db
    .prepare(`SELECT COUNT(*) FROM feedback_items WHERE reporter_id = ? AND status != 'resolved'`)
    .pluck()
    .get(reporterId) as number;
}

/** What the SLA job needs of an item it watches. */
export type SlaCandidate = {
  id: number;
  departmentId: string;
  severity: FeedbackItem['severity'];
  status: FeedbackItem['status'];
  slaStartedAt: number;
};

/**
 * The watched items whose next escalation may be due at `now`, earliest first, at most `limit`: a range of the
 * partial index on `sla_next_at`, so only due rows are read however many items are open.
 */
export function listDueSlaItems(db: Db, now: number, limit: number): SlaCandidate[] {
  const rows = db
    .prepare(
      `SELECT id, department_id, severity, status, COALESCE(sla_started_at, created_at) AS sla_started_at
       FROM feedback_items WHERE sla_next_at IS NOT NULL AND sla_next_at <= ? ORDER BY sla_next_at LIMIT ?`,
    )
    .all(now, limit) as {
    id: number;
    department_id: string | null;
    severity: FeedbackItem['severity'];
    status: FeedbackItem['status'];
    sla_started_at: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id ?? '',
    severity: r.severity,
    status: r.status,
    slaStartedAt: r.sla_started_at,
  }));
}

/** When the SLA job should look at the item again; undefined: not until it changes (or the SLA policy does). */
export function setSlaNextAt(db: Db, itemId: number, at: number | undefined): void {
  db.prepare('UPDATE feedback_items SET sla_next_at = ? WHERE id = ?').run(at ?? null, itemId);
}

/** Item ids marked per slice when a new SLA policy asks every open item for a fresh look. */
const MARK_SLICE_IDS = 5000;

/**
 * Makes the stored check times follow this SLA policy, one slice at a time: when the policy differs from the
 * recorded one, it is recorded with a cursor at the first item; each call then marks the open items of the next
 * `MARK_SLICE_IDS` ids (by primary key) for a look at `now`, and clears the cursor after the last item.
 * Returns true while items are still to be marked.
 */
export function adoptSlaPolicy(db: Db, fingerprint: string, now: number): boolean {
  const stored = db.prepare('SELECT fingerprint, marked_through FROM sla_policy WHERE id = 1').get() as
    | { fingerprint: string; marked_through: number | null }
    | undefined;
  let from = stored?.marked_through ?? undefined;
  if (stored?.fingerprint !== fingerprint) {
    from = 0;
    db.prepare(
      `INSERT INTO sla_policy (id, fingerprint, marked_through) VALUES (1, ?, 0)
       ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, marked_through = 0`,
    ).run(fingerprint);
  }
  if (from === undefined) return false;
  const to = from + MARK_SLICE_IDS;
  const last = (db.prepare('SELECT MAX(id) FROM feedback_items').pluck().get() as number | null) ?? 0;
  db.transaction(() => {
    db.prepare(
      `UPDATE feedback_items SET sla_next_at = ?
       WHERE id > ? AND id <= ? AND status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})
         AND department_id IS NOT NULL`,
    ).run(now, from, to);
    db.prepare('UPDATE sla_policy SET marked_through = ? WHERE id = 1').run(to >= last ? null : to);
  })();
  return to < last;
}

// ---------------------------------------------------------------------------------------------------------------
// Similar reports and at-risk customers

/** Stores a new item's meaningful words (once, at filing) for similar-report lookups. */
export function setSimilarityWords(db: Db, itemId: number, words: ReadonlySet<string>): void {
  db.prepare('UPDATE feedback_items SET similarity_words = ? WHERE id = ?').run([...words].join(' '), itemId);
}

/** Every report of this customer filed in the window (any number: same customer always links), with its words. */
export function listCustomerCandidates(
  db: Db,
  q: { teamId: string; since: number; excludeId: number; customerId: number },
): WordsCandidate[] {
  const rows = db
    .prepare(
      `SELECT id, customer_id, similarity_words FROM feedback_items
       WHERE customer_id = @customerId AND team_id = @teamId AND created_at >= @since AND id != @excludeId`,
    )
    .all(q) as { id: number; customer_id: number | null; similarity_words: string }[];
  return rows.map((r) => ({
    id: r.id,
    customerId: u(r.customer_id),
    words: new Set(r.similarity_words === '' ? [] : r.similarity_words.split(' ')),
  }));
}

/** Links kept per item (the best ones); the count of all matches is kept on the item. */
const MAX_SIMILAR_LINKS = 50;

export function linkSimilarItems(
  db: Db,
  itemId: number,
  matches: readonly { id: number; reason: 'customer' | 'text'; score: number }[],
): void {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO feedback_similar (item_id, similar_item_id, reason, score) VALUES (?, ?, ?, ?)',
  );
  for (const m of matches.slice(0, MAX_SIMILAR_LINKS)) insert.run(itemId, m.id, m.reason, m.score);
  db.prepare('UPDATE feedback_items SET similar_count = ? WHERE id = ?').run(matches.length, itemId);
}

export function listSimilarItemIds(db: Db, itemId: number): number[] {
  return db
    .prepare(
      'SELECT similar_item_id FROM feedback_similar WHERE item_id = ? ORDER BY score DESC, similar_item_id DESC',
    )
    .pluck()
    .all(itemId) as number[];
}

export function countCustomerComplaintsSince(db: Db, customerId: number, since: number): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM feedback_items WHERE customer_id = ? AND kind = 'complaint' AND created_at >= ?`,
    )
    .pluck()
    .get(customerId, since) as number;
}

/** Marks the customer at risk (first time kept) and the item as filed for an at-risk customer. */
export function markCustomerAtRisk(
  db: Db,
  customerId: number,
  itemId: number,
  complaints: number,
  now: number,
): void {
  db.prepare(
    'UPDATE customers SET at_risk_since = COALESCE(at_risk_since, ?), at_risk_complaints = ? WHERE id = ?',
  ).run(now, complaints, customerId);
  db.prepare('UPDATE feedback_items SET customer_at_risk = 1 WHERE id = ?').run(itemId);
}

// ---------------------------------------------------------------------------------------------------------------
// Escalations

export function insertEscalation(
  db: Db,
  e: {
    itemId: number;
    departmentId: string;
    key: string;
    kind: string;
    level: string;
    dueAt: number;
    now: number;
  },
): boolean {
  const result = db
    .prepare(
      `INSERT INTO feedback_escalations (item_id, department_id, escalation_key, kind, level, due_at, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (escalation_key) DO NOTHING`,
    )
    .run(e.itemId, e.departmentId, e.key, e.kind, e.level, e.dueAt, e.now);
  return result.changes === 1;
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

export type CustomerRisk = { atRiskSince: number | undefined; complaints: number };

export function getCustomerRisk(db: Db, customerId: number): CustomerRisk | undefined {
  const row = db
    .prepare('SELECT at_risk_since, at_risk_complaints FROM customers WHERE id = ?')
    .get(customerId) as { at_risk_since: number | null; at_risk_complaints: number } | undefined;
  return row ? { atRiskSince: u(row.at_risk_since), complaints: row.at_risk_complaints } : undefined;
}
