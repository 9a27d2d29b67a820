/**
 * Drive the app as Slack does: sign requests exactly as Slack signs them, post them to the app's
 * HTTP receiver, and (with `createSlackDriver`) build slash commands, shortcuts, view submissions,
 * button clicks and events whose trigger_ids and response_urls come from the Slack stand-in.
 */
import { createHmac } from 'node:crypto';
import type { ViewOutput } from '@slack/bolt';
import {
  type BlockActionsPayload,
  blockActionsPayload,
  buttonAction,
  type EventCallbackEnvelope,
  eventCallbackEnvelope,
  interactivityBody,
  type MessageShortcutOptions,
  type MessageShortcutPayload,
  messageShortcutPayload,
  PAYLOAD_DEFAULTS,
  type SlackChannelRef,
  type SlackUserRef,
  type SlashCommandFields,
  type SourceMessage,
  slashCommandFields,
  type ViewStateValues,
  type ViewSubmissionOptions,
  type ViewSubmissionPayload,
  viewOutput,
  viewSubmissionPayload,
} from './slack-payloads.js';
import type { SlackStandIn, StoredMessage } from './slack-standin.js';
import { nowTs } from './standin/ids.js';

export * from './slack-payloads.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/**
 * Slack's request signature: `v0=` + hex(HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`)).
 * `timestamp` is in Unix seconds (default now).
 */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

export interface PostToAppOptions {
  body: string;
  contentType: string;
  secret: string;
  /** Unix seconds for the signature; default now (use an old one to test replay protection). */
  timestamp?: number;
  /** Sent instead of the correct signature (to test that bad signatures are refused). */
  signature?: string;
  /** Extra headers, e.g. `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export interface AppResponse {
  status: number;
  text: string;
  /** The body parsed, when it was JSON. */
  json?: unknown;
  headers: Headers;
}

/** POSTs a signed request to the app (e.g. `http://127.0.0.1:PORT/slack/events`). */
export async function postToApp(appUrl: string, options: PostToAppOptions): Promise<AppResponse> {
  const signed = signSlackRequest(options.secret, options.body, options.timestamp);
  const response = await fetch(appUrl, {
    method: 'POST',
    headers: {
      'content-type': options.contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signed,
      ...(options.signature !== undefined ? { 'x-slack-signature': options.signature } : {}),
      ...options.headers,
    },
    body: options.body,
  });
  const text = await response.text();
  let json: unknown;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return {
    status: response.status,
    text,
    headers: response.headers,
    ...(json !== undefined ? { json } : {}),
  };
}

// --------------------------------------------------------------------------------------- driver

export type DriverResult<P> = AppResponse & {
  /** What was sent to the app. */
  payload: P;
};

export type WithResponseUrl<R> = R & {
  /** The id of the payload's response_url at the stand-in (`standIn.responsesTo(id)`). */
  responseUrlId: string;
};

export interface SubmitViewOptions extends Omit<ViewSubmissionOptions, 'user' | 'team' | 'apiAppId'> {
  user?: SlackUserRef;
}

export interface ClickButtonOptions {
  actionId: string;
  /** Defaults to the button's value in the message or view the app sent. */
  value?: string;
  blockId?: string;
  text?: string;
  /** Narrows the search to this message (otherwise the latest message or view holding the button). */
  messageTs?: string;
  /** Narrows the search to this view. */
  viewId?: string;
  channel?: SlackChannelRef;
  user?: SlackUserRef;
  state?: ViewStateValues;
  overrides?: Partial<BlockActionsPayload>;
}

