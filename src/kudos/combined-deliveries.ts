import type { OrgConfig } from '../config/org-schema.js';
import type { CombinedContext } from '../slack/delivery/delivery.js';
import type { CombinedOutboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { giverNoticeText, recipientDmOf, recipientTold, tellGiver } from './delivery-steps.js';
import type { kudosOutbox } from './outbox.js';
import { getKudos } from './repo.js';
import type { KudosPeople } from './service.js';

/**
 * Kudos messages to one person that wait in the outbox together go out as one message: the DMs to someone
 * thanked many times at once (a reaction storm on their announcement: with Slack's pace of about a message a
 * second per conversation, 300 DMs took five minutes), and a giver's notes from one channel. Each message still
 * counts and is recorded on its own; one Slack message holds at most MAX_CHARS of them, more go in the next.
 */
export const MAX_CHARS = 3500;

type Piece = { outboxId: number; text: string };

/** The pieces in order, as few messages as fit MAX_CHARS each (a piece longer than that goes alone). */
export function packPieces(
  pieces: readonly Piece[],
  maxChars = MAX_CHARS,
): { covers: number[]; text: string }[] {
  const packs: { covers: number[]; text: string }[] = [];
  for (const piece of pieces) {
    const last = packs.at(-1);
    if (last && last.text.length + 2 + piece.text.length <= maxChars) {
      last.covers.push(piece.outboxId);
      last.text = `${last.text}\n\n${piece.text}`;
    } else packs.push({ covers: [piece.outboxId], text: piece.text });
  }
  return packs;
}

type Deps = { config: () => OrgConfig; people: KudosPeople };

/**
 * Several DMs to one person thanked, as one message (or a few); withdrawn kudos, and kudos erased since
 * (`/loop forget`, retention), are left out, as the DM of one alone is.
 */
async function recipientDms(
  deps: Deps,
  items: readonly { outboxId: number; payload: { kudosId: number; recipientId: string } }[],
  ctx: CombinedContext,
): Promise<void> {
  const byRecipient = new Map<string, { outboxId: number; text: string; kudosId: number }[]>();
  for (const { outboxId, payload } of items) {
    const kudos = getKudos(ctx.db, payload.kudosId);
    const text = kudos && (await recipientDmOf(deps, kudos, ctx));
    if (text === undefined) continue;
    const list = byRecipient.get(payload.recipientId) ?? [];
    list.push({ outboxId, text, kudosId: payload.kudosId });
    byRecipient.set(payload.recipientId, list);
  }
  for (const [recipientId, pieces] of byRecipient) {
    for (const pack of packPieces(pieces)) {
      await ctx.post({ channel: recipientId, text: pack.text, unfurl_links: false }, pack.covers);
      for (const piece of pieces.filter((p) => pack.covers.includes(p.outboxId)))
        ctx.whenMarkedSent(piece.outboxId, () => recipientTold(ctx, piece.kudosId, recipientId));
      ctx.done(pack.covers);
    }
  }
}

/** A giver's notes, one message per channel they were given in (or their DM). */
async function giverNotices(
  deps: Deps,
  items: readonly {
    outboxId: number;
    payload: Parameters<typeof giverNoticeText>[1];
  }[],
  ctx: CombinedContext,
): Promise<void> {
  const byPlace = new Map<string, { giverId: string; channelId: string | undefined; pieces: Piece[] }>();
  for (const { outboxId, payload } of items) {
    const text = await giverNoticeText(deps, payload, ctx);
    if (text === undefined) continue;
    const key = `${payload.giverId} ${payload.channelId ?? ''}`;
    const place = byPlace.get(key) ?? { giverId: payload.giverId, channelId: payload.channelId, pieces: [] };
    place.pieces.push({ outboxId, text });
    byPlace.set(key, place);
  }
  for (const { giverId, channelId, pieces } of byPlace.values())
    for (const pack of packPieces(pieces)) {
      await tellGiver(ctx, giverId, channelId, pack.text, ctx.logger, pack.covers);
      // Shown: a failure in another channel's note must not show this one again.
      ctx.done(pack.covers);
    }
}

/** The kudos kinds whose messages to one person go together. */
export function combinedKudosDeliveries(deps: Deps): CombinedOutboxHandlers<typeof kudosOutbox> {
  return {
    'kudos.recipient_dm': (items, ctx) => recipientDms(deps, items, ctx),
    'kudos.giver_notice': (items, ctx) => giverNotices(deps, items, ctx),
  };
}
