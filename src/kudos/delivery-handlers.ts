import type { OrgConfig } from '../config/org-schema.js';
import { NotYetPostedError } from '../slack/delivery/not-yet-posted.js';
import { type OutboxHandlers, outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { hasPending } from '../slack/delivery/outbox-repo.js';
import { classifySlackFailure } from '../slack/delivery/slack-errors.js';
import type { ResponseUrlPoster } from '../slack/error-path.js';
import { permalinkOf } from '../slack/permalinks.js';
import type { Db } from '../store/db.js';
import { giveAnswer } from './answer.js';
import { kudosPostBlocks, kudosPostText, withdrawnPostBlocks, withdrawnRecipientDmText } from './blocks.js';
import { combinedKudosDeliveries } from './combined-deliveries.js';
import { giverNoticeText, recipientDmOf, recipientTold, tellGiver } from './delivery-steps.js';
import { sourcePlace } from './message-places.js';
import { kudosOutbox } from './outbox.js';
import { queueRecipientDms } from './queue.js';
import { getKudos, isKudosWithdrawn, setKudosPost } from './repo.js';
import type { KudosPeople, KudosService } from './service.js';

/**
 * The Slack side of kudos, run by the outbox after the ledger is committed. Each handler renders from the
 * stored kudos at delivery time and checks what was already done, so a retry never posts twice, and a kudos
 * withdrawn before its turn is never posted.
 */
function kudosMessageHandlers(deps: { config: () => OrgConfig; people: KudosPeople }) {
  type Handler<K extends keyof typeof kudosOutbox> = OutboxHandlers<typeof kudosOutbox>[K];
  const load = ({ kudosId }: { kudosId: number }, db: Db) => {
    const kudos = getKudos(db, kudosId);
    if (!kudos) throw new Error(`kudos ${kudosId} not found`);
    return kudos;
  };

  const kudosPost: Handler<'kudos.post'> = async (payload, ctx) => {
    const { client, db, clock, logger, post } = ctx;
    const kudos = load(payload, db);
    if (kudos.revokedAt !== undefined) return;
    if (kudos.postTs) {
      queueRecipientDms(db, kudos.id, kudos.recipientIds, clock.now());
      return;
    }
    const settings = deps.config().kudos;
    if (!settings) {
      queueRecipientDms(db, kudos.id, kudos.recipientIds, clock.now());
      return;
    }
    const inThread = settings.visibility === 'thread' && kudos.sourceChannelId && kudos.sourceMessageTs;
    const link = inThread
      ? undefined
      : await permalinkOf(client, kudos.sourceChannelId, kudos.sourceMessageTs, logger, sourcePlace(kudos));
    // Withdrawn while the link was fetched: it was never posted, and never will be.
    if (isKudosWithdrawn(db, kudos.id)) return;
    let posted: { channel: string; ts: string };
    try {
      posted = await post({
        channel: inThread ? (kudos.sourceChannelId ?? settings.channel) : settings.channel,
        ...(inThread && kudos.sourceMessageTs
          ? { thread_ts: kudos.sourceThreadTs ?? kudos.sourceMessageTs }
          : {}),
        text: kudosPostText(kudos),
        blocks: kudosPostBlocks(kudos, settings, link),
        unfurl_links: false,
      });
    } catch (error) {
      // A post that can never succeed (channel gone) must not cost the recipients their DMs.
      if (classifySlackFailure(error).kind === 'permanent') {
        queueRecipientDms(db, kudos.id, kudos.recipientIds, clock.now());
      }
      throw error;
    }
    // With the sent mark: the withdrawal of a kudos waits while its post is pending, and the DMs link to the post.
    ctx.whenMarkedSent(() => {
      setKudosPost(db, kudos.id, posted.channel, posted.ts);
      queueRecipientDms(db, kudos.id, kudos.recipientIds, clock.now());
    });
  };

  const recipientDm: Handler<'kudos.recipient_dm'> = async (payload, ctx) => {
    // Erased since it was queued (`/loop forget`, retention): nobody is told of it.
    const kudos = getKudos(ctx.db, payload.kudosId);
    const text = kudos && (await recipientDmOf(deps, kudos, ctx));
    if (text === undefined) return;
    await ctx.post({ channel: payload.recipientId, text, unfurl_links: false });
    ctx.whenMarkedSent(() => recipientTold(ctx, payload.kudosId, payload.recipientId));
  };

  const withdrawnDm: Handler<'kudos.withdrawn_dm'> = async (payload, { db, post }) => {
    const { recipientId } = payload;
    const kudos = load(payload, db);
    await post({ channel: recipientId, text: withdrawnRecipientDmText(kudos) });
  };

  const notice: Handler<'kudos.giver_notice'> = async (payload, ctx) => {
    const text = await giverNoticeText(deps, payload, ctx);
    if (text !== undefined) await tellGiver(ctx, payload.giverId, payload.channelId, text, ctx.logger);
  };

  const withdrawn: Handler<'kudos.withdrawn'> = async (payload, { client, db }) => {
    const kudos = load(payload, db);
    if (!kudos.postChannelId || !kudos.postTs) {
      // A post under way may still go out (it checks first): mark it withdrawn once it has.
      if (hasPending(db, 'kudos.post', { field: 'kudosId', value: kudos.id })) {
        throw new NotYetPostedError(`kudos ${kudos.id} is being posted; marking it withdrawn waits`);
      }
      return;
    }
    await client.chat.update({
      channel: kudos.postChannelId,
      ts: kudos.postTs,
      text: 'This kudos was withdrawn.',
      blocks: withdrawnPostBlocks(kudos),
    });
  };

  return {
    'kudos.post': kudosPost,
    'kudos.recipient_dm': recipientDm,
    'kudos.giver_notice': notice,
    'kudos.withdrawn': withdrawn,
    'kudos.withdrawn_dm': withdrawnDm,
  };
}

/** How long Slack takes a slash command's response_url (30 minutes), with a margin. */
const RESPONSE_URL_TTL_MS = 25 * 60_000;

/**
 * A `/kudos` stored before its people were known (`give-later.ts`): given now, with the Slack look-ups (a failure
 * is retried with backoff; a repeat after a failure finds the kudos already given), and the giver told the outcome
 * where the command was typed: through its response_url while that lasts, else as a note there or a DM.
 */
function laterGiveHandler(deps: KudosDeliveryDeps): OutboxHandlers<typeof kudosOutbox>['kudos.give'] {
  return async ({ responseUrl, ...request }, ctx) => {
    const outcome = await deps.kudos.give({
      ...request,
      originChannelId: request.originChannelId,
      sourceChannelId: request.sourceChannelId,
      sourceMessageTs: request.sourceMessageTs,
    });
    const text = giveAnswer(outcome, deps.config().kudos, ctx.clock.now());
    if (responseUrl && ctx.clock.now() - request.requestedAt < RESPONSE_URL_TTL_MS) {
      try {
        await deps.postToResponseUrl(responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          text,
        });
        return;
      } catch (error) {
        ctx.logger.info(
          { err: error },
          'could not answer through the response_url; telling the giver directly',
        );
      }
    }
    await tellGiver(ctx, request.giverId, request.originChannelId, text, ctx.logger);
  };
}

type KudosDeliveryDeps = {
  config: () => OrgConfig;
  people: KudosPeople;
  kudos: Pick<KudosService, 'reactionAdded' | 'give'>;
  postToResponseUrl: ResponseUrlPoster;
};

/** A reaction that could not be handled when it arrived, handled again; a failure here is retried with backoff. */
export function createKudosDeliveryHandlers(deps: KudosDeliveryDeps) {
  return outboxHandlers(
    kudosOutbox,
    {
      ...kudosMessageHandlers(deps),
      'kudos.reaction_retry': async (event) => {
        await deps.kudos.reactionAdded({ ...event, itemUserId: event.itemUserId });
      },
      'kudos.give': laterGiveHandler(deps),
    },
    combinedKudosDeliveries(deps),
  );
}
