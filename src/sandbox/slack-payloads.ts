/**
 * Typed builders for what Slack sends to the app, shaped like Slack's documented payloads:
 * slash command form bodies, interactivity payloads (message_action, view_submission, block_actions)
 * and Events API `event_callback` envelopes. Every builder takes overrides.
 *
 * Reference: docs.slack.dev "Slash commands", "Shortcuts payloads", "View interaction payloads",
 * "block_actions payload", "Event object"; Bolt's `SlashCommand`, `MessageShortcut`, `ViewSubmitAction`,
 * `BlockAction` and `EnvelopedEvent` types (the builders' results are assignable to them).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BlockAction,
  EnvelopedEvent,
  MessageShortcut,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import { nowTs, randomTriggerId } from './standin/ids.js';

export interface SlackTeamRef {
  id: string;
  domain: string;
}

export interface SlackUserRef {
  id: string;
  /** The user's handle (`name`/`username` in payloads). */
  name: string;
}

export interface SlackChannelRef {
  id: string;
  name: string;
}

/** Defaults that match the stand-in's defaults (`T0TEST`, `test`, `A0TESTAPP`). */
export const PAYLOAD_DEFAULTS = Object.freeze({
  team: Object.freeze({ id: 'T0TEST', domain: 'test' }),
  apiAppId: 'A0TESTAPP',
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  /** The deprecated verification token Slack still sends. */
  verificationToken: 'vErIfIcAtIoNtOkEn',
  user: Object.freeze({ id: 'U0ALICE', name: 'alice' }),
  channel: Object.freeze({ id: 'C0GENERAL', name: 'general' }),
  responseUrl: 'https://hooks.slack.com/commands/T0TEST/1234567890/abcdefABCDEF1234567890ab',
});

/** Shared context a payload is sent in. */
export interface PayloadContext {
  team?: SlackTeamRef;
  apiAppId?: string;
  user?: SlackUserRef;
  verificationToken?: string;
  triggerId?: string;
}

function plain(text: string) {
  return { type: 'plain_text' as const, text, emoji: true };
}