export interface SendEventOptions {
  /** Re-send with the same id to simulate Slack's retry of one event. */
  eventId?: string;
  eventTime?: number;
  /** Adds `x-slack-retry-num` (and `x-slack-retry-reason`), as Slack does on retries. */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackDriverOptions {
  /** The app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  appUrl: string;
  secret: string;
  standIn: SlackStandIn;
  /** Who acts; default `{ id: 'U0ALICE', name: 'alice' }`. */
  user?: SlackUserRef;
  /** Where; default `{ id: 'C0GENERAL', name: 'general' }`. */
  channel?: SlackChannelRef;
}

export interface SlackDriver {
  readonly user: SlackUserRef;
  readonly channel: SlackChannelRef;
  /** A slash command, as a user types `/command text`. */
  command(
    command: string,
    text: string,
    overrides?: Partial<SlashCommandFields>,
  ): Promise<WithResponseUrl<DriverResult<SlashCommandFields>>>;
  /** A message shortcut used on `message`. */
  messageShortcut(
    callbackId: string,
    message?: Partial<SourceMessage>,
    overrides?: Partial<Omit<MessageShortcutOptions, 'callbackId' | 'message'>>,
  ): Promise<WithResponseUrl<DriverResult<MessageShortcutPayload>>>;
  /**
   * Submits a modal. Unless `viewId` is given, submits the latest view the app opened, pushed or
   * updated with this callback_id (its id, hash, private_metadata and blocks), as Slack would.
   */
  submitView(options: SubmitViewOptions): Promise<DriverResult<ViewSubmissionPayload>>;
  /**
   * Clicks a button. Finds the latest message (chat.postMessage / chat.update) or view the app sent
   * that holds a button with this action_id, and sends the block_actions payload Slack would.
   */
  clickButton(options: ClickButtonOptions): Promise<DriverResult<BlockActionsPayload>>;
  /** An Events API event in its `event_callback` envelope. */
  sendEvent<E extends { type: string }>(
    event: E,
    options?: SendEventOptions,
  ): Promise<DriverResult<EventCallbackEnvelope<E>>>;
  /** Posts any body, signed. */
  post(body: string, contentType: string, headers?: Record<string, string>): Promise<AppResponse>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Interactive elements of a block (section accessory, actions/context_actions elements, input element). */
function elementsOf(block: Json): Json[] {
  const found: unknown[] = [];
  if (block.accessory !== undefined) found.push(block.accessory);
  if (block.element !== undefined) found.push(block.element);
  if (Array.isArray(block.elements) && block.type !== 'context' && block.type !== 'rich_text') {
    found.push(...block.elements);
  }
  return found.filter(isObject);
}

function findElement(blocks: unknown, actionId: string): { blockId: string; element: Json } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const element = elementsOf(block).find((e) => e.action_id === actionId);
    if (element !== undefined) {
      return { blockId: typeof block.block_id === 'string' ? block.block_id : '', element };
    }
  }
  return undefined;
}

function responseUrlIdOf(url: string): string {
  return decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
}

/** A stored message as Slack puts it in interaction payloads. */
export function sourceMessage(stored: StoredMessage, teamId: string): SourceMessage {
  return {
    type: 'message',
    subtype: 'bot_message',
    ts: stored.ts,
    text: stored.text,
    user: stored.user,
    bot_id: stored.bot_id,
    team: teamId,
    ...(Array.isArray(stored.blocks) ? { blocks: stored.blocks } : {}),
    ...(stored.thread_ts !== undefined ? { thread_ts: stored.thread_ts } : {}),
    ...(stored.edited !== undefined ? { edited: stored.edited } : {}),
  };
}

/** What a view_submission carries of the view the app opened (its id, hash, metadata, blocks, labels). */
export function submittedView(view: ViewOutput) {
  return {
    callbackId: view.callback_id,
    viewId: view.id,
    hash: view.hash,
    privateMetadata: view.private_metadata,
    blocks: view.blocks,
    title: view.title.text,
    submit: view.submit?.text ?? null,
    close: view.close?.text ?? null,
    rootViewId: view.root_view_id,
    previousViewId: view.previous_view_id,
    ...(view.external_id !== undefined ? { externalId: view.external_id } : {}),
  };
}

