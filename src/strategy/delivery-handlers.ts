import type { OrgConfig } from '../config/org-schema.js';
import { getRun, markRunFailed } from '../jobs/run-log.js';
import { createSlicer } from '../jobs/slicer.js';
import type { DeliveryContext } from '../slack/delivery/delivery.js';
import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { slackErrorCode } from '../slack/delivery/slack-errors.js';
import { permalinksOf } from '../slack/permalinks.js';
import { reminderBlocks, reminderFailedText, reminderText } from './blocks.js';
import { strategyOutbox } from './outbox.js';
import { reminderLeadInSlices } from './reminder-slices.js';
import type { StrategyService } from './service.js';

/** Channel problems only an admin can fix: retrying will not help, telling someone will. */
const CHANNEL_PROBLEMS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'method_not_supported_for_channel_type',
  'restricted_action',
]);

export function createStrategyDeliveryHandlers(deps: {
  config: () => OrgConfig;
  strategy: Pick<StrategyService, 'teamStrategy'>;
  /** Slack requests being answered now: a reminder's numbers are counted in slices that wait for them. */
  requestsInFlight?: () => number;
}) {
  const slices = createSlicer(deps.requestsInFlight ? { requestsInFlight: deps.requestsInFlight } : {});
  const reminder = async (
    { runId }: { runId: number },
    { client, db, clock, logger, post }: DeliveryContext,
  ) => {
    const run = getRun(db, runId);
    if (!run) throw new Error(`reminder run ${runId} not found`);
    const config = deps.config();
    const department = config.departments.find((d) => d.id === run.subject);
    if (!department) {
      logger.warn(
        { department: run.subject },
        'department removed from the config before its reminder went out',
      );
      markRunFailed(db, run.id, 'department no longer in the config');
      return;
    }
    const strategy = deps.strategy.teamStrategy(department, { start: run.periodStart, end: run.periodEnd });
    const links = await permalinksOf(client, strategy.open.oldest);
    const lead = await reminderLeadInSlices(db, strategy, slices);
    try {
      await post({
        channel: department.channel,
        text: reminderText(strategy),
        blocks: reminderBlocks(strategy, links, lead),
        unfurl_links: false,
      });
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !CHANNEL_PROBLEMS.has(code)) throw error;
      logger.error(
        { department: department.id, channel: department.channel, error: code },
        'could not post the team reminder: the app cannot post in that channel; admins are told',
      );
      const now = clock.now();
      db.transaction(() => {
        markRunFailed(db, run.id, code);
        for (const admin of config.admins) {
          enqueueOutbox(
            db,
            {
              kind: 'admin.alert_dm',
              payload: { userId: admin, text: reminderFailedText(department, code) },
              dedupeKey: `reminder-failed:${run.id}:${admin}`,
              orderingKey: admin,
            },
            now,
          );
        }
      })();
    }
  };

  return outboxHandlers(strategyOutbox, { 'strategy.reminder': reminder });
}
