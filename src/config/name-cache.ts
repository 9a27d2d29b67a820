import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { RefKind } from './slack-refs.js';

/** The `slack_names` table: the id Slack last gave for each name in the org config. */
type NameRow = { kind: RefKind; name: string; slack_id: string; resolved_at: number };

export type CachedName = { kind: RefKind; name: string; id: string; resolvedAt: number };

const rowToCachedName = (r: NameRow): CachedName => ({
  kind: r.kind,
  name: r.name,
  id: r.slack_id,
  resolvedAt: r.resolved_at,
});

export function listCachedNames(db: Db): CachedName[] {
  return (stmt(db, 'SELECT kind, name, slack_id, resolved_at FROM slack_names').all() as NameRow[]).map(
    rowToCachedName,
  );
}

export function saveCachedName(db: Db, entry: CachedName): void {
  stmt(
    db,
    `INSERT INTO slack_names (kind, name, slack_id, resolved_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, name) DO UPDATE SET slack_id = excluded.slack_id, resolved_at = excluded.resolved_at`,
  ).run(entry.kind, entry.name, entry.id, entry.resolvedAt);
}