/** A stored view as Slack puts it in interaction payloads. */
export function asViewOutput(view: Json, fallbackTeam: string): ViewOutput {
  const text = (value: unknown): string | null =>
    isObject(value) && typeof value.text === 'string' ? value.text : null;
  const id = typeof view.id === 'string' ? view.id : '';
  return viewOutput({
    callbackId: typeof view.callback_id === 'string' ? view.callback_id : '',
    viewId: id,
    ...(typeof view.hash === 'string' ? { hash: view.hash } : {}),
    privateMetadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    blocks: Array.isArray(view.blocks) ? (view.blocks as ViewOutput['blocks']) : [],
    title: text(view.title) ?? '',
    submit: text(view.submit),
    close: text(view.close),
    type: view.type === 'home' ? 'home' : 'modal',
    team: { id: typeof view.team_id === 'string' ? view.team_id : fallbackTeam, domain: '' },
    rootViewId: typeof view.root_view_id === 'string' ? view.root_view_id : null,
    previousViewId: typeof view.previous_view_id === 'string' ? view.previous_view_id : null,
    ...(typeof view.external_id === 'string' ? { externalId: view.external_id } : {}),
  });
}

/** Drives the app as Slack does, with trigger_ids and response_urls from the stand-in. */
type LocatedButton =
  | { kind: 'message'; channel: string; message: SourceMessage; blockId: string; element: Json }
  | { kind: 'view'; view: ViewOutput; blockId: string; element: Json };

