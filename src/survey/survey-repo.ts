import type { Db } from '../store/db.js';
import { fromNull } from '../store/rows.js';
import { stmt } from '../store/statements.js';

type SurveyRequestRow = {
  id: number;
  public_id: string;
  item_id: number;
  event_id: number;
  department_id: string | null;
  reporter_id: string;
  created_at: number;
  expires_at: number;
  score: number | null;
  comment: string | null;
  answered_at: number | null;
  answered_via: 'page' | 'rep' | null;
  recorded_by: string | null;
};

export type SurveyAnswer = {
  score: number;
  /** The customer's own words: untrusted text, escaped wherever it is shown. */
  comment: string | undefined;
  answeredAt: number;
  /** `page`: the customer answered; `rep`: a rep recorded what the customer said. */
  via: 'page' | 'rep';
  recordedBy: string | undefined;
};

export type SurveyRequest = {
  id: number;
  publicId: string;
  itemId: number;
  /** The resolution (history row) this survey follows. */
  eventId: number;
  departmentId: string | undefined;
  reporterId: string;
  createdAt: number;
  expiresAt: number;
  answer: SurveyAnswer | undefined;
};

function rowToRequest(row: SurveyRequestRow): SurveyRequest {
  return {
    id: row.id,
    publicId: row.public_id,
    itemId: row.item_id,
    eventId: row.event_id,
    departmentId: fromNull(row.department_id),
    reporterId: row.reporter_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    answer:
      row.answered_at === null || row.score === null
        ? undefined
        : {
            score: row.score,
            comment: fromNull(row.comment),
            answeredAt: row.answered_at,
            via: row.answered_via ?? 'page',
            recordedBy: fromNull(row.recorded_by),
          },
  };
}

export type NewSurveyRequest = Omit<SurveyRequest, 'id' | 'answer'>;

/** The survey request of a resolution, made the first time it is asked for (a retried DM finds the same one). */
export function ensureSurveyRequest(db: Db, request: NewSurveyRequest): SurveyRequest {
  stmt(
    db,
    `INSERT INTO survey_requests (public_id, item_id, event_id, department_id, reporter_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
  ).run(
    request.publicId,
    request.itemId,
    request.eventId,
    request.departmentId ?? null,
    request.reporterId,
    request.createdAt,
    request.expiresAt,
  );
  const row = stmt(db, 'SELECT * FROM survey_requests WHERE event_id = ?').get(request.eventId);
  return rowToRequest(row as SurveyRequestRow);
}

export function getSurveyRequest(db: Db, id: number): SurveyRequest | undefined {
  const row = stmt(db, 'SELECT * FROM survey_requests WHERE id = ?').get(id) as SurveyRequestRow | undefined;
  return row ? rowToRequest(row) : undefined;
}

export function findSurveyRequest(db: Db, publicId: string): SurveyRequest | undefined {
  const row = stmt(db, 'SELECT * FROM survey_requests WHERE public_id = ?').get(publicId) as
    | SurveyRequestRow
    | undefined;
  return row ? rowToRequest(row) : undefined;
}

/** Store the answer unless one is stored already; true when this call stored it. */
export function storeSurveyAnswer(db: Db, id: number, answer: SurveyAnswer): boolean {
  return (
    stmt(
      db,
      `UPDATE survey_requests SET score = ?, comment = ?, answered_at = ?, answered_via = ?, recorded_by = ?
         WHERE id = ? AND answered_at IS NULL`,
    ).run(answer.score, answer.comment ?? null, answer.answeredAt, answer.via, answer.recordedBy ?? null, id)
      .changes === 1
  );
}
