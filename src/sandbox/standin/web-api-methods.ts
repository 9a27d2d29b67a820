import { validateMessageBlocks, validateView } from '../block-kit-limits.js';
import { conversationsHistory, conversationsReplies } from './history-methods.js';
import type { IdSource } from './ids.js';
import type { UploadedPart } from './request-body.js';
import { type UserSpec, userObject } from './users.js';

/** A Web API answer body: `{ ok: true, ... }` or `{ ok: false, error, ... }`. */
export interface SlackApiResponse {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

/** Who the stand-in's workspace, bot and app are. */
export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botUserName: string;
  botId: string;
  appId: string;
}

/** A message as the stand-in's workspace holds it after chat.postMessage / chat.update / chat.delete. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: unknown;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  /** Files shared with the message (files.completeUploadExternal with a channel). */
  files?: { id: string; title: string }[];
  deleted: boolean;
}

export interface StoredView {
  view: Record<string, unknown>;
  hash: string;
  userId?: string;
}

export interface FileRecord {
  id: string;
  filename: string;
  length: number;
  uploaded?: UploadedPart;
  completed: boolean;
  title?: string;
  channelId?: string;
}

/** Mutable workspace state of one stand-in (never shared between stand-ins). */
export class WorkspaceState {
  readonly users = new Map<string, UserSpec>();
  readonly missingUsers = new Set<string>();
  readonly notInChannel = new Set<string>();
  readonly channelNotFound = new Set<string>();
  readonly messages = new Map<string, StoredMessage[]>();
  readonly views = new Map<string, StoredView>();
  readonly homeViewByUser = new Map<string, string>();
  readonly openedDms = new Set<string>();
  readonly triggers = new Map<string, { issuedAt: number; exchanged: boolean }>();
  readonly files = new Map<string, FileRecord>();

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }
}

export interface MethodContext {
  state: WorkspaceState;
  identity: WorkspaceIdentity;
  ids: IdSource;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  now: () => number;
  triggerTtlMs: number;
  strictTriggers: boolean;
}

export type MethodHandler = (args: Record<string, unknown>, ctx: MethodContext) => SlackApiResponse;

// ---------------------------------------------------------------------------------------------- helpers

function fail(error: string, extra: Record<string, unknown> = {}): SlackApiResponse {
  return { ok: false, error, ...extra };
}

function invalidArguments(messages: string[]): SlackApiResponse {
  return fail('invalid_arguments', { response_metadata: { messages } });
}