/** The latest message or view the app sent that holds the clicked element (newest first, as a person sees it). */
function locateButton(
  standIn: SlackStandIn,
  click: ClickButtonOptions,
  teamId: string,
): LocatedButton | undefined {
  for (let i = standIn.calls.length - 1; i >= 0; i--) {
    const call = standIn.calls[i];
    if (call === undefined || !call.response.ok) continue;
    if (call.method === 'chat.postMessage' || call.method === 'chat.update') {
      const channel = String(call.response.channel ?? '');
      const ts = String(call.response.ts ?? '');
      if (click.viewId !== undefined || (click.messageTs !== undefined && click.messageTs !== ts)) continue;
      const stored = standIn.findMessage(channel, ts);
      const blocks = stored?.blocks ?? call.args.blocks;
      const hit = findElement(blocks, click.actionId);
      if (hit === undefined) continue;
      const message: SourceMessage =
        stored !== undefined
          ? sourceMessage(stored, teamId)
          : { type: 'message', ts, text: String(call.args.text ?? ''), blocks: blocks as unknown[] };
      return { kind: 'message', channel, message, ...hit };
    }
    if (call.method.startsWith('views.') && click.messageTs === undefined) {
      const answered = call.response.view;
      if (!isObject(answered)) continue;
      if (click.viewId !== undefined && answered.id !== click.viewId) continue;
      const view = standIn.view(String(answered.id)) ?? answered;
      const hit = findElement(view.blocks, click.actionId);
      if (hit !== undefined) return { kind: 'view', view: asViewOutput(view, teamId), ...hit };
    }
  }
  return undefined;
}

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const { appUrl, secret, standIn } = options;
  const identity = standIn.identity;
  const team = { id: identity.teamId, domain: identity.teamDomain };
  const defaultUser = options.user ?? PAYLOAD_DEFAULTS.user;
  const defaultChannel = options.channel ?? PAYLOAD_DEFAULTS.channel;
  const context = { team, apiAppId: identity.appId };

  const post = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    postToApp(appUrl, { body, contentType, secret, headers });

  const postInteractivity = async <P extends object>(payload: P): Promise<DriverResult<P>> => ({
    ...(await post(interactivityBody(payload), FORM_CONTENT_TYPE)),
    payload,
  });

  /** The latest view (from the stand-in's answers) with this callback_id or id. */
  const findView = (match: (view: Json) => boolean): Json | undefined => {
    for (let i = standIn.calls.length - 1; i >= 0; i--) {
      const call = standIn.calls[i];
      if (call === undefined || !call.response.ok || !call.method.startsWith('views.')) continue;
      const view = call.response.view;
      if (isObject(view) && match(view)) return standIn.view(String(view.id)) ?? view;
    }
    return undefined;
  };

  const channelRef = (id: string): SlackChannelRef =>
    id === defaultChannel.id
      ? defaultChannel
      : { id, name: id.startsWith('D') ? 'directmessage' : id.toLowerCase() };

  return {
    user: defaultUser,
    channel: defaultChannel,

    async command(command, text, overrides = {}) {
      const responseUrl = standIn.responseUrl();
      const payload = slashCommandFields({
        team_id: team.id,
        team_domain: team.domain,
        api_app_id: identity.appId,
        user_id: defaultUser.id,
        user_name: defaultUser.name,
        channel_id: defaultChannel.id,
        channel_name: defaultChannel.name,
        command,
        text,
        response_url: responseUrl,
        trigger_id: standIn.issueTriggerId(),
        ...overrides,
      });
      const body = new URLSearchParams(
        Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ).toString();
      const response = await post(body, FORM_CONTENT_TYPE);
      return { ...response, payload, responseUrlId: responseUrlIdOf(payload.response_url) };
    },

    async messageShortcut(callbackId, message = {}, overrides = {}) {
      const responseUrl = overrides.responseUrl ?? standIn.responseUrl();
      const payload = messageShortcutPayload({
        ...context,
        user: defaultUser,
        channel: defaultChannel,
        triggerId: standIn.issueTriggerId(),
        ...overrides,
        responseUrl,
        callbackId,
        message,
      });
      return { ...(await postInteractivity(payload)), responseUrlId: responseUrlIdOf(responseUrl) };
    },

    async submitView(submit) {
      const opened = findView((view) =>
        submit.viewId !== undefined ? view.id === submit.viewId : view.callback_id === submit.callbackId,
      );
      const fromApp = opened === undefined ? undefined : asViewOutput(opened, team.id);
      const payload = viewSubmissionPayload({
        ...context,
        user: defaultUser,
        triggerId: standIn.issueTriggerId(),
        ...(fromApp !== undefined ? submittedView(fromApp) : {}),
        ...submit,
      });
      return postInteractivity(payload);
    },

    async clickButton(click) {
      const user = click.user ?? defaultUser;
      const located = locateButton(standIn, click, team.id);

      const element = located?.element ?? {};
      const elementText =
        isObject(element.text) && typeof element.text.text === 'string' ? element.text.text : undefined;
      const elementValue = typeof element.value === 'string' ? element.value : undefined;
      const value = click.value ?? elementValue;
      const text = click.text ?? elementText;
      const blockId = click.blockId ?? located?.blockId;
      const action = buttonAction({
        actionId: click.actionId,
        ...(blockId !== undefined ? { blockId } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(text !== undefined ? { text } : {}),
      });
      const common = {
        ...context,
        user,
        triggerId: standIn.issueTriggerId(),
        actions: [action],
        ...(click.state !== undefined ? { state: click.state } : {}),
        ...(click.overrides !== undefined ? { overrides: click.overrides } : {}),
      };

      if (located?.kind === 'view') {
        return postInteractivity(blockActionsPayload({ ...common, view: located.view }));
      }
      if (located === undefined && click.viewId !== undefined) {
        const view = viewOutput({ callbackId: '', viewId: click.viewId, team });
        return postInteractivity(blockActionsPayload({ ...common, view }));
      }
      const channel = click.channel ?? (located ? channelRef(located.channel) : defaultChannel);
      const message: SourceMessage = located?.message ?? {
        type: 'message',
        ts: click.messageTs ?? nowTs(),
        text: '',
      };
      return postInteractivity(
        blockActionsPayload({ ...common, channel, message, responseUrl: standIn.responseUrl() }),
      );
    },

    async sendEvent(event, sendOptions = {}) {
      const payload = eventCallbackEnvelope(event, {
        teamId: team.id,
        apiAppId: identity.appId,
        botUserId: identity.botUserId,
        ...(sendOptions.eventId !== undefined ? { eventId: sendOptions.eventId } : {}),
        ...(sendOptions.eventTime !== undefined ? { eventTime: sendOptions.eventTime } : {}),
      });
      const headers: Record<string, string> =
        sendOptions.retryNum !== undefined
          ? {
              'x-slack-retry-num': String(sendOptions.retryNum),
              'x-slack-retry-reason': sendOptions.retryReason ?? 'http_timeout',
            }
          : {};
      return { ...(await post(JSON.stringify(payload), JSON_CONTENT_TYPE, headers)), payload };
    },

    post,
  };
}
