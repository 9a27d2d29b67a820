/**
 * The stand-in's directory: channels by name, people by e-mail, user groups by handle — what the app asks to
 * turn names in the org config into ids, and what `npm run doctor` checks. Shapes follow Slack's answers.
 */
import type { MethodContext, MethodHandler, SlackApiResponse } from './web-api-methods.js';

export interface ChannelSpec {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** Whether the bot is in it; default true (`setNotInChannel` and conversations.join change it). */
  is_member?: boolean;
}

export interface UsergroupSpec {
  id: string;
  handle: string;
  name?: string;
  users?: string[];
}

export class Directory {
  readonly channels = new Map<string, ChannelSpec>();
  readonly usergroups = new Map<string, UsergroupSpec>();
}

const fail = (error: string): SlackApiResponse => ({ ok: false, error });
const str = (args: Record<string, unknown>, key: string) =>
  typeof args[key] === 'string' ? (args[key] as string) : undefined;

function channelObject(c: ChannelSpec, ctx: MethodContext): Record<string, unknown> {
  const now = ctx.now();
  const member = !ctx.state.notInChannel.has(c.id);
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.is_private,
    is_group: Boolean(c.is_private),
    is_im: false,
    is_private: Boolean(c.is_private),
    is_archived: Boolean(c.is_archived),
    is_member: member,
    is_general: false,
    created: Math.floor(now / 1000) - 86_400,
    num_members: 12,
  };
}

/** Handlers over `directory`; private channels are listed only when the bot is in them, as Slack does. */
export function directoryMethods(directory: Directory): Record<string, MethodHandler> {
  return {
    'conversations.list': (args, ctx) => {
      const types = (str(args, 'types') ?? 'public_channel').split(',');
      const excludeArchived = String(args.exclude_archived) === 'true';
      const limit = Math.min(Number(str(args, 'limit') ?? 100) || 100, 1000);
      const start = Number(str(args, 'cursor')?.replace('dGVhbTpD', '') || 0);
      const visible = [...directory.channels.values()].filter(
        (c) =>
          types.includes(c.is_private ? 'private_channel' : 'public_channel') &&
          !(excludeArchived && c.is_archived) &&
          (!c.is_private || !ctx.state.notInChannel.has(c.id)),
      );
      const page = visible.slice(start, start + limit);
      const next = start + limit < visible.length ? `dGVhbTpD${start + limit}` : '';
      return {
        ok: true,
        channels: page.map((c) => channelObject(c, ctx)),
        response_metadata: { next_cursor: next },
      };
    },
    'conversations.info': (args, ctx) => {
      const c = directory.channels.get(str(args, 'channel') ?? '');
      if (!c || (c.is_private && ctx.state.notInChannel.has(c.id))) return fail('channel_not_found');
      return { ok: true, channel: channelObject(c, ctx) };
    },
    'users.lookupByEmail': (args, ctx) => {
      const email = (str(args, 'email') ?? '').toLowerCase();
      const user = [...ctx.state.users.values()].find((u) => u.email?.toLowerCase() === email);
      if (!user || user.deleted) return fail('users_not_found');
      return { ok: true, user: { id: user.id, team_id: ctx.identity.teamId, name: user.name ?? user.id } };
    },
    'usergroups.list': () => ({
      ok: true,
      usergroups: [...directory.usergroups.values()].map((g) => ({
        id: g.id,
        handle: g.handle,
        name: g.name ?? g.handle,
        is_usergroup: true,
        date_delete: 0,
        user_count: (g.users ?? []).length,
      })),
    }),
  };
}
