import { z } from 'zod';
import type { OrgConfig } from '../config/org-schema.js';
import type { DeliveryHandler } from '../slack/delivery/delivery.js';
import { postMessage } from '../slack/delivery/post-message.js';
import { OutboxKinds } from '../slack/ids.js';
import { departmentPostBlocks, departmentPostText, receiptBlocks, receiptText } from './blocks.js';
import { getFeedbackItem, getLatestRouting, setFeedbackPermalink, setFeedbackPost } from './repo.js';

const itemPayload = z.object({ itemId: z.number().int().positive() });

/**
 * The Slack side of feedback intake, run by the outbox after the item is committed. Each handler renders
 * from the stored item at delivery time, and checks what was already done, so a retry never posts twice.
 */
export function createFeedbackDeliveryHandlers(deps: {
  config: () => OrgConfig;
}): Record<string, DeliveryHandler> {
  const load = (payload: unknown, db: Parameters<DeliveryHandler>[1]['db']) => {
    const { itemId } = itemPayload.parse(payload);
    const item = getFeedbackItem(db, itemId);
    const routing = getLatestRouting(db, itemId);
    if (!item || !routing) throw new Error(`feedback item ${itemId} not found`);
    const config = deps.config();
    const department = config.departments.find((d) => d.id === item.departmentId);
    return { item, routing, department, config };
  };

  const departmentPost: DeliveryHandler = async (payload, { client, db, clock, logger }) => {
    const { item, routing, department, config } = load(payload, db);
    if (item.postTs) return;
    if (item.sourceChannelId && item.sourceMessageTs && !item.sourcePermalink) {
      try {
        const link = await client.chat.getPermalink({
          channel: item.sourceChannelId,
          message_ts: item.sourceMessageTs,
        });
        if (link.permalink) {
          setFeedbackPermalink(db, item.id, link.permalink);
          item.sourcePermalink = link.permalink;
        }
      } catch (error) {
        // The link is a convenience; the channel and ts are stored, so the item still goes out.
        logger.warn({ err: error, item: item.reference }, 'could not get the source message permalink');
      }
    }
    // A department removed from the config since the item was filed: triage will find it a home.
    const channel = department?.channel ?? config.triage.channel;
    const posted = await postMessage(
      client,
      {
        channel,
        text: departmentPostText(item),
        blocks: departmentPostBlocks({ item, routing, department }),
        unfurl_links: false,
      },
      logger,
    );
    setFeedbackPost(db, item.id, posted.channel, posted.ts, clock.now());
    logger.info({ item: item.reference, channel: posted.channel }, 'feedback posted to its channel');
  };

  const receipt: DeliveryHandler = async (payload, { client, db, logger }) => {
    const { item, routing, department } = load(payload, db);
    await postMessage(
      client,
      {
        channel: item.reporterId,
        text: receiptText(item, department),
        blocks: receiptBlocks(item, routing, department),
      },
      logger,
    );
  };

  return { [OutboxKinds.feedbackDepartmentPost]: departmentPost, [OutboxKinds.feedbackReceipt]: receipt };
}
