import type { OrgConfig } from '../config/org-schema.js';
import { insertFeedbackEvent } from '../feedback/history-repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';

/** Where an item's message is (or will be): its post, else its department's channel, else triage. */
function itemChannel(config: OrgConfig, item: FeedbackItem): string {
  return (
    item.postChannelId ??
    config.departments.find((d) => d.id === item.departmentId)?.channel ??
    config.triage.channel
  );
}

/**
 * Records an outcome event in the item's history (who, when, what) and queues its line in the item's thread and
 * the update of the department message (whose history shows it), in the caller's transaction. Returns the event.
 */
export function noteOnItem(
  db: Db,
  config: OrgConfig,
  change: { item: FeedbackItem; actorId: string; action: string; note?: string | undefined; now: number },
): number {
  const { item, now } = change;
  const eventId = insertFeedbackEvent(db, {
    itemId: item.id,
    at: now,
    actorId: change.actorId,
    action: change.action,
    fromStatus: undefined,
    toStatus: undefined,
    note: change.note,
  });
  const channel = itemChannel(config, item);
  enqueueOutbox(
    db,
    {
      kind: 'feedback.post_update',
      payload: { itemId: item.id },
      dedupeKey: `feedback:event:${eventId}:update`,
      orderingKey: channel,
    },
    now,
  );
  enqueueOutbox(
    db,
    {
      kind: 'feedback.thread_note',
      payload: { itemId: item.id, eventId },
      dedupeKey: `feedback:event:${eventId}:thread`,
      orderingKey: channel,
    },
    now,
  );
  return eventId;
}
