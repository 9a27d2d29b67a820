import type { Db } from '../../src/store/db.js';

/** One kudos ledger row (one recipient of a kudos), written as the kudos feature stores it. */
export function insertLedgerRow(
  db: Db,
  row: {
    kudosId: number;
    giver: string;
    recipient: string;
    giverDepartments: readonly string[];
    recipientDepartments: readonly string[];
    crossing: boolean;
    /** The kudos's values, as stored (a JSON list). */
    values: string;
    at: number;
    revokedAt: number | null;
  },
): void {
  db.prepare(
    `INSERT INTO kudos_ledger (kudos_id, unique_key, giver_id, recipient_id, giver_departments, recipient_departments,
       cross_department, value_ids, source, created_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'command', ?, ?)`,
  ).run(
    row.kudosId,
    `${row.kudosId}:${row.recipient}`,
    row.giver,
    row.recipient,
    JSON.stringify(row.giverDepartments),
    JSON.stringify(row.recipientDepartments),
    row.crossing ? 1 : 0,
    row.values,
    row.at,
    row.revokedAt,
  );
}