/** `Ev` followed by 10 uppercase letters/digits, like Slack's event ids. */
export function randomEventId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `Ev${[...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

// --------------------------------------------------------------------------------------- slash commands

/** The form fields of a slash command request, in the order Slack sends them. */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: 'true' | 'false';
  response_url: string;
  trigger_id: string;
}

export function slashCommandFields(overrides: Partial<SlashCommandFields> = {}): SlashCommandFields {
  const d = PAYLOAD_DEFAULTS;
  return {
    token: d.verificationToken,
    team_id: d.team.id,
    team_domain: d.team.domain,
    channel_id: d.channel.id,
    channel_name: d.channel.name,
    user_id: d.user.id,
    user_name: d.user.name,
    command: '/courtesy',
    text: '',
    api_app_id: d.apiAppId,
    is_enterprise_install: 'false',
    response_url: d.responseUrl,
    trigger_id: randomTriggerId(),
    ...overrides,
  };
}

/** The urlencoded body of a slash command request (a fresh trigger_id unless overridden). */
export function slashCommandBody(overrides: Partial<SlashCommandFields> = {}): string {
  const fields = slashCommandFields(overrides);
  return new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  ).toString();
}

// --------------------------------------------------------------------------------------- interactivity

/** The urlencoded `payload=<JSON>` body Slack posts for interactivity. */
export function interactivityBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type PayloadUser = { id: string; name: string; username: string; team_id: string };

function payloadUser(user: SlackUserRef, team: SlackTeamRef): PayloadUser {
  return { id: user.id, username: user.name, name: user.name, team_id: team.id };
}

/** The message a shortcut or button was used on. */
export interface SourceMessage {
  type: 'message';
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  blocks?: unknown[];
  thread_ts?: string;
  [key: string]: unknown;
}

export type MessageShortcutPayload = MessageShortcut & { user: PayloadUser; is_enterprise_install: boolean };

export interface MessageShortcutOptions extends PayloadContext {
  callbackId: string;
  /** The message the shortcut was used on; `ts` defaults to now, `user` to the payload's user. */
  message?: Partial<SourceMessage>;
  channel?: SlackChannelRef;
  responseUrl?: string;
  overrides?: Partial<MessageShortcutPayload>;
}

export function messageShortcutPayload(options: MessageShortcutOptions): MessageShortcutPayload {
  const d = PAYLOAD_DEFAULTS;
  const team = options.team ?? d.team;
  const user = options.user ?? d.user;
  const ts = options.message?.ts ?? nowTs();
  const message: SourceMessage = {
    type: 'message',
    user: user.id,
    text: '',
    team: team.id,
    client_msg_id: randomUUID(),
    ...options.message,
    ts,
  };
  return {
    type: 'message_action',
    token: options.verificationToken ?? d.verificationToken,
    action_ts: nowTs(),
    team: { id: team.id, domain: team.domain },
    user: payloadUser(user, team),
    channel: options.channel ?? d.channel,
    is_enterprise_install: false,
    callback_id: options.callbackId,
    trigger_id: options.triggerId ?? randomTriggerId(),
    response_url: options.responseUrl ?? d.responseUrl,
    message_ts: ts,
    message,
    ...options.overrides,
  };
}

// --------------------------------------------------------------------------------------- view state values

/** `view.state.values[block_id][action_id]` */
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export function plainTextInputValue(value: string | null): ViewStateValue {
  return { type: 'plain_text_input', value };
}

export interface OptionInput {
  value: string;
  /** Shown text; defaults to the value. */
  text?: string;
}

function selectedOption(option: OptionInput) {
  return { text: plain(option.text ?? option.value), value: option.value };
}

export function staticSelectValue(option: OptionInput | null): ViewStateValue {
  return { type: 'static_select', selected_option: option === null ? null : selectedOption(option) };
}

export function checkboxesValue(options: OptionInput[]): ViewStateValue {
  return { type: 'checkboxes', selected_options: options.map(selectedOption) };
}

export function multiUsersSelectValue(userIds: string[]): ViewStateValue {
  return { type: 'multi_users_select', selected_users: userIds };
}

// --------------------------------------------------------------------------------------- views

export interface ViewOutputOptions {
  callbackId: string;
  viewId?: string;
  hash?: string;
  privateMetadata?: string;
  values?: ViewStateValues;
  blocks?: ViewOutput['blocks'];
  title?: string;
  submit?: string | null;
  close?: string | null;
  type?: 'modal' | 'home';
  team?: SlackTeamRef;
  apiAppId?: string;
  botId?: string;
  rootViewId?: string | null;
  previousViewId?: string | null;
  externalId?: string;
}

/** A view as Slack sends it back in interaction payloads. */
export function viewOutput(options: ViewOutputOptions): ViewOutput {
  const d = PAYLOAD_DEFAULTS;
  const team = options.team ?? d.team;
  const id = options.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const submit = options.submit === undefined ? 'Submit' : options.submit;
  const close = options.close === undefined ? 'Cancel' : options.close;
  return {
    id,
    team_id: team.id,
    type: options.type ?? 'modal',
    blocks: options.blocks ?? [],
    private_metadata: options.privateMetadata ?? '',
    callback_id: options.callbackId,
    state: { values: options.values ?? {} },
    hash: options.hash ?? `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    title: plain(options.title ?? 'Courtesy Loop'),
    clear_on_close: false,
    notify_on_close: false,
    close: close === null ? null : plain(close),
    submit: submit === null ? null : plain(submit),
    previous_view_id: options.previousViewId ?? null,
    root_view_id: options.rootViewId === undefined ? id : options.rootViewId,
    app_id: options.apiAppId ?? d.apiAppId,
    external_id: options.externalId ?? '',
    app_installed_team_id: team.id,
    bot_id: options.botId ?? d.botId,
  };
}

export type ViewSubmissionPayload = ViewSubmitAction & { user: PayloadUser; is_enterprise_install: boolean };

export interface ViewSubmissionOptions extends PayloadContext, Omit<ViewOutputOptions, 'team' | 'apiAppId'> {
  /** `response_urls` (only for modals with `response_url_enabled` inputs). */
  responseUrls?: ViewSubmitAction['response_urls'];
  overrides?: Partial<ViewSubmissionPayload>;
}

export function viewSubmissionPayload(options: ViewSubmissionOptions): ViewSubmissionPayload {
  const d = PAYLOAD_DEFAULTS;
  const team = options.team ?? d.team;
  const user = options.user ?? d.user;
  const apiAppId = options.apiAppId ?? d.apiAppId;
  return {
    type: 'view_submission',
    team: { id: team.id, domain: team.domain },
    user: payloadUser(user, team),
    api_app_id: apiAppId,
    token: options.verificationToken ?? d.verificationToken,
    trigger_id: options.triggerId ?? randomTriggerId(),
    view: viewOutput({ ...options, team, apiAppId }),
    response_urls: options.responseUrls ?? [],
    is_enterprise_install: false,
    ...options.overrides,
  };
}

// --------------------------------------------------------------------------------------- block actions

