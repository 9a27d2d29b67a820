import type { Db } from '../../store/db.js';
import { stmt } from '../../store/statements.js';

/** Why deliveries fail, once per cause (`not_in_channel:C0123`, `token:invalid_auth`, `parked:outage`). */
export type DeliveryProblem = {
  cause: string;
  code: string;
  channel: string | undefined;
  firstAt: number;
  lastAt: number;
  count: number;
  reportedAt: number | undefined;
};

type ProblemRow = {
  cause: string;
  code: string;
  channel: string | null;
  first_at: number;
  last_at: number;
  count: number;
  reported_at: number | null;
};

const rowToProblem = (r: ProblemRow): DeliveryProblem => ({
  cause: r.cause,
  code: r.code,
  channel: r.channel ?? undefined,
  firstAt: r.first_at,
  lastAt: r.last_at,
  count: r.count,
  reportedAt: r.reported_at ?? undefined,
});

export type ProblemInput = { cause: string; code: string; channel?: string | undefined };

/** Count one more failure of this cause; a cause resolved earlier starts over (and is reported again). */
export function recordProblem(db: Db, input: ProblemInput, now: number): DeliveryProblem {
  const row = stmt(
    db,
    `INSERT INTO delivery_problems (cause, code, channel, first_at, last_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (cause) DO UPDATE SET
         last_at = excluded.last_at,
         count = CASE WHEN resolved_at IS NULL THEN count + 1 ELSE 1 END,
         first_at = CASE WHEN resolved_at IS NULL THEN first_at ELSE excluded.first_at END,
         reported_at = CASE WHEN resolved_at IS NULL THEN reported_at ELSE NULL END,
         resolved_at = NULL
       RETURNING *`,
  ).get(input.cause, input.code, input.channel ?? null, now, now) as ProblemRow;
  return rowToProblem(row);
}

export function markProblemReported(db: Db, cause: string, now: number): void {
  stmt(db, 'UPDATE delivery_problems SET reported_at = ? WHERE cause = ?').run(now, cause);
}

export function listOpenProblems(db: Db): DeliveryProblem[] {
  return (
    stmt(
      db,
      'SELECT * FROM delivery_problems WHERE resolved_at IS NULL ORDER BY last_at DESC',
    ).all() as ProblemRow[]
  ).map(rowToProblem);
}

/** Close open problems whose cause starts with `prefix` (all when empty); returns those closed. */
export function resolveProblems(db: Db, prefix: string, now: number): DeliveryProblem[] {
  return (
    stmt(
      db,
      `UPDATE delivery_problems SET resolved_at = ? WHERE resolved_at IS NULL AND substr(cause, 1, ?) = ?
         RETURNING *`,
    ).all(now, prefix.length, prefix) as ProblemRow[]
  ).map(rowToProblem);
}