function str(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** User ids (`U…`, `W…`) post into the app's DM with that user. */
export function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

/** The DM channel id between the bot and `userId`: stable per user. */
export function dmChannelFor(userId: string): string {
  return `D${userId}`;
}

function resolveChannel(channel: string): string {
  return isUserId(channel) ? dmChannelFor(channel) : channel;
}

function channelProblem(channel: string | undefined, ctx: MethodContext, membership: boolean) {
  if (channel === undefined || channel === '') return fail('channel_not_found');
  if (ctx.state.channelNotFound.has(channel)) return fail('channel_not_found');
  if (membership && ctx.state.notInChannel.has(channel)) return fail('not_in_channel');
  return undefined;
}

/** Content rules shared by chat.postMessage / chat.update / chat.postEphemeral. */
function messageContentProblem(args: Record<string, unknown>): SlackApiResponse | undefined {
  if (typeof args.blocks === 'string') {
    return fail('invalid_blocks_format', {
      response_metadata: { messages: ['[ERROR] blocks must be a JSON array'] },
    });
  }
  const text = str(args, 'text');
  if (text !== undefined && charLength(text) > 40_000) return fail('msg_too_long');
  const hasText = text !== undefined && text.length > 0;
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return fail('no_text');
  if (args.blocks !== undefined) {
    const problems = validateMessageBlocks(args.blocks);
    if (problems.length > 0) {
      return fail('invalid_blocks', {
        errors: problems,
        response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
      });
    }
  }
  return undefined;
}

function viewProblem(args: Record<string, unknown>): SlackApiResponse | undefined {
  if (args.view === undefined) return invalidArguments(['[ERROR] missing required field: view']);
  if (typeof args.view === 'string') return invalidArguments(['[ERROR] view must be a JSON object']);
  const problems = validateView(args.view);
  if (problems.length > 0) return invalidArguments(problems.map((p) => `[ERROR] ${p}`));
  return undefined;
}

/** Exchanges a trigger_id the way Slack does: once, within the trigger's lifetime. */
function exchangeTrigger(args: Record<string, unknown>, ctx: MethodContext): SlackApiResponse | undefined {
  const triggerId = str(args, 'trigger_id') ?? str(args, 'interactivity_pointer');
  if (triggerId === undefined || triggerId === '') return invalidArguments(['invalid `trigger_id`']);
  const trigger = ctx.state.triggers.get(triggerId);
  if (trigger === undefined)
    return ctx.strictTriggers ? invalidArguments(['invalid `trigger_id`']) : undefined;
  if (trigger.exchanged) return fail('exchanged_trigger_id');
  if (ctx.now() - trigger.issuedAt > ctx.triggerTtlMs) return fail('expired_trigger_id');
  trigger.exchanged = true;
  return undefined;
}

function viewObject(
  submitted: Record<string, unknown>,
  id: string,
  hash: string,
  ctx: MethodContext,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { teamId, appId, botId } = ctx.identity;
  return {
    id,
    team_id: teamId,
    type: submitted.type,
    blocks: [],
    private_metadata: '',
    callback_id: '',
    state: { values: {} },
    hash,
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: id,
    app_id: appId,
    external_id: '',
    app_installed_team_id: teamId,
    bot_id: botId,
    ...submitted,
    ...extra,
  };
}

function botMessage(ctx: MethodContext, fields: Record<string, unknown>): Record<string, unknown> {
  const { botUserId, botId, appId, teamId, botUserName } = ctx.identity;
  return {
    user: botUserId,
    type: 'message',
    bot_id: botId,
    app_id: appId,
    team: teamId,
    bot_profile: { id: botId, app_id: appId, name: botUserName, deleted: false, team_id: teamId },
    ...fields,
  };
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

// ---------------------------------------------------------------------------------------------- methods

const authTest: MethodHandler = (_args, ctx) => {
  const { teamDomain, teamName, teamId, botUserName, botUserId, botId } = ctx.identity;
  return {
    ok: true,
    url: `https://${teamDomain}.slack.com/`,
    team: teamName,
    user: botUserName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  };
};

const chatPostMessage: MethodHandler = (args, ctx) => {
  const requested = str(args, 'channel');
  const problem = channelProblem(requested, ctx, true) ?? messageContentProblem(args);
  if (problem !== undefined) return problem;
  const channel = resolveChannel(requested ?? '');
  const ts = ctx.ids.messageTs();
  const text = str(args, 'text') ?? '';
  const threadTs = str(args, 'thread_ts');
  const stored: StoredMessage = {
    channel,
    ts,
    text,
    user: ctx.identity.botUserId,
    bot_id: ctx.identity.botId,
    deleted: false,
    ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
    ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
    ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
  };
  const list = ctx.state.messages.get(channel) ?? [];
  list.push(stored);
  ctx.state.messages.set(channel, list);
  return {
    ok: true,
    channel,
    ts,
    message: botMessage(
      ctx,
      defined({ text, ts, blocks: args.blocks, attachments: args.attachments, thread_ts: threadTs }),
    ),
  };
};

const chatUpdate: MethodHandler = (args, ctx) => {
  const requested = str(args, 'channel');
  const channelIssue = channelProblem(requested, ctx, false);
  if (channelIssue !== undefined) return channelIssue;
  const ts = str(args, 'ts');
  if (ts === undefined || ts === '') return fail('message_not_found');
  const contentIssue = messageContentProblem(args);
  if (contentIssue !== undefined) return contentIssue;
  const channel = resolveChannel(requested ?? '');
  const text = str(args, 'text') ?? '';
  const stored = ctx.state.findMessage(channel, ts);
  if (stored?.deleted === true) return fail('message_not_found');
  const editedTs = ctx.ids.messageTs();
  if (stored !== undefined) {
    stored.text = text;
    if (args.blocks !== undefined) stored.blocks = args.blocks;
    if (args.attachments !== undefined) stored.attachments = args.attachments;
    stored.edited = { user: ctx.identity.botUserId, ts: editedTs };
  }
  return {
    ok: true,
    channel,
    ts,
    text,
    message: botMessage(
      ctx,
      defined({
        text,
        blocks: args.blocks ?? stored?.blocks,
        attachments: args.attachments,
        edited: { user: ctx.identity.botUserId, ts: editedTs },
      }),
    ),
  };
};

const chatPostEphemeral: MethodHandler = (args, ctx) => {
  const problem = channelProblem(str(args, 'channel'), ctx, false);
  if (problem !== undefined) return problem;
  const user = str(args, 'user');
  if (user === undefined || user === '' || ctx.state.missingUsers.has(user)) return fail('user_not_found');
  const contentIssue = messageContentProblem(args);
  if (contentIssue !== undefined) return contentIssue;
  return { ok: true, message_ts: ctx.ids.messageTs() };
};

const chatDelete: MethodHandler = (args, ctx) => {
  const requested = str(args, 'channel');
  const problem = channelProblem(requested, ctx, false);
  if (problem !== undefined) return problem;
  const ts = str(args, 'ts');
  if (ts === undefined || ts === '') return fail('message_not_found');
  const channel = resolveChannel(requested ?? '');
  const stored = ctx.state.findMessage(channel, ts);
  if (stored?.deleted === true) return fail('message_not_found');
  if (stored !== undefined) stored.deleted = true;
  return { ok: true, channel, ts };
};

const chatGetPermalink: MethodHandler = (args, ctx) => {
  const requested = str(args, 'channel');
  const problem = channelProblem(requested, ctx, false);
  if (problem !== undefined) return problem;
  const ts = str(args, 'message_ts');
  if (ts === undefined || ts === '') return fail('message_not_found');
  const channel = resolveChannel(requested ?? '');
  return {
    ok: true,
    channel,
    permalink: `https://${ctx.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
  };
};

const viewsOpen: MethodHandler = (args, ctx) => {
  const problem = viewProblem(args) ?? exchangeTrigger(args, ctx);
  if (problem !== undefined) return problem;
  const submitted = args.view as Record<string, unknown>;
  const id = ctx.ids.viewId();
  const hash = ctx.ids.viewHash();
  const view = viewObject(submitted, id, hash, ctx);
  ctx.state.views.set(id, { view, hash });
  return { ok: true, view };
};

const viewsPush: MethodHandler = (args, ctx) => {
  const problem = viewProblem(args) ?? exchangeTrigger(args, ctx);
  if (problem !== undefined) return problem;
  const submitted = args.view as Record<string, unknown>;
  const id = ctx.ids.viewId();
  const hash = ctx.ids.viewHash();
  const view = viewObject(submitted, id, hash, ctx, { root_view_id: null });
  ctx.state.views.set(id, { view, hash });
  return { ok: true, view };
};

const viewsUpdate: MethodHandler = (args, ctx) => {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  if ((viewId === undefined || viewId === '') && (externalId === undefined || externalId === '')) {
    return invalidArguments(['[ERROR] must provide view_id or external_id']);
  }
  const problem = viewProblem(args);
  if (problem !== undefined) return problem;
  let id = viewId;
  if (id === undefined || id === '') {
    id = [...ctx.state.views.entries()].find(([, v]) => v.view.external_id === externalId)?.[0];
    if (id === undefined) return fail('not_found');
  }
  const existing = ctx.state.views.get(id);
  const hash = str(args, 'hash');
  if (existing !== undefined && hash !== undefined && hash !== '' && hash !== existing.hash) {
    return fail('hash_conflict');
  }
  const newHash = ctx.ids.viewHash();
  const submitted = args.view as Record<string, unknown>;
  const view = viewObject(submitted, id, newHash, ctx, {
    root_view_id: existing?.view.root_view_id ?? id,
    previous_view_id: existing?.view.previous_view_id ?? null,
  });
  ctx.state.views.set(id, {
    view,
    hash: newHash,
    ...(existing?.userId !== undefined ? { userId: existing.userId } : {}),
  });
  return { ok: true, view };
};

const viewsPublish: MethodHandler = (args, ctx) => {
  const userId = str(args, 'user_id');
  if (userId === undefined || userId === '')
    return invalidArguments(['[ERROR] missing required field: user_id']);
  if (ctx.state.missingUsers.has(userId)) return fail('user_not_found');
  const problem = viewProblem(args);
  if (problem !== undefined) return problem;
  const submitted = args.view as Record<string, unknown>;
  if (submitted.type !== 'home') return invalidArguments(['[ERROR] must be home [json-pointer:/view/type]']);
  const existingId = ctx.state.homeViewByUser.get(userId);
  const existing = existingId === undefined ? undefined : ctx.state.views.get(existingId);
  const hash = str(args, 'hash');
  if (existing !== undefined && hash !== undefined && hash !== '' && hash !== existing.hash) {
    return fail('hash_conflict');
  }
  const id = existingId ?? ctx.ids.viewId();
  const newHash = ctx.ids.viewHash();
  const view = viewObject(submitted, id, newHash, ctx, { root_view_id: null });
  ctx.state.views.set(id, { view, hash: newHash, userId });
  ctx.state.homeViewByUser.set(userId, id);
  return { ok: true, view };
};

const conversationsOpen: MethodHandler = (args, ctx) => {
  const channel = str(args, 'channel');
  if (channel !== undefined && channel !== '') {
    const problem = channelProblem(channel, ctx, false);
    if (problem !== undefined) return problem;
    return { ok: true, no_op: true, already_open: true, channel: { id: channel } };
  }
  const users = (str(args, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 8) return fail('too_many_users');
  const missing = users.find((u) => ctx.state.missingUsers.has(u) || !isUserId(u));
  if (missing !== undefined) return fail('user_not_found');
  const id = users.length === 1 ? dmChannelFor(users[0] ?? '') : `G${[...users].sort().join('')}`;
  const alreadyOpen = ctx.state.openedDms.has(id);
  ctx.state.openedDms.add(id);
  return {
    ok: true,
    ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
    channel: { id },
  };
};

const conversationsJoin: MethodHandler = (args, ctx) => {
  const channel = str(args, 'channel');
  const problem = channelProblem(channel, ctx, false);
  if (problem !== undefined) return problem;
  const id = channel ?? '';
  if (/^[DUWG]/.test(id)) return fail('method_not_supported_for_channel_type');
  const wasMember = !ctx.state.notInChannel.has(id);
  ctx.state.notInChannel.delete(id);
  return {
    ok: true,
    channel: {
      id,
      name: id.toLowerCase(),
      is_channel: true,
      is_group: false,
      is_im: false,
      is_private: false,
      is_archived: false,
      is_general: false,
      is_member: true,
      created: 1_700_000_000,
      creator: 'U0CREATOR',
      context_team_id: ctx.identity.teamId,
    },
    ...(wasMember
      ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
      : {}),
  };
};

const usersInfo: MethodHandler = (args, ctx) => {
  const user = str(args, 'user');
  if (user === undefined || user === '' || ctx.state.missingUsers.has(user)) return fail('user_not_found');
  const spec = ctx.state.users.get(user) ?? { id: user };
  return { ok: true, user: userObject(spec, ctx.identity.teamId, new Date(ctx.now())) };
};

const filesGetUploadUrlExternal: MethodHandler = (args, ctx) => {
  const filename = str(args, 'filename');
  const length = Number(str(args, 'length'));
  if (filename === undefined || filename === '')
    return invalidArguments(['[ERROR] missing required field: filename']);
  if (!Number.isInteger(length) || length < 0)
    return invalidArguments(['[ERROR] missing required field: length']);
  const id = ctx.ids.fileId();
  ctx.state.files.set(id, { id, filename, length, completed: false });
  return { ok: true, upload_url: `${ctx.baseUrl}/upload/v1/${id}`, file_id: id };
};

const filesCompleteUploadExternal: MethodHandler = (args, ctx) => {
  const files = args.files;
  if (!Array.isArray(files) || files.length === 0)
    return invalidArguments(['[ERROR] missing required field: files']);
  const channelId = str(args, 'channel_id');
  if (channelId !== undefined && channelId !== '') {
    const problem = channelProblem(channelId, ctx, true);
    if (problem !== undefined) return problem;
  }
  const result: { id: string; title: string }[] = [];
  for (const entry of files) {
    const id =
      typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).id : undefined;
    const record = typeof id === 'string' ? ctx.state.files.get(id) : undefined;
    if (record === undefined || record.uploaded === undefined) return fail('file_not_found');
    const title = (entry as Record<string, unknown>).title;
    record.completed = true;
    record.title = typeof title === 'string' ? title : record.filename;
    if (channelId !== undefined) record.channelId = channelId;
    result.push({ id: record.id, title: record.title });
  }
  return { ok: true, files: result };
};

/** The Web API methods the stand-in answers. */
export const WEB_API_METHODS: Readonly<Record<string, MethodHandler>> = Object.freeze({
  'auth.test': authTest,
  'chat.postMessage': chatPostMessage,
  'chat.update': chatUpdate,
  'chat.postEphemeral': chatPostEphemeral,
  'chat.delete': chatDelete,
  'chat.getPermalink': chatGetPermalink,
  'views.open': viewsOpen,
  'views.push': viewsPush,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
  'conversations.open': conversationsOpen,
  'conversations.join': conversationsJoin,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'users.info': usersInfo,
  'files.getUploadURLExternal': filesGetUploadUrlExternal,
  'files.completeUploadExternal': filesCompleteUploadExternal,
});

/** Checks the token as Slack does for a bot-token app. */
export function authProblem(
  token: string | undefined,
  expected: string | undefined,
): SlackApiResponse | undefined {
  if (token === undefined || token === '') return fail('not_authed');
  if (!token.startsWith('xoxb-')) return fail('invalid_auth');
  if (expected !== undefined && token !== expected) return fail('invalid_auth');
  return undefined;
}

/** Socket Mode's apps.connections.open accepts only an app-level token (Slack: `not_allowed_token_type`). */
export function appTokenProblem(token: string | undefined): SlackApiResponse | undefined {
  if (token === undefined || token === '') return fail('not_authed');
  if (token.startsWith('xoxb-') || token.startsWith('xoxp-')) return fail('not_allowed_token_type');
  if (!token.startsWith('xapp-')) return fail('invalid_auth');
  return undefined;
}

export { fail as platformError };
