import type { KnownBlock } from '@slack/types';
import type { OrgConfig } from '../config/org-schema.js';
import type { DeliveryContext } from '../slack/delivery/delivery.js';
import { NotYetPostedError } from '../slack/delivery/not-yet-posted.js';
import { type OutboxHandlers, outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { hasPending } from '../slack/delivery/outbox-repo.js';
import { CHANNEL_ERRORS, slackErrorCode } from '../slack/delivery/slack-errors.js';
import { permalinkOf } from '../slack/permalinks.js';
import type { Db } from '../store/db.js';
import {
  departmentPostBlocks,
  departmentPostText,
  fallbackNoteBlock,
  receiptBlocks,
  receiptText,
} from './blocks.js';
import type { AnswerExpectations } from './expected-answer.js';
import { getFeedbackEvent, listFeedbackEvents, type StoredFeedbackEvent } from './history-repo.js';
import {
  escalationDmText,
  escalationTriageText,
  historyLine,
  lifecycleActionsBlock,
  lifecycleExtraBlocks,
  movedBlocks,
  movedText,
  statusDmText,
} from './lifecycle-blocks.js';
import { feedbackOutbox } from './outbox.js';
import { contactButtonsBlock, waitingBlock, withWaitingButton } from './outcome-blocks.js';
import { getOutcomeState } from './outcome-state-repo.js';
import { getCustomerRisk, listSimilarItemIds } from './recurrence-repo.js';
import { getFeedbackItem, getLatestRouting, setFeedbackPermalink, setFeedbackPost } from './repo.js';
import { fixersOf, resolvedDmBlocks, thankFixersButton } from './resolved-dm-blocks.js';
import { type FeedbackItem, feedbackReference } from './types.js';

/** Blocks another room adds to the reporter's "resolved" DM (the survey's link or button). */
export type ResolvedDmBlocks = (item: FeedbackItem, resolution: StoredFeedbackEvent) => KnownBlock[];

/**
 * The Slack side of feedback, run by the outbox after the change is committed. Each handler renders
 * from the stored item at delivery time, and checks what was already done, so a retry never posts twice.
 */
export function createFeedbackDeliveryHandlers(deps: {
  config: () => OrgConfig;
  expectAnswer: AnswerExpectations;
  resolvedDmBlocks?: ResolvedDmBlocks | undefined;
}) {
  type Handler<K extends keyof typeof feedbackOutbox> = OutboxHandlers<typeof feedbackOutbox>[K];
  const load = ({ itemId }: { itemId: number }, db: Db) => {
    const item = getFeedbackItem(db, itemId);
    const routing = getLatestRouting(db, itemId);
    if (!item || !routing) throw new Error(`feedback item ${itemId} not found`);
    const config = deps.config();
    const department = config.departments.find((d) => d.id === item.departmentId);
    return { item, routing, department, config };
  };

  /** The whole department message from the current state: fields, lifecycle lines and buttons. */
  const renderPost = (db: Db, loaded: ReturnType<typeof load>) => {
    const { item, routing, department, config } = loaded;
    const similarIds = item.similarCount > 0 ? listSimilarItemIds(db, item.id) : [];
    const risk = item.customerAtRisk && item.customerId ? getCustomerRisk(db, item.customerId) : undefined;
    const extra = lifecycleExtraBlocks(
      item,
      {
        similar: similarIds.length
          ? {
              references: similarIds.map(feedbackReference),
              total: Math.max(item.similarCount, similarIds.length),
              windowDays: config.feedback.similarity.window_days,
            }
          : undefined,
        atRisk: risk ? { complaints: risk.complaints, days: config.feedback.at_risk.days } : undefined,
        history: listFeedbackEvents(db, item.id),
      },
      config,
    );
    const outcome = getOutcomeState(db, item.id);
    const waiting = waitingBlock(outcome);
    if (waiting) extra.unshift(waiting);
    const actions = withWaitingButton(lifecycleActionsBlock(item), item, outcome);
    return {
      text: departmentPostText(item),
      blocks: departmentPostBlocks({ item, routing, department, extra, ...(actions ? { actions } : {}) }),
    };
  };

  /**
   * Post in the department channel; if Slack will never take it there (the app is not in the private channel,
   * the channel is gone), post it in the triage channel instead, say why on it, and tell the admins.
   */
  const postOrTriage = async (
    ctx: DeliveryContext,
    channel: string,
    triage: string,
    message: { text: string; blocks: KnownBlock[] },
  ) => {
    try {
      return await ctx.post({ channel, ...message, unfurl_links: false });
    } catch (error) {
      const code = slackErrorCode(error);
      if (channel === triage || code === undefined || !CHANNEL_ERRORS.has(code)) throw error;
      ctx.reportProblem({ code, channel });
      ctx.logger.warn({ channel, code }, 'cannot post in the department channel; posting in triage instead');
      // Slack allows 50 blocks: the note goes first when there is room.
      const blocks =
        message.blocks.length < 50 ? [fallbackNoteBlock(channel, code), ...message.blocks] : message.blocks;
      return ctx.post({ channel: triage, text: message.text, blocks, unfurl_links: false });
    }
  };

  const departmentPost: Handler<'feedback.department_post'> = async (payload, ctx) => {
    const { client, db, clock, logger } = ctx;
    const loaded = load(payload, db);
    const { item, department, config } = loaded;
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
    const posted = await postOrTriage(ctx, channel, config.triage.channel, renderPost(db, loaded));
    // With the sent mark, in the batch that marks it: an update or thread line of the item waits for it.
    ctx.whenMarkedSent(() => setFeedbackPost(db, item.id, posted.channel, posted.ts, clock.now()));
    logger.info({ item: item.reference, channel: posted.channel }, 'feedback posted to its channel');
  };

  const receipt: Handler<'feedback.receipt_dm'> = async (payload, { db, post }) => {
    const { item, routing, department } = load(payload, db);
    await post({
      channel: item.reporterId,
      text: receiptText(item, department),
      blocks: receiptBlocks(item, routing, department, deps.expectAnswer(item, department)),
    });
  };

  /**
   * Update the department message in place; a post still queued will render the current state itself.
   * Updates run concurrently, so an older render could land after a newer one: after each update, if the
   * item changed meanwhile, render and update again, so the last update to land shows the latest state.
   */
  const postUpdate: Handler<'feedback.post_update'> = async (payload, { client, db }) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const loaded = load(payload, db);
      const { item } = loaded;
      if (!item.postChannelId || !item.postTs) return;
      await client.chat.update({ channel: item.postChannelId, ts: item.postTs, ...renderPost(db, loaded) });
      if (getFeedbackItem(db, item.id)?.version === item.version) return;
    }
  };

  const threadNote: Handler<'feedback.thread_note'> = async (payload, { db, post }) => {
    const { eventId } = payload;
    const { item, config } = load(payload, db);
    const event = getFeedbackEvent(db, eventId);
    if (!event) throw new Error(`feedback event ${eventId} not found`);
    if (!item.postChannelId || !item.postTs) {
      throw new NotYetPostedError(`${item.reference} is not posted yet; the history line waits for it`);
    }
    await post({ channel: item.postChannelId, thread_ts: item.postTs, text: historyLine(event, config) });
  };

  const statusDm: Handler<'feedback.status_dm'> = async (payload, { db, post }) => {
    const { eventId } = payload;
    const { item, config } = load(payload, db);
    const event = getFeedbackEvent(db, eventId);
    if (!event) throw new Error(`feedback event ${eventId} not found`);
    const text = statusDmText(item, event, config);
    // The resolved DM: the note, the thank-the-fixers button, told-the-customer, then what other rooms add.
    const resolvedNow = event.action === 'resolve';
    const contact =
      resolvedNow && item.status === 'resolved'
        ? contactButtonsBlock(item, getOutcomeState(db, item.id))
        : undefined;
    const fixers = resolvedNow ? fixersOf(item, listFeedbackEvents(db, item.id)) : [];
    const thanks = resolvedNow ? thankFixersButton(item, fixers, config.kudos !== undefined) : undefined;
    const extra = resolvedNow ? (deps.resolvedDmBlocks?.(item, event) ?? []) : [];
    const blocks = resolvedDmBlocks(text, [thanks], [contact, ...extra]);
    await post({ channel: item.reporterId, text, ...(blocks ? { blocks } : {}) });
  };

  /**
   * The old department message after a reassignment: says where it went, with a link to the new message (so it
   * waits for that message while it is still queued), and loses its buttons.
   */
  const movedNotice: Handler<'feedback.moved_notice'> = async (payload, { client, db, logger, post }) => {
    const { eventId, channel, ts } = payload;
    const { item, config } = load(payload, db);
    const event = getFeedbackEvent(db, eventId);
    if (!event) throw new Error(`feedback event ${eventId} not found`);
    if (hasPending(db, 'feedback.department_post', { field: 'itemId', value: item.id })) {
      throw new NotYetPostedError(
        `${item.reference} is not posted in its new channel yet; the link waits for it`,
      );
    }
    const now =
      item.postChannelId && item.postTs ? { channel: item.postChannelId, ts: item.postTs } : undefined;
    const link = now && { channel: now.channel, url: await permalinkOf(client, now.channel, now.ts, logger) };
    await client.chat.update({
      channel,
      ts,
      text: movedText(item, event, config),
      blocks: movedBlocks(item, event, config, link),
    });
    await post({ channel, thread_ts: ts, text: historyLine(event, config) });
  };

  const escalation =
    (to: 'leads' | 'triage'): Handler<'feedback.escalation_dm'> =>
    async (payload, { client, db, logger, post }) => {
      const e = payload;
      const { item, department, config } = load(payload, db);
      if (!department) return; // moved to triage since: triage sees it anyway
      if (item.status === 'resolved') return; // resolved before this went out: nothing to chase (still a breach)
      const due = { kind: e.kind, level: e.level, dueAt: e.dueAt, key: e.key };
      const channel = to === 'leads' ? (e.userId ?? department.channel) : config.triage.channel;
      const link = await permalinkOf(client, item.postChannelId, item.postTs, logger);
      const text =
        to === 'leads'
          ? escalationDmText(item, due, department, link)
          : escalationTriageText(item, due, department, e.at, link);
      await post({ channel, text, unfurl_links: false });
    };

  return outboxHandlers(feedbackOutbox, {
    'feedback.department_post': departmentPost,
    'feedback.receipt_dm': receipt,
    'feedback.post_update': postUpdate,
    'feedback.thread_note': threadNote,
    'feedback.status_dm': statusDm,
    'feedback.moved_notice': movedNotice,
    'feedback.escalation_dm': escalation('leads'),
    'feedback.escalation_triage': escalation('triage'),
  });
}
