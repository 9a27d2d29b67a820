import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import { getRun, markRunFailed } from '../jobs/run-log.js';
import type { DeliveryHandler } from '../slack/delivery/delivery.js';
import { classifySlackFailure, slackErrorCode } from '../slack/delivery/slack-errors.js';
import { OutboxKinds } from '../slack/ids.js';
import { permalinksOf } from '../slack/permalinks.js';
import { formatDayMonth } from '../time/local-time.js';
import { renderTrendChart, type TrendPoint } from './chart.js';
import type { ManagerDigest } from './compose.js';
import { AT_RISK_SHOWN, digestBlocks, digestText, valueLabelsOf } from './render.js';
import { getDigestSend, saveDigestSend } from './sends-repo.js';
import type { DigestService } from './service.js';

/**
 * Sends one manager's weekly digest: the eight-week chart uploaded to the manager's DM (files.uploadV2), then
 * the digest message. Each step is recorded, so a retry after a rate limit or a crash resumes where it
 * stopped. When the upload fails (or charts are off) the message carries a text sparkline instead.
 */

const runPayload = z.object({ runId: z.number().int().positive() });

export function digestTitle(digest: Pick<ManagerDigest, 'period' | 'timezone'>): string {
  return `Weekly digest: week of ${formatDayMonth(digest.period.start, digest.timezone)}`;
}

export function trendPoints(digest: ManagerDigest): TrendPoint[] {
  const labels = digest.trend.weeks.map((w) => formatDayMonth(w.start, digest.timezone));
  const series: [string, number[]][] = [
    ['Feedback received', digest.trend.received],
    ['Resolved', digest.trend.resolved],
    ['Kudos received', digest.trend.kudos],
  ];
  return series.flatMap(([name, values]) =>
    labels.map((label, i) => ({ label, series: name, value: values[i] ?? 0 })),
  );
}

/** Links to the messages of the items the digest names: the oldest open ones and the customers' at risk. */
export function itemLinks(client: WebClient, digest: ManagerDigest): Promise<Map<number, string>> {
  return permalinksOf(client, [
    ...digest.oldestOpen,
    ...digest.atRisk.slice(0, AT_RISK_SHOWN).map((c) => ({ ...c, id: c.latestItemId })),
  ]);
}

function uploadedFileId(result: unknown): string | undefined {
  const files = (result as { files?: { files?: { id?: string }[]; id?: string }[] }).files;
  const first = files?.[0];
  return first?.files?.[0]?.id ?? first?.id;
}

export function createDigestDeliveryHandlers(deps: {
  config: () => OrgConfig;
  digests: Pick<DigestService, 'compose'>;
}): Record<string, DeliveryHandler> {
  const managerDigest: DeliveryHandler = async (payload, { client, db, clock, logger, post }) => {
    const { runId } = runPayload.parse(payload);
    const run = getRun(db, runId);
    if (!run) throw new Error(`digest run ${runId} not found`);
    const config = deps.config();
    const manager = config.managers.find((m) => m.user === run.subject);
    if (!manager) {
      logger.warn({ manager: run.subject }, 'manager removed from the config before their digest went out');
      markRunFailed(db, run.id, 'manager no longer in the config');
      return;
    }
    const send = getDigestSend(db, run.id);
    // Posted already (the outbox retried after the post was recorded). A crash between Slack's answer and this
    // record is covered by `post`, which looks for the message in the DM before posting again.
    if (send.messageTs) return;
    const digest = await deps.digests.compose(manager, { start: run.periodStart, end: run.periodEnd });
    const title = digestTitle(digest);

    if (config.digest.charts && !send.chartFileId && !send.chartProblem) {
      try {
        if (!send.dmChannelId) {
          const opened = await client.conversations.open({ users: manager.user });
          send.dmChannelId = opened.channel?.id;
          if (!send.dmChannelId) throw new Error('conversations.open answered without a channel id');
          saveDigestSend(db, send, clock.now());
        }
        const png = await renderTrendChart(trendPoints(digest), {
          title: `Eight-week trend to ${formatDayMonth(run.periodEnd - 1, digest.timezone)}`,
        });
        const uploaded = await client.files.uploadV2({
          channel_id: send.dmChannelId,
          file: png,
          filename: `courtesy-loop-trend-${new Date(run.periodEnd).toISOString().slice(0, 10)}.png`,
          title: `Eight-week trend: feedback received, resolved, kudos (${title})`,
          alt_text: 'Line chart of feedback received, resolved and kudos received per week for eight weeks',
        });
        send.chartFileId = uploadedFileId(uploaded) ?? 'uploaded';
      } catch (error) {
        if (classifySlackFailure(error).kind === 'rate-limited') throw error;
        send.chartProblem = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
        logger.warn(
          { manager: manager.user, problem: send.chartProblem },
          'could not upload the digest chart; sending the text trend instead',
        );
      }
      saveDigestSend(db, send, clock.now());
    }

    const links = await itemLinks(client, digest);
    let posted: { channel: string; ts: string };
    try {
      posted = await post({
        channel: send.dmChannelId ?? manager.user,
        text: digestText(digest, title),
        blocks: digestBlocks(digest, {
          title,
          chartUploaded: send.chartFileId !== undefined,
          links,
          valueLabels: valueLabelsOf(config),
        }),
        unfurl_links: false,
      });
    } catch (error) {
      const failure = classifySlackFailure(error);
      if (failure.kind !== 'permanent') throw error;
      // A deactivated manager, a user id that does not exist: retrying will not help; the run log says why.
      logger.error({ manager: manager.user, error: failure.reason }, 'could not send the manager digest');
      markRunFailed(db, run.id, failure.reason);
      return;
    }
    send.messageTs = posted.ts;
    send.dmChannelId = posted.channel;
    saveDigestSend(db, send, clock.now());
  };

  return { [OutboxKinds.managerDigest]: managerDigest };
}
