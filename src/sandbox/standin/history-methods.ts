import type { MethodContext, MethodHandler, SlackApiResponse, StoredMessage } from './web-api-methods.js';

/**
 * conversations.history and conversations.replies as Slack answers them for a bot: newest first (history) or
 * the parent then its replies oldest first (replies), `oldest`/`latest` exclusive unless `inclusive`, pages of
 * `limit` (default 100, at most 999) with `response_metadata.next_cursor`, and each message's `metadata`
 * (event_type, event_payload) as posted. Shapes follow Slack's docs and the java-slack-sdk json-logs samples.
 */

type Args = Record<string, unknown>;

const text = (args: Args, key: string) => {
  const v = args[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

const fail = (error: string): SlackApiResponse => ({ ok: false, error });

function channelIdOf(args: Args, ctx: MethodContext): string | SlackApiResponse {
  const channel = text(args, 'channel');
  if (channel === undefined || channel === '') return fail('channel_not_found');
  if (/^[UW]/.test(channel)) return fail('channel_not_found'); // a DM is read by its D… id, not the user id
  if (ctx.state.channelNotFound.has(channel)) return fail('channel_not_found');
  if (ctx.state.notInChannel.has(channel)) return fail('not_in_channel');
  return channel;
}

function asHistoryMessage(m: StoredMessage, ctx: MethodContext, replies?: StoredMessage[]) {
  const { botId, appId, teamId, botUserName } = ctx.identity;
  return {
    type: 'message',
    user: m.user,
    bot_id: m.bot_id,
    app_id: appId,
    text: m.text,
    ts: m.ts,
    team: teamId,
    bot_profile: { id: botId, app_id: appId, name: botUserName, deleted: false, team_id: teamId },
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
    ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts, parent_user_id: m.user } : {}),
    ...(m.edited !== undefined ? { edited: m.edited } : {}),
    ...(replies && replies.length > 0
      ? {
          thread_ts: m.ts,
          reply_count: replies.length,
          latest_reply: replies.at(-1)?.ts,
        }
      : {}),
  };
}

function inWindow(args: Args) {
  const oldest = Number(text(args, 'oldest') ?? '0');
  const latestText = text(args, 'latest');
  const latest =
    latestText === undefined || latestText === '' ? Number.POSITIVE_INFINITY : Number(latestText);
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  return (m: StoredMessage) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
}

function page<T>(items: T[], args: Args): { items: T[]; nextCursor: string } {
  const limit = Math.min(999, Math.max(1, Number(text(args, 'limit') ?? '100') || 100));
  const cursor = text(args, 'cursor');
  const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace('offset:', '')) : 0;
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    items: slice,
    nextCursor: more ? Buffer.from(`offset:${start + limit}`).toString('base64') : '',
  };
}

export const conversationsHistory: MethodHandler = (args, ctx) => {
  const channel = channelIdOf(args, ctx);
  if (typeof channel !== 'string') return channel;
  const all = ctx.state.messages.get(channel) ?? [];
  const window = inWindow(args);
  const top = all.filter((m) => !m.deleted && m.thread_ts === undefined && window(m)).reverse();
  const { items, nextCursor } = page(top, args);
  return {
    ok: true,
    messages: items.map((m) =>
      asHistoryMessage(
        m,
        ctx,
        all.filter((r) => r.thread_ts === m.ts && !r.deleted),
      ),
    ),
    has_more: nextCursor !== '',
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: nextCursor },
  };
};

export const conversationsReplies: MethodHandler = (args, ctx) => {
  const channel = channelIdOf(args, ctx);
  if (typeof channel !== 'string') return channel;
  const ts = text(args, 'ts');
  if (ts === undefined || ts === '') return fail('invalid_arguments');
  const all = ctx.state.messages.get(channel) ?? [];
  const parent = all.find((m) => m.ts === ts && !m.deleted);
  if (parent === undefined) return fail('thread_not_found');
  const replies = all.filter((m) => m.thread_ts === ts && !m.deleted);
  const window = inWindow(args);
  // Slack always answers the parent first, then the replies in the window, oldest first.
  const { items, nextCursor } = page([parent, ...replies.filter(window)], args);
  return {
    ok: true,
    messages: items.map((m) => asHistoryMessage(m, ctx, m === parent ? replies : undefined)),
    has_more: nextCursor !== '',
    response_metadata: { next_cursor: nextCursor },
  };
};
