import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';
import type { DayWindow, GiverDay, LeaderboardPeriod } from './rules.js';
import type { Kudos, KudosSource, NewKudos, ReceivedKudos } from './types.js';

type KudosRow = {
  id: number;
  source_key: string;
  team_id: string;
  giver_id: string;
  source: string;
  reason: string;
  value_ids: string;
  giver_departments: string;
  giver_tz: string;
  origin_channel_id: string | null;
  source_channel_id: string | null;
  source_message_ts: string | null;
  source_thread_ts: string | null;
  post_channel_id: string | null;
  post_ts: string | null;
  created_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  plus_one_of: number | null;
  /** Comma-separated, from the ledger. */
  recipient_ids: string | null;
};

const list = (json: string): string[] => JSON.parse(json) as string[];

function rowToKudos(row: KudosRow): Kudos {
  return {
    id: row.id,
    sourceKey: row.source_key,
    teamId: row.team_id,
    giverId: row.giver_id,
    source: row.source as KudosSource,
    reason: row.reason,
    valueIds: list(row.value_ids),
    giverDepartments: list(row.giver_departments),
    giverTz: row.giver_tz,
    recipientIds: row.recipient_ids ? row.recipient_ids.split(',') : [],
    originChannelId: fromNull(row.origin_channel_id),
    sourceChannelId: fromNull(row.source_channel_id),
    sourceMessageTs: fromNull(row.source_message_ts),
    sourceThreadTs: fromNull(row.source_thread_ts),
    postChannelId: fromNull(row.post_channel_id),
    postTs: fromNull(row.post_ts),
    createdAt: row.created_at,
    revokedAt: fromNull(row.revoked_at),
    revokedReason: fromNull(row.revoked_reason),
    plusOneOf: fromNull(row.plus_one_of),
  };
}

const KUDOS_SELECT = `SELECT k.*, (SELECT group_concat(recipient_id) FROM
  (SELECT recipient_id FROM kudos_ledger l WHERE l.kudos_id = k.id ORDER BY l.id)) AS recipient_ids FROM kudos k`;

export function getKudos(db: Db, id: number): Kudos | undefined {
  const row = stmt(db, `${KUDOS_SELECT} WHERE k.id = ?`).get(id) as KudosRow | undefined;
  return row ? rowToKudos(row) : undefined;
}

/**
 * Whether a kudos was withdrawn: the check a delivery makes again after waiting on Slack, without
 * reading and parsing the whole kudos and its recipients a second time.
 */
export function isKudosWithdrawn(db: Db, id: number): boolean {
  const row = stmt(db, 'SELECT revoked_at FROM kudos WHERE id = ?').get(id) as
    | { revoked_at: number | null }
    | undefined;
  return row !== undefined && row.revoked_at !== null;
}

export function findActiveKudosBySource(db: Db, sourceKey: string): Kudos | undefined {
  const row = stmt(db, `${KUDOS_SELECT} WHERE k.source_key = ? AND k.revoked_at IS NULL`).get(sourceKey) as
    | KudosRow
    | undefined;
  return row ? rowToKudos(row) : undefined;
}

/** The kudos the app posted as this message (active or withdrawn): a reaction to it is a "+1". */
export function findKudosByPost(db: Db, channelId: string, postTs: string): Kudos | undefined {
  const row = stmt(db, `${KUDOS_SELECT} WHERE k.post_ts = ? AND k.post_channel_id = ?`).get(
    postTs,
    channelId,
  ) as KudosRow | undefined;
  return row ? rowToKudos(row) : undefined;
}

export function listActiveKudosForMessage(db: Db, channelId: string, messageTs: string): Kudos[] {
  const rows = stmt(
    db,
    `${KUDOS_SELECT} WHERE k.source_channel_id = ? AND k.source_message_ts = ? AND k.revoked_at IS NULL ORDER BY k.id`,
  ).all(channelId, messageTs) as KudosRow[];
  return rows.map(rowToKudos);
}

/** The ledger's unique key: where the kudos came from, who gave it, who got it. */
export function ledgerKey(sourceKey: string, giverId: string, recipientId: string): string {
  return `${sourceKey}|${giverId}|${recipientId}`;
}

