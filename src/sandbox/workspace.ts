import type { Clock } from '../clock.js';
import { Commands, Events } from '../slack/ids.js';
import type { DemoPerson } from './demo/people.js';
import {
  type AppResponse,
  asViewOutput,
  blockActionsPayload,
  eventCallbackEnvelope,
  FORM_CONTENT_TYPE,
  interactivityBody,
  JSON_CONTENT_TYPE,
  messageShortcutPayload,
  postToApp,
  type SourceMessage,
  slashCommandFields,
  sourceMessage,
  submittedView,
  type ViewStateValues,
  viewSubmissionPayload,
} from './slack-requests.js';
import type { SlackStandIn, StoredMessage } from './slack-standin.js';
import { nowTs } from './standin/ids.js';
import { dmChannelFor } from './standin/web-api-methods.js';
import { createWorkspaceRecord, messageKey, type WorkspaceRecord } from './workspace-record.js';

/**
 * A small Slack client for the sandbox page (and the seeding): acts as any demo person, sending the app the
 * requests Slack would send, signed with the app's signing secret, and keeps what a client would show.
 */

export type ChannelRef = { id: string; name: string };

/** One element interaction from the page, in Slack's `actions[]` terms. */
export type ElementAction = {
  type: string;
  actionId: string;
  blockId: string;
  value?: string | undefined;
  text?: string | undefined;
  selectedOption?: { text: string; value: string } | undefined;
  selectedUser?: string | undefined;
};

export type ActionTarget = { channel: string; ts: string } | { viewId: string };

/** What the page is told after an action: Slack's own wording when something went wrong. */
export type Outcome = { ok: true } | { ok: false; error: string };

export type WorkspaceOptions = {
  standIn: SlackStandIn;
  clock: Clock;
  appUrl: () => string;
  signingSecret: string;
  people: readonly DemoPerson[];
  channels: readonly ChannelRef[];
};

export type Workspace = ReturnType<typeof createWorkspace>;

const COMMANDS: readonly string[] = Object.values(Commands);