export interface ButtonActionInput {
  actionId: string;
  blockId?: string;
  value?: string;
  text?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

/** One entry of `actions` for a button click. */
export function buttonAction(input: ButtonActionInput): Record<string, unknown> {
  return {
    action_id: input.actionId,
    block_id: input.blockId ?? randomBytes(3).toString('base64url'),
    text: plain(input.text ?? 'Button'),
    ...(input.value !== undefined ? { value: input.value } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.style !== undefined ? { style: input.style } : {}),
    type: 'button',
    action_ts: nowTs(),
  };
}

/** One entry of `actions` for a choice in a static select. */
export function staticSelectAction(input: {
  actionId: string;
  blockId?: string;
  option: OptionInput;
  placeholder?: string;
}): Record<string, unknown> {
  return {
    type: 'static_select',
    action_id: input.actionId,
    block_id: input.blockId ?? randomBytes(3).toString('base64url'),
    selected_option: selectedOption(input.option),
    ...(input.placeholder !== undefined ? { placeholder: plain(input.placeholder) } : {}),
    action_ts: nowTs(),
  };
}

export type BlockActionsPayload = BlockAction & { user: PayloadUser; is_enterprise_install: boolean };

export interface BlockActionsOptions extends PayloadContext {
  /** Entries of `actions` (see `buttonAction`, `staticSelectAction`). */
  actions: Record<string, unknown>[];
  /** The message the element is in (message container); `channel` defaults to #general. */
  message?: SourceMessage;
  channel?: SlackChannelRef;
  isEphemeral?: boolean;
  /** The view the element is in (view container); no channel, message or response_url then. */
  view?: ViewOutput;
  state?: ViewStateValues;
  responseUrl?: string;
  overrides?: Partial<BlockActionsPayload>;
}

export function blockActionsPayload(options: BlockActionsOptions): BlockActionsPayload {
  const d = PAYLOAD_DEFAULTS;
  const team = options.team ?? d.team;
  const user = options.user ?? d.user;
  const channel = options.channel ?? d.channel;
  const base = {
    type: 'block_actions' as const,
    user: payloadUser(user, team),
    api_app_id: options.apiAppId ?? d.apiAppId,
    token: options.verificationToken ?? d.verificationToken,
    trigger_id: options.triggerId ?? randomTriggerId(),
    team: { id: team.id, domain: team.domain },
    is_enterprise_install: false,
    // Slack's element entries are a discriminated union in Bolt's types; these are built to match.
    actions: options.actions as unknown as BlockAction['actions'],
  };
  if (options.view !== undefined) {
    return {
      ...base,
      container: { type: 'view', view_id: options.view.id },
      view: options.view,
      state: { values: options.state ?? options.view.state.values },
      response_url: '',
      ...options.overrides,
    };
  }
  const message: SourceMessage = options.message ?? { type: 'message', ts: nowTs(), text: '' };
  return {
    ...base,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: options.isEphemeral ?? false,
    },
    channel,
    ...(options.isEphemeral === true ? {} : { message }),
    state: { values: options.state ?? {} },
    response_url: options.responseUrl ?? d.responseUrl,
    ...options.overrides,
  };
}

// --------------------------------------------------------------------------------------- events

/** Slack sends `context_enterprise_id: null` outside Enterprise Grid, which Bolt's type leaves out. */
export type EventCallbackEnvelope<E = { type: string; [key: string]: unknown }> = Omit<
  EnvelopedEvent<E>,
  'context_enterprise_id'
> & {
  authorizations: {
    enterprise_id: string | null;
    team_id: string | null;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }[];
  is_ext_shared_channel: boolean;
  event_context: string;
  context_team_id: string;
  context_enterprise_id: string | null;
};

export interface EventCallbackOptions {
  eventId?: string;
  /** Unix seconds; default now. */
  eventTime?: number;
  teamId?: string;
  apiAppId?: string;
  botUserId?: string;
  verificationToken?: string;
}

export function eventCallbackEnvelope<E extends { type: string }>(
  event: E,
  options: EventCallbackOptions = {},
): EventCallbackEnvelope<E> {
  const d = PAYLOAD_DEFAULTS;
  const teamId = options.teamId ?? d.team.id;
  return {
    token: options.verificationToken ?? d.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.apiAppId ?? d.apiAppId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? randomEventId(),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: options.botUserId ?? d.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  };
}

/** The JSON body of an Events API request. */
export function eventCallbackBody(event: { type: string }, options: EventCallbackOptions = {}): string {
  return JSON.stringify(eventCallbackEnvelope(event, options));
}

/** `app_home_opened` as Slack sends it when a user opens the app's Home tab. */
export function appHomeOpenedEvent(userId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'app_home_opened' as const,
    user: userId,
    channel: `D${userId}`,
    tab: 'home' as const,
    event_ts: nowTs(),
    ...overrides,
  };
}
