import type { WebClient } from '@slack/web-api';
import type { OrgConfig } from '../config/org-schema.js';
import { getRun, markRunFailed } from '../jobs/run-log.js';
import type { DeliveryContext } from '../slack/delivery/delivery.js';
import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { classifySlackFailure, slackErrorCode } from '../slack/delivery/slack-errors.js';
import { permalinksOf } from '../slack/permalinks.js';
import { formatDayMonth } from '../time/local-time.js';
import { renderTrendChart, type TrendPoint } from './chart.js';
import type { ManagerDigest } from './compose.js';
import { digestOutbox } from './outbox.js';
import { AT_RISK_SHOWN, digestBlocks, digestText, digestTitle, valueLabelsOf } from './render.js';
import { type DigestSend, getDigestSend, saveDigestSend } from './sends-repo.js';
import type { DigestService } from './service.js';

/**
 * Sends one manager's weekly digest: the eight-week chart uploaded to the manager's DM (files.uploadV2), then
 * the digest message. Each step is recorded, so a retry after a rate limit or a crash resumes where it
 * stopped. When the upload fails (or charts are off) the message carries a text sparkline instead.
 */

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

type Manager = OrgConfig['managers'][number];

/**
 * Upload the eight-week chart to the manager's DM and record it; a failure other than a rate limit is recorded
 * too, and the message then carries the text trend.
 */
async function uploadChart(
  { client, db, clock, logger }: DeliveryContext,
  send: DigestSend,
  manager: Manager,
  digest: ManagerDigest,
  periodEnd: number,
): Promise<void> {
  const title = digestTitle(digest);
  try {
    if (!send.dmChannelId) {
      const opened = await client.conversations.open({ users: manager.user });
      send.dmChannelId = opened.channel?.id;
      if (!send.dmChannelId) throw new Error('conversations.open answered without a channel id');
      saveDigestSend(db, send, clock.now());
    }
    const png = await renderTrendChart(trendPoints(digest), {
      title: `Eight-week trend to ${formatDayMonth(periodEnd - 1, digest.timezone)}`,
    });
    const uploaded = await client.files.uploadV2({
      channel_id: send.dmChannelId,
      file: png,
      filename: `courtesy-loop-trend-${new Date(periodEnd).toISOString().slice(0, 10)}.png`,
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

/** Post the digest message; the reason when Slack will never take it (the run log then says why). */
async function postDigest(
  ctx: DeliveryContext,
  send: DigestSend,
  manager: Manager,
  digest: ManagerDigest,
  config: OrgConfig,
): Promise<{ channel: string; ts: string } | { failed: string }> {
  const title = digestTitle(digest);
  const links = await itemLinks(ctx.client, digest);
  try {
    return await ctx.post({
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
    ctx.logger.error({ manager: manager.user, error: failure.reason }, 'could not send the manager digest');
    return { failed: failure.reason };
  }
}

export function createDigestDeliveryHandlers(deps: {
  config: () => OrgConfig;
  digests: Pick<DigestService, 'compose'>;
}) {
  return outboxHandlers(digestOutbox, {
    'digest.manager_dm': async ({ runId }, ctx) => {
      const { db, clock, logger } = ctx;
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
      // Posted already (the outbox retried after the post was recorded). A crash between Slack's answer and
      // this record is covered by `post`, which looks for the message in the DM before posting again.
      if (send.messageTs) return;
      const digest = await deps.digests.compose(manager, { start: run.periodStart, end: run.periodEnd });
      if (config.digest.charts && !send.chartFileId && !send.chartProblem) {
        await uploadChart(ctx, send, manager, digest, run.periodEnd);
      }
      const posted = await postDigest(ctx, send, manager, digest, config);
      if ('failed' in posted) {
        markRunFailed(db, run.id, posted.failed);
        return;
      }
      send.messageTs = posted.ts;
      send.dmChannelId = posted.channel;
      saveDigestSend(db, send, clock.now());
    },
  });
}