export function createWorkspace(options: WorkspaceOptions) {
  const { standIn, clock } = options;
  const record: WorkspaceRecord = createWorkspaceRecord(standIn, clock);
  const team = { id: standIn.identity.teamId, domain: standIn.identity.teamDomain };
  const context = { team, apiAppId: standIn.identity.appId };
  for (const person of options.people) standIn.setUser(person);

  const userRef = (id: string) => ({ id, name: options.people.find((p) => p.id === id)?.name ?? id });
  const channelRef = (id: string): ChannelRef =>
    options.channels.find((c) => c.id === id) ?? { id, name: id.startsWith('D') ? 'directmessage' : id };
  const post = (body: string, contentType: string) =>
    postToApp(options.appUrl(), { body, contentType, secret: options.signingSecret });
  const notice = (user: string, channel: string, text: string) => {
    record.ephemerals.push({ user, channel, text, at: clock.now() });
    record.bump();
  };
  /** Slack's answer when the app does not answer a request properly. */
  const failed = (user: string, channel: string, what: string, response: AppResponse): Outcome => {
    const error = response.status === 401 ? 'invalid_signature' : 'dispatch_failed';
    notice(user, channel, `${what} failed with the error "${error}"`);
    return { ok: false, error };
  };
  const message = (channel: string, ts: string): StoredMessage | undefined =>
    standIn.findMessage(channel, ts);
  const asSource = (stored: StoredMessage): SourceMessage =>
    stored.bot_id === ''
      ? { type: 'message', ts: stored.ts, text: stored.text, user: stored.user, team: team.id }
      : sourceMessage(stored, team.id);
  const sendEvent = (event: { type: string; [key: string]: unknown }) =>
    post(
      JSON.stringify(
        eventCallbackEnvelope(event, {
          teamId: team.id,
          apiAppId: standIn.identity.appId,
          botUserId: standIn.identity.botUserId,
        }),
      ),
      JSON_CONTENT_TYPE,
    );
  const view = (viewId: string) => record.localViews.get(viewId) ?? standIn.view(viewId);

  /**
   * Slack's escaping for commands with `should_escape: true` (all of the app's): `&`, `<`, `>` as entities,
   * then `@name`, `#channel`, `@here` and `@channel` as Slack's mention syntax.
   */
  function escapeCommandText(text: string): string {
    return text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/(^|\s)@(here|channel|everyone)\b/g, '$1<!$2>')
      .replace(/(^|\s)@([a-z0-9._-]+)/gi, (all, space: string, name: string) => {
        const person = options.people.find((p) => p.name === name.toLowerCase());
        return person === undefined ? all : `${space}<@${person.id}|${person.name}>`;
      })
      .replace(/(^|\s)#([a-z0-9_-]+)/gi, (all, space: string, name: string) => {
        const channel = options.channels.find((c) => c.name === name.toLowerCase());
        return channel === undefined ? all : `${space}<#${channel.id}|${channel.name}>`;
      });
  }

  /** A slash command, typed by `user` in `channel`. */
  async function command(user: string, channel: string, line: string): Promise<Outcome> {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const text = line.trim().slice(name.length).trim();
    if (!COMMANDS.includes(name)) {
      notice(user, channel, `${name} is not a valid command. In this workspace: ${COMMANDS.join(', ')}.`);
      return { ok: false, error: 'unknown_command' };
    }
    const fields = slashCommandFields({
      team_id: team.id,
      team_domain: team.domain,
      api_app_id: standIn.identity.appId,
      user_id: user,
      user_name: userRef(user).name,
      channel_id: channel,
      channel_name: channelRef(channel).name,
      command: name,
      text: escapeCommandText(text),
      response_url: record.responseUrlFor({ user, channel }),
      trigger_id: record.issueTrigger(user),
    });
    const body = new URLSearchParams(
      Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ).toString();
    const response = await post(body, FORM_CONTENT_TYPE);
    if (response.status !== 200) return failed(user, channel, name, response);
    showAck(user, channel, response.json);
    return { ok: true };
  }

  /** A command's immediate answer (`ack(text)`) is an ephemeral message to the caller. */
  function showAck(user: string, channel: string, body: unknown) {
    if (typeof body !== 'object' || body === null) return;
    const { text, blocks } = body as { text?: unknown; blocks?: unknown };
    if (typeof text !== 'string' && !Array.isArray(blocks)) return;
    record.ephemerals.push({
      user,
      channel,
      text: typeof text === 'string' ? text : '',
      ...(Array.isArray(blocks) ? { blocks } : {}),
      at: clock.now(),
    });
    record.bump();
  }

  /** A person's message; Slack tells the app about it (the app is in every demo channel). */
  async function say(user: string, channel: string, text: string): Promise<Outcome> {
    if (text.trim().startsWith('/')) return command(user, channel, text);
    const stored = standIn.addMessage({ channel, text, user, bot_id: '' });
    record.postedAt.set(messageKey(channel, stored.ts), clock.now());
    record.bump();
    if (!channel.startsWith('D')) {
      await sendEvent({
        type: Events.message,
        channel,
        user,
        text,
        ts: stored.ts,
        event_ts: stored.ts,
        channel_type: 'channel',
      });
    }
    return { ok: true };
  }

  async function shortcut(user: string, channel: string, ts: string, callbackId: string): Promise<Outcome> {
    const stored = message(channel, ts);
    if (stored === undefined) return { ok: false, error: 'message_not_found' };
    const payload = messageShortcutPayload({
      ...context,
      user: userRef(user),
      channel: channelRef(channel),
      triggerId: record.issueTrigger(user),
      responseUrl: record.responseUrlFor({ user, channel, messageTs: ts }),
      callbackId,
      message: asSource(stored),
    });
    const response = await post(interactivityBody(payload), FORM_CONTENT_TYPE);
    return response.status === 200 ? { ok: true } : failed(user, channel, 'The shortcut', response);
  }

  /** A click on a button or a choice in a menu, in a message or a view. */
  async function act(
    user: string,
    target: ActionTarget,
    action: ElementAction,
    state: ViewStateValues = {},
  ): Promise<Outcome> {
    const entry = {
      type: action.type,
      action_id: action.actionId,
      block_id: action.blockId,
      action_ts: nowTs(),
      ...(action.value !== undefined ? { value: action.value } : {}),
      ...(action.text !== undefined ? { text: { type: 'plain_text', text: action.text, emoji: true } } : {}),
      ...(action.selectedOption !== undefined
        ? {
            selected_option: {
              text: { type: 'plain_text', text: action.selectedOption.text, emoji: true },
              value: action.selectedOption.value,
            },
          }
        : {}),
      ...(action.selectedUser !== undefined ? { selected_user: action.selectedUser } : {}),
    };
    const common = {
      ...context,
      user: userRef(user),
      triggerId: record.issueTrigger(user),
      actions: [entry],
    };
    if ('viewId' in target) {
      const shown = view(target.viewId);
      if (shown === undefined) return { ok: false, error: 'view_not_found' };
      const output = asViewOutput(shown, team.id);
      output.state = { values: state };
      const response = await post(
        interactivityBody(blockActionsPayload({ ...common, view: output, state })),
        FORM_CONTENT_TYPE,
      );
      return response.status === 200
        ? { ok: true }
        : failed(user, dmChannelFor(user), 'The action', response);
    }
    const stored = message(target.channel, target.ts);
    if (stored === undefined) return { ok: false, error: 'message_not_found' };
    const payload = blockActionsPayload({
      ...common,
      channel: channelRef(target.channel),
      message: asSource(stored),
      responseUrl: record.responseUrlFor({ user, channel: target.channel, messageTs: target.ts }),
    });
    const response = await post(interactivityBody(payload), FORM_CONTENT_TYPE);
    return response.status === 200 ? { ok: true } : failed(user, target.channel, 'The action', response);
  }

  /** Submits the modal on top of the user's stack with the page's input values. */
  async function submit(user: string, viewId: string, values: ViewStateValues): Promise<Outcome> {
    const stack = record.modals.get(user) ?? [];
    const top = stack.at(-1);
    const shown = view(viewId);
    if (top === undefined || top.viewId !== viewId || shown === undefined) {
      return { ok: false, error: 'view_not_found' };
    }
    const payload = viewSubmissionPayload({
      ...context,
      user: userRef(user),
      triggerId: record.issueTrigger(user),
      ...submittedView(asViewOutput(shown, team.id)),
      values,
    });
    const response = await post(interactivityBody(payload), FORM_CONTENT_TYPE);
    if (response.status !== 200) {
      top.errors = { '': 'We had some trouble connecting. Try again?' };
      record.bump();
      return { ok: false, error: 'dispatch_failed' };
    }
    applySubmissionAnswer(user, stack, response.json);
    return { ok: true };
  }

  /** Slack's handling of a view_submission answer: errors, update, push, clear, or close. */
  function applySubmissionAnswer(
    user: string,
    stack: { viewId: string; errors: Record<string, string> }[],
    body: unknown,
  ) {
    const answer = (typeof body === 'object' && body !== null ? body : {}) as {
      response_action?: string;
      errors?: Record<string, string>;
      view?: Record<string, unknown>;
    };
    const top = stack.at(-1);
    if (answer.response_action === 'errors' && top !== undefined) {
      top.errors = answer.errors ?? {};
    } else if (answer.response_action === 'clear') {
      record.modals.set(user, []);
    } else if (answer.response_action === 'update' && top !== undefined && answer.view !== undefined) {
      record.localViews.set(top.viewId, { ...answer.view, id: top.viewId });
      top.errors = {};
    } else if (answer.response_action === 'push' && answer.view !== undefined) {
      const id = `VLOCAL${record.localViews.size + 1}`;
      record.localViews.set(id, { ...answer.view, id });
      record.modals.set(user, [...stack, { viewId: id, errors: {} }]);
    } else {
      record.modals.set(user, stack.slice(0, -1));
    }
    record.bump();
  }

  function closeModal(user: string): Outcome {
    record.modals.set(user, (record.modals.get(user) ?? []).slice(0, -1));
    record.bump();
    return { ok: true };
  }

  async function react(
    user: string,
    channel: string,
    ts: string,
    emoji: string,
    add: boolean,
  ): Promise<Outcome> {
    const stored = message(channel, ts);
    if (stored === undefined) return { ok: false, error: 'message_not_found' };
    const key = messageKey(channel, ts);
    const byEmoji = record.reactions.get(key) ?? new Map<string, Set<string>>();
    const users = byEmoji.get(emoji) ?? new Set<string>();
    if (add === users.has(user)) return { ok: false, error: add ? 'already_reacted' : 'no_reaction' };
    if (add) users.add(user);
    else users.delete(user);
    byEmoji.set(emoji, users);
    record.reactions.set(key, byEmoji);
    record.bump();
    await sendEvent({
      type: add ? Events.reactionAdded : Events.reactionRemoved,
      user,
      reaction: emoji,
      item_user: stored.user,
      item: { type: 'message', channel, ts },
      event_ts: nowTs(),
    });
    return { ok: true };
  }

  async function openHome(user: string): Promise<Outcome> {
    const response = await sendEvent({
      type: Events.appHomeOpened,
      user,
      channel: dmChannelFor(user),
      tab: 'home',
      event_ts: nowTs(),
    });
    return response.status === 200 ? { ok: true } : { ok: false, error: 'dispatch_failed' };
  }

  return { record, command, say, shortcut, act, submit, closeModal, react, openHome, view };
}