export function insertKudos(db: Db, k: NewKudos): number {
  const id = Number(
    stmt(
      db,
      `INSERT INTO kudos (source_key, team_id, giver_id, source, reason, value_ids, giver_departments, giver_tz,
           origin_channel_id, source_channel_id, source_message_ts, source_thread_ts, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      k.sourceKey,
      k.teamId,
      k.giverId,
      k.source,
      k.reason,
      JSON.stringify(k.valueIds),
      JSON.stringify(k.giverDepartments),
      k.giverTz,
      k.originChannelId ?? null,
      k.sourceChannelId ?? null,
      k.sourceMessageTs ?? null,
      k.sourceThreadTs ?? null,
      k.now,
    ).lastInsertRowid,
  );
  if (k.plusOneOf !== undefined)
    stmt(db, 'UPDATE kudos SET plus_one_of = ? WHERE id = ?').run(k.plusOneOf, id);
  const insertRow = stmt(
    db,
    `INSERT INTO kudos_ledger (kudos_id, unique_key, giver_id, recipient_id, giver_departments,
       recipient_departments, cross_department, value_ids, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of k.recipients) {
    // Thanks crosses department lines when both sides belong somewhere and share no department.
    const cross =
      k.giverDepartments.length > 0 &&
      r.departments.length > 0 &&
      !r.departments.some((d) => k.giverDepartments.includes(d));
    insertRow.run(
      id,
      ledgerKey(k.sourceKey, k.giverId, r.userId),
      k.giverId,
      r.userId,
      JSON.stringify(k.giverDepartments),
      JSON.stringify(r.departments),
      cross ? 1 : 0,
      JSON.stringify(k.valueIds),
      k.source,
      k.now,
    );
  }
  return id;
}

/** The kudos `insertKudos` stored as `id`, as `getKudos` would read it back (not posted, not withdrawn). */
export function kudosAsInserted(id: number, k: NewKudos): Kudos {
  return {
    id,
    sourceKey: k.sourceKey,
    teamId: k.teamId,
    giverId: k.giverId,
    source: k.source,
    reason: k.reason,
    valueIds: k.valueIds,
    giverDepartments: k.giverDepartments,
    giverTz: k.giverTz,
    recipientIds: k.recipients.map((r) => r.userId),
    originChannelId: k.originChannelId,
    sourceChannelId: k.sourceChannelId,
    sourceMessageTs: k.sourceMessageTs,
    sourceThreadTs: k.sourceThreadTs,
    postChannelId: undefined,
    postTs: undefined,
    createdAt: k.now,
    revokedAt: undefined,
    revokedReason: undefined,
    plusOneOf: k.plusOneOf,
  };
}

/** Mark a kudos and its ledger rows withdrawn. Returns false when it was already withdrawn. */
export function revokeKudos(db: Db, id: number, reason: string, now: number): boolean {
  const changed = stmt(
    db,
    'UPDATE kudos SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
  ).run(now, reason, id).changes;
  if (changed === 0) return false;
  stmt(db, 'UPDATE kudos_ledger SET revoked_at = ? WHERE kudos_id = ? AND revoked_at IS NULL').run(now, id);
  return true;
}

/** The recipient's DM about this kudos went out. */
export function markRecipientNotified(db: Db, kudosId: number, recipientId: string, now: number): void {
  stmt(db, 'UPDATE kudos_ledger SET notified_at = ? WHERE kudos_id = ? AND recipient_id = ?').run(
    now,
    kudosId,
    recipientId,
  );
}

/** Recipients whose DM about this kudos went out: they are the ones to tell when it is withdrawn. */
export function listNotifiedRecipients(db: Db, kudosId: number): string[] {
  return stmt(
    db,
    'SELECT recipient_id FROM kudos_ledger WHERE kudos_id = ? AND notified_at IS NOT NULL ORDER BY id',
  )
    .pluck()
    .all(kudosId) as string[];
}

export function setKudosPost(db: Db, id: number, channelId: string, ts: string): void {
  stmt(db, 'UPDATE kudos SET post_channel_id = ?, post_ts = ? WHERE id = ?').run(channelId, ts, id);
}

/** What the giver has already given in this day window (active rows only). */
export function giverDay(db: Db, giverId: string, window: DayWindow): GiverDay {
  const rows = stmt(
    db,
    `SELECT recipient_id, COUNT(*) AS n FROM kudos_ledger
       WHERE giver_id = ? AND created_at >= ? AND created_at < ? AND revoked_at IS NULL GROUP BY recipient_id`,
  ).all(giverId, window.start, window.end) as { recipient_id: string; n: number }[];
  const perRecipientToday = new Map(rows.map((r) => [r.recipient_id, r.n]));
  return { usedToday: rows.reduce((sum, r) => sum + r.n, 0), perRecipientToday };
}

/** Remember a Slack event id; false when it was seen before (a retry). */
export function recordSlackEvent(db: Db, eventId: string, type: string, now: number): boolean {
  return (
    stmt(
      db,
      'INSERT INTO slack_events (event_id, type, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(eventId, type, now).changes === 1
  );
}

/** Forget event ids received before `before` (Slack retries for minutes, not days). Returns how many. */
export function pruneSlackEvents(db: Db, before: number): number {
  return stmt(db, 'DELETE FROM slack_events WHERE received_at < ?').run(before).changes;
}

/** One reactor's reaction with one emoji on one message. */
export type ReactionKey = { channelId: string; messageTs: string; userId: string; emoji: string };

/** Slack's `event_ts` ("1700000100.000100") zero-padded so that comparing the text compares the times. */
export function sortableEventTs(eventTs: string): string {
  const [seconds = '0', fraction = ''] = eventTs.split('.');
  return `${seconds.padStart(12, '0')}.${fraction.padEnd(6, '0')}`;
}

/**
 * Record a reaction event unless a later one for the same key was already seen: Slack does not deliver events in
 * order, and the latest `event_ts` decides. Returns false (and records nothing) when this event is outdated.
 */
export function claimReactionEvent(
  db: Db,
  key: ReactionKey,
  kind: 'added' | 'removed',
  eventTs: string,
  now: number,
): boolean {
  const ts = sortableEventTs(eventTs);
  const params = [key.channelId, key.messageTs, key.userId, key.emoji] as const;
  const latest = stmt(
    db,
    'SELECT event_ts FROM reaction_events WHERE channel_id = ? AND message_ts = ? AND user_id = ? AND emoji = ?',
  )
    .pluck()
    .get(...params) as string | undefined;
  if (latest !== undefined && latest > ts) return false;
  stmt(
    db,
    `INSERT INTO reaction_events (channel_id, message_ts, user_id, emoji, event_ts, kind, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET event_ts = excluded.event_ts, kind = excluded.kind, received_at = excluded.received_at`,
  ).run(...params, ts, kind, now);
  return true;
}

/** Forget reaction events received before `before` (after the undo window nothing depends on them). */
export function pruneReactionEvents(db: Db, before: number): number {
  return stmt(db, 'DELETE FROM reaction_events WHERE received_at < ?').run(before).changes;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers for the App Home (SQL over the ledger's indexes, never row by row)

export function countReceived(db: Db, userId: string, since: number): number {
  return stmt(
    db,
    'SELECT COUNT(*) FROM kudos_ledger WHERE recipient_id = ? AND created_at >= ? AND revoked_at IS NULL',
  )
    .pluck()
    .get(userId, since) as number;
}

export function countGiven(db: Db, userId: string, since: number): number {
  return stmt(
    db,
    'SELECT COUNT(*) FROM kudos_ledger WHERE giver_id = ? AND created_at >= ? AND revoked_at IS NULL',
  )
    .pluck()
    .get(userId, since) as number;
}

export function listRecentReceived(db: Db, userId: string, limit: number): ReceivedKudos[] {
  const rows = stmt(
    db,
    `SELECT k.id, k.giver_id, k.reason, k.value_ids, k.source, l.created_at FROM kudos_ledger l
       JOIN kudos k ON k.id = l.kudos_id
       WHERE l.recipient_id = ? AND l.revoked_at IS NULL ORDER BY l.created_at DESC, l.id DESC LIMIT ?`,
  ).all(userId, limit) as {
    id: number;
    giver_id: string;
    reason: string;
    value_ids: string;
    source: string;
    created_at: number;
  }[];
  return rows.map((r) => ({
    kudosId: r.id,
    giverId: r.giver_id,
    reason: r.reason,
    valueIds: list(r.value_ids),
    source: r.source as KudosSource,
    createdAt: r.created_at,
  }));
}

export function valueBreakdown(db: Db, userId: string): { valueId: string; count: number }[] {
  return (
    stmt(
      db,
      `SELECT v.value AS value_id, COUNT(*) AS n FROM kudos_ledger l, json_each(l.value_ids) v
         WHERE l.recipient_id = ? AND l.revoked_at IS NULL GROUP BY v.value ORDER BY n DESC, v.value`,
    ).all(userId) as { value_id: string; n: number }[]
  ).map((r) => ({ valueId: r.value_id, count: r.n }));
}

/**
 * The top `limit` recipients since `since`: each person who ever received kudos is found by one index step
 * (`people`), and their kudos since then counted in their own range of the index. The app never runs ANALYZE,
 * and without statistics SQLite does not skip through the index by person: a plain GROUP BY read the whole
 * ledger, 45-56 ms at 1M kudos for a week, on every App Home; this reads a week in about 6 ms.
 */
export function leaderboard(db: Db, since: number, limit: number): { userId: string; count: number }[] {
  return (
    stmt(
      db,
      `WITH RECURSIVE people(id) AS (
         SELECT (SELECT MIN(recipient_id) FROM kudos_ledger INDEXED BY kudos_ledger_recipient_created
                 WHERE revoked_at IS NULL)
         UNION ALL
         SELECT (SELECT MIN(recipient_id) FROM kudos_ledger INDEXED BY kudos_ledger_recipient_created
                 WHERE revoked_at IS NULL AND recipient_id > people.id)
           FROM people WHERE people.id IS NOT NULL
       ),
       counted AS MATERIALIZED (
         SELECT id AS recipient_id,
                (SELECT COUNT(*) FROM kudos_ledger INDEXED BY kudos_ledger_recipient_created
                  WHERE revoked_at IS NULL AND recipient_id = people.id AND created_at >= ?) AS n
           FROM people WHERE id IS NOT NULL
       )
       SELECT recipient_id, n FROM counted WHERE n > 0 ORDER BY n DESC, recipient_id LIMIT ?`,
    ).all(since, limit) as { recipient_id: string; n: number }[]
  ).map((r) => ({ userId: r.recipient_id, count: r.n }));
}

/**
 * The all-time leaderboard, from the running totals the ledger's triggers keep (migration 0012): a few rows of
 * an index, however long the history. With `department`, only kudos received as a member of that department.
 */
export function allTimeLeaderboard(
  db: Db,
  limit: number,
  department?: string,
): { userId: string; count: number }[] {
  return (
    stmt(
      db,
      `SELECT recipient_id, received FROM kudos_received_totals
         WHERE scope = ? AND received > 0 ORDER BY received DESC, recipient_id LIMIT ?`,
    ).all(department ?? '*', limit) as { recipient_id: string; received: number }[]
  ).map((r) => ({ userId: r.recipient_id, count: r.received }));
}

/**
 * One department's leaderboard since `since`: kudos received as a member of that department, from its own rows
 * of `kudos_department_received` (migration 0017, kept by the ledger's triggers), a range of that department's
 * kudos of the period rather than every kudos of it.
 */
export function departmentLeaderboard(
  db: Db,
  department: string,
  since: number,
  limit: number,
): { userId: string; count: number }[] {
  return (
    stmt(
      db,
      `SELECT recipient_id, COUNT(*) AS n FROM kudos_department_received
         WHERE department_id = ? AND created_at >= ? GROUP BY recipient_id ORDER BY n DESC, recipient_id LIMIT ?`,
    ).all(department, since, limit) as { recipient_id: string; n: number }[]
  ).map((r) => ({ userId: r.recipient_id, count: r.n }));
}

export type HomePrefs = { period: LeaderboardPeriod; department: string | undefined };

export function getHomePrefs(db: Db, userId: string): HomePrefs | undefined {
  const row = stmt(
    db,
    'SELECT leaderboard_period, leaderboard_department FROM kudos_home_prefs WHERE user_id = ?',
  ).get(userId) as
    | { leaderboard_period: LeaderboardPeriod; leaderboard_department: string | null }
    | undefined;
  return row && { period: row.leaderboard_period, department: row.leaderboard_department ?? undefined };
}

/** The department a person filters their leaderboard by (undefined: everyone); the period is kept. */
export function setHomeDepartment(db: Db, userId: string, department: string | undefined, now: number): void {
  stmt(
    db,
    `INSERT INTO kudos_home_prefs (user_id, leaderboard_period, leaderboard_department, updated_at)
     VALUES (?, 'week', ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET leaderboard_department = excluded.leaderboard_department,
       updated_at = excluded.updated_at`,
  ).run(userId, department ?? null, now);
}

export function setHomePeriod(db: Db, userId: string, period: LeaderboardPeriod, now: number): void {
  stmt(
    db,
    `INSERT INTO kudos_home_prefs (user_id, leaderboard_period, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET leaderboard_period = excluded.leaderboard_period, updated_at = excluded.updated_at`,
  ).run(userId, period, now);
}
