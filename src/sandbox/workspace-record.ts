import type { Clock } from '../clock.js';
import type { SlackStandIn } from './slack-standin.js';
import { dmChannelFor, isUserId, type MethodHandler, WEB_API_METHODS } from './standin/web-api-methods.js';

/**
 * What a Slack client shows beyond the stand-in's messages and views: when each message was posted (on the
 * sandbox clock), ephemeral messages, which modals each person has open, reactions, and what was said to
 * response_urls. Filled by wrapping the stand-in's own Web API methods, so the app is answered exactly as
 * in the tests.
 */

export type Ephemeral = { user: string; channel: string; text: string; blocks?: unknown; at: number };
export type ModalEntry = { viewId: string; errors: Record<string, string> };
export type ResponseUrlOwner = { user: string; channel: string; messageTs?: string };

export type WorkspaceRecord = {
  readonly ephemerals: Ephemeral[];
  /** Open modals per user, the top one last. */
  readonly modals: Map<string, ModalEntry[]>;
  /** Views the app returned in a submission's `response_action` (update, push), by view id. */
  readonly localViews: Map<string, Record<string, unknown>>;
  /** `channel ts` -> sandbox time when posted. */
  readonly postedAt: Map<string, number>;
  /** `channel ts` -> emoji -> user ids. */
  readonly reactions: Map<string, Map<string, Set<string>>>;
  issueTrigger(user: string): string;
  responseUrlFor(owner: ResponseUrlOwner): string;
  ownerOfResponse(id: string): ResponseUrlOwner | undefined;
  /** Changes whenever anything a page shows may have changed. */
  version(): string;
  bump(): void;
};

export const messageKey = (channel: string, ts: string) => `${channel} ${ts}`;

const builtin = (method: string): MethodHandler => {
  const handler = WEB_API_METHODS[method];
  if (handler === undefined) throw new Error(`the stand-in has no ${method}`);
  return handler;
};

export function createWorkspaceRecord(standIn: SlackStandIn, clock: Clock): WorkspaceRecord {
  const triggers = new Map<string, string>();
  const responseOwners = new Map<string, ResponseUrlOwner>();
  let changes = 0;
  const record: WorkspaceRecord = {
    ephemerals: [],
    modals: new Map(),
    localViews: new Map(),
    postedAt: new Map(),
    reactions: new Map(),
    issueTrigger(user) {
      const id = standIn.issueTriggerId();
      triggers.set(id, user);
      return id;
    },
    responseUrlFor(owner) {
      const url = standIn.responseUrl();
      responseOwners.set(decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)), owner);
      return url;
    },
    ownerOfResponse: (id) => responseOwners.get(id),
    version: () => `${changes}.${standIn.calls.length}.${standIn.responses.length}`,
    bump() {
      changes += 1;
    },
  };

  const wrap = (
    method: string,
    after: (args: Record<string, unknown>, result: Record<string, unknown>) => void,
  ) => {
    const handler = builtin(method);
    standIn.setHandler(method, (args, ctx) => {
      const result = handler(args, ctx);
      if (result.ok) after(args, result);
      record.bump();
      return result;
    });
  };
  wrap('chat.postMessage', (_args, result) => {
    record.postedAt.set(messageKey(String(result.channel), String(result.ts)), clock.now());
  });
  wrap('chat.postEphemeral', (args) => {
    const channel = String(args.channel ?? '');
    record.ephemerals.push({
      user: String(args.user ?? ''),
      channel: isUserId(channel) ? dmChannelFor(channel) : channel,
      text: String(args.text ?? ''),
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      at: clock.now(),
    });
  });
  for (const method of ['views.open', 'views.push']) {
    wrap(method, (args, result) => {
      const user = triggers.get(String(args.trigger_id ?? ''));
      const view = result.view as { id: string };
      if (user === undefined) return;
      const stack = method === 'views.open' ? [] : (record.modals.get(user) ?? []);
      record.modals.set(user, [...stack, { viewId: view.id, errors: {} }]);
    });
  }
  wrap('files.completeUploadExternal', (args, result) => {
    const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
    if (channel === undefined || channel === '') return;
    const { botUserId, botId } = standIn.identity;
    const files = result.files as { id: string; title: string }[];
    const shared = standIn.addMessage({
      channel: isUserId(channel) ? dmChannelFor(channel) : channel,
      text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
      user: botUserId,
      bot_id: botId,
      files,
    });
    record.postedAt.set(messageKey(shared.channel, shared.ts), clock.now());
  });
  return record;
}
