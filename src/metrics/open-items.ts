import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/** An item open now (see OPEN_STATUSES in feedback/types.ts), as reminders, /strategy, the App Home and digests list it. */
export type OpenItem = {
  id: number;
  departmentId: string;
  severity: string;
  kind: string;
  status: string;
  createdAt: number;
  postChannelId: string | undefined;
  postTs: string | undefined;
};

/** The oldest items still open in these departments (no customer details: the digest leaves the channel). */
export function oldestOpenItems(db: Db, departmentIds: readonly string[], limit: number): OpenItem[] {
  // One indexed query per department (oldest first from the partial "open" index), then merged.
  const query = stmt(
    db,
    `SELECT id, department_id, severity, kind, status, created_at, post_channel_id, post_ts FROM feedback_items
     WHERE department_id = ? AND status <> 'resolved' ORDER BY created_at, id LIMIT ?`,
  );
  const rows = departmentIds
    .flatMap(
      (id) =>
        query.all(id, limit) as {
          id: number;
          department_id: string;
          severity: string;
          kind: string;
          status: string;
          created_at: number;
          post_channel_id: string | null;
          post_ts: string | null;
        }[],
    )
    .sort((a, b) => a.created_at - b.created_at || a.id - b.id)
    .slice(0, limit);
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id,
    severity: r.severity,
    kind: r.kind,
    status: r.status,
    createdAt: r.created_at,
    postChannelId: r.post_channel_id ?? undefined,
    postTs: r.post_ts ?? undefined,
  }));
}
