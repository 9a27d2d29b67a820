import { departmentsOfMember } from '../config/membership.js';
import type { OrgConfig } from '../config/org-schema.js';
import { getFeedbackItem } from '../feedback/repo.js';
import {
  insertCustomerPraise,
  listCustomerPraiseRecipients,
  markCustomerPraiseNotified,
} from '../kudos/customer-praise-repo.js';
import { queueHomeRefresh } from '../kudos/queue.js';
import type { KudosPeople } from '../kudos/service.js';
import { type OutboxHandlers, outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { classifySlackFailure } from '../slack/delivery/slack-errors.js';
import { permalinkOf } from '../slack/permalinks.js';
import type { Db } from '../store/db.js';
import { loopsOutbox } from './outbox.js';
import { praiseCardBlocks, praiseCardText, praiseDmText } from './praise-blocks.js';
import { claimPraiseCard, getPraiseCard, listPraised, setPraiseCardPost } from './praise-repo.js';

type Handler<K extends keyof typeof loopsOutbox> = OutboxHandlers<typeof loopsOutbox>[K];

/** One DM per colleague praised (idempotent per item and colleague). */
function queuePraiseDms(db: Db, itemId: number, recipientIds: readonly string[], now: number): void {
  for (const recipientId of recipientIds) {
    enqueueOutbox(
      db,
      {
        kind: 'praise.dm',
        payload: { itemId, recipientId },
        dedupeKey: `praise:${itemId}:dm:${recipientId}`,
        orderingKey: recipientId,
      },
      now,
    );
  }
}

function loadItem(db: Db, itemId: number) {
  const item = getFeedbackItem(db, itemId);
  if (!item) throw new Error(`feedback item ${itemId} not found`);
  return item;
}

/**
 * Customer praise, after the item is committed: the people it names are looked up (a bot, someone deactivated
 * or unknown to Slack, and the reporter are not "named"), their praise is recorded in one transaction with the
 * card or DMs it needs, and each is posted effectively once (a retry finds what was already done).
 */
export function createPraiseDeliveryHandlers(deps: { config: () => OrgConfig; people: KudosPeople }) {
  const record: Handler<'praise.record'> = async ({ itemId }, { db, clock, logger }) => {
    const item = loadItem(db, itemId);
    if (getPraiseCard(db, itemId)) return;
    const named = listPraised(db, itemId).filter((id) => id !== item.reporterId);
    const found = await Promise.all(named.map((id) => deps.people.user(id)));
    const people = named.filter((_, i) => !found[i]?.isBot && !found[i]?.deleted);
    const config = deps.config();
    const departments = await Promise.all(
      people.map(async (id) =>
        (await departmentsOfMember(config, id, deps.people.usergroupMembers)).map((d) => d.id),
      ),
    );
    const now = clock.now();
    db.transaction(() => {
      if (!claimPraiseCard(db, itemId, now)) return;
      people.forEach((recipientId, i) => {
        const recipientDepartments = departments[i] ?? [];
        insertCustomerPraise(db, {
          itemId,
          passedOnBy: item.reporterId,
          recipientId,
          recipientDepartments,
          now,
        });
      });
      if (people.length === 0) return;
      if (config.kudos && config.kudos.visibility !== 'private') {
        const card = {
          kind: 'praise.card' as const,
          payload: { itemId },
          dedupeKey: `praise:${itemId}:card`,
        };
        enqueueOutbox(db, { ...card, orderingKey: config.kudos.channel }, now);
      } else {
        queuePraiseDms(db, itemId, people, now);
      }
      queueHomeRefresh(db, people, `praise:${itemId}`, now);
    }).immediate();
    logger.info(
      { item: item.reference, named: named.length, praised: people.length },
      'customer praise recorded',
    );
  };

  const card: Handler<'praise.card'> = async ({ itemId }, { db, clock, post }) => {
    const recipients = listCustomerPraiseRecipients(db, itemId);
    const settings = deps.config().kudos;
    if (getPraiseCard(db, itemId)?.postTs || !settings || settings.visibility === 'private') {
      queuePraiseDms(db, itemId, recipients, clock.now());
      return;
    }
    const item = loadItem(db, itemId);
    let posted: { channel: string; ts: string };
    try {
      const blocks = praiseCardBlocks(item, recipients);
      posted = await post({ channel: settings.channel, text: praiseCardText(item, recipients), blocks });
    } catch (error) {
      // A card that can never be posted (channel gone) must not cost the colleagues their DMs.
      if (classifySlackFailure(error).kind === 'permanent')
        queuePraiseDms(db, itemId, recipients, clock.now());
      throw error;
    }
    db.transaction(() => {
      setPraiseCardPost(db, itemId, posted.channel, posted.ts);
      queuePraiseDms(db, itemId, recipients, clock.now());
    })();
  };

  const dm: Handler<'praise.dm'> = async ({ itemId, recipientId }, { client, db, clock, logger, post }) => {
    const item = loadItem(db, itemId);
    const posted = getPraiseCard(db, itemId);
    const link = await permalinkOf(client, posted?.postChannelId, posted?.postTs, logger);
    await post({ channel: recipientId, text: praiseDmText(item, link), unfurl_links: false });
    markCustomerPraiseNotified(db, itemId, recipientId, clock.now());
  };

  return outboxHandlers(loopsOutbox, { 'praise.record': record, 'praise.card': card, 'praise.dm': dm });
}
