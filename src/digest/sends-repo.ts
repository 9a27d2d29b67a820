import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';

/** What a digest run has already done in Slack, so a retried delivery never uploads or posts twice. */
export type DigestSend = {
  runId: number;
  dmChannelId: string | undefined;
  chartFileId: string | undefined;
  chartProblem: string | undefined;
  messageTs: string | undefined;
};

type Row = {
  run_id: number;
  dm_channel_id: string | null;
  chart_file_id: string | null;
  chart_problem: string | null;
  message_ts: string | null;
};

export function getDigestSend(db: Db, runId: number): DigestSend {
  const row = stmt(db, 'SELECT * FROM digest_sends WHERE run_id = ?').get(runId) as Row | undefined;
  return {
    runId,
    dmChannelId: row?.dm_channel_id ?? undefined,
    chartFileId: row?.chart_file_id ?? undefined,
    chartProblem: row?.chart_problem ?? undefined,
    messageTs: row?.message_ts ?? undefined,
  };
}

export function saveDigestSend(db: Db, send: DigestSend, now: number): void {
  stmt(
    db,
    `INSERT INTO digest_sends (run_id, dm_channel_id, chart_file_id, chart_problem, message_ts, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET dm_channel_id = excluded.dm_channel_id,
       chart_file_id = excluded.chart_file_id, chart_problem = excluded.chart_problem,
       message_ts = excluded.message_ts, updated_at = excluded.updated_at`,
  ).run(
    send.runId,
    send.dmChannelId ?? null,
    send.chartFileId ?? null,
    send.chartProblem ?? null,
    send.messageTs ?? null,
    now,
  );
}
