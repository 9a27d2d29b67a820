import type { Clock } from '../clock.js';
import { formatWeekdayTime } from '../time/local-time.js';
import type { DemoPerson } from './demo/people.js';
import type { SlackStandIn, StoredMessage } from './slack-standin.js';
import { dmChannelFor, isUserId } from './standin/web-api-methods.js';
import type { ChannelRef } from './workspace.js';
import { messageKey, type WorkspaceRecord } from './workspace-record.js';

/** What the page shows one person looking at one conversation, as plain JSON. */

export type ShownMessage = {
  ts: string;
  user: string;
  isApp: boolean;
  text: string;
  blocks: unknown;
  files: { id: string; title: string; url: string }[];
  at: number | null;
  /** `at` as people in the demo's time zone read it. */
  when: string;
  edited: boolean;
  reactions: { emoji: string; users: string[] }[];
  replies: ShownMessage[];
};

/** A request Slack refused, with Slack's own error and messages. */
export type Refusal = {
  method: string;
  error: string;
  messages: string[];
  channel: string | null;
  at: number;
};

export type Snapshot = {
  version: string;
  now: number;
  nowText: string;
  me: string;
  channel: string;
  people: { id: string; name: string; realName: string; role: string }[];
  channels: ChannelRef[];
  appName: string;
  appUserId: string;
  messages: ShownMessage[];
  ephemerals: { text: string; blocks: unknown; at: number; when: string }[];
  modal: { view: Record<string, unknown>; errors: Record<string, string> } | null;
  home: Record<string, unknown> | null;
  refusals: Refusal[];
};

const REFUSALS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
]);

export type SnapshotSource = {
  standIn: SlackStandIn;
  record: WorkspaceRecord;
  clock: Clock;
  people: readonly DemoPerson[];
  channels: readonly ChannelRef[];
  timeZone: string;
  view(viewId: string): Record<string, unknown> | undefined;
};

export function createSnapshots(source: SnapshotSource) {
  const { standIn, record, clock } = source;
  const replaced = new Map<string, { text: string; blocks: unknown }>();
  const refusedResponses: Refusal[] = [];
  let responsesSeen = 0;

  /** Posts to response_urls become what Slack shows: an ephemeral, a channel message, or a replaced message. */
  function applyResponses() {
    for (; responsesSeen < standIn.responses.length; responsesSeen++) {
      const response = standIn.responses[responsesSeen];
      const owner = response === undefined ? undefined : record.ownerOfResponse(response.id);
      if (response === undefined || owner === undefined) continue;
      const body = (response.body ?? {}) as Record<string, unknown>;
      if (response.status !== 200) {
        refusedResponses.push({
          method: 'response_url',
          error: response.status === 400 ? 'invalid_blocks' : 'used_url',
          messages: [],
          channel: owner.channel,
          at: clock.now(),
        });
        continue;
      }
      const content = { text: typeof body.text === 'string' ? body.text : '', blocks: body.blocks };
      if (body.replace_original === true && owner.messageTs !== undefined) {
        replaced.set(messageKey(owner.channel, owner.messageTs), content);
      } else if (body.response_type === 'in_channel') {
        const { botUserId, botId } = standIn.identity;
        const posted = standIn.addMessage({
          channel: owner.channel,
          user: botUserId,
          bot_id: botId,
          ...content,
        });
        record.postedAt.set(messageKey(owner.channel, posted.ts), clock.now());
      } else {
        record.ephemerals.push({ user: owner.user, channel: owner.channel, ...content, at: clock.now() });
      }
    }
  }

  function shown(stored: StoredMessage, replies: ShownMessage[]): ShownMessage {
    const key = messageKey(stored.channel, stored.ts);
    const content = replaced.get(key) ?? stored;
    const at = record.postedAt.get(key) ?? null;
    return {
      ts: stored.ts,
      user: stored.user,
      isApp: stored.bot_id !== '',
      text: content.text,
      blocks: content.blocks ?? null,
      files: (stored.files ?? []).map((f) => ({ ...f, url: `/files/${encodeURIComponent(f.id)}` })),
      at,
      when: at === null ? '' : formatWeekdayTime(at, source.timeZone),
      edited: stored.edited !== undefined,
      reactions: [...(record.reactions.get(key) ?? new Map<string, Set<string>>())]
        .filter(([, users]) => users.size > 0)
        .map(([emoji, users]) => ({ emoji, users: [...users] })),
      replies,
    };
  }

  function messagesOf(channel: string): ShownMessage[] {
    const all = standIn.messagesIn(channel).filter((m) => !m.deleted);
    const isReply = (m: StoredMessage) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
    return all
      .filter((m) => !isReply(m))
      .map((m) =>
        shown(
          m,
          all.filter((r) => isReply(r) && r.thread_ts === m.ts).map((r) => shown(r, [])),
        ),
      );
  }

  function refusals(): Refusal[] {
    const fromCalls = standIn.calls
      .filter((c) => !c.response.ok && REFUSALS.has(String(c.response.error)))
      .map((c) => {
        const channel = typeof c.args.channel === 'string' ? c.args.channel : null;
        const meta = c.response.response_metadata as { messages?: string[] } | undefined;
        return {
          method: c.method,
          error: String(c.response.error),
          messages: meta?.messages ?? [],
          channel: channel !== null && isUserId(channel) ? dmChannelFor(channel) : channel,
          at: c.at,
        };
      });
    return [...fromCalls, ...refusedResponses];
  }

  function snapshot(me: string, channel: string): Snapshot {
    applyResponses();
    const top = (record.modals.get(me) ?? []).at(-1);
    const modalView = top === undefined ? undefined : source.view(top.viewId);
    return {
      version: record.version(),
      now: clock.now(),
      nowText: formatWeekdayTime(clock.now(), source.timeZone),
      me,
      channel,
      people: source.people.map((p) => ({
        id: p.id,
        name: p.name ?? p.id,
        realName: p.real_name,
        role: p.role,
      })),
      channels: [...source.channels],
      appName: 'Courtesy Loop',
      appUserId: standIn.identity.botUserId,
      messages: messagesOf(channel),
      ephemerals: record.ephemerals
        .filter((e) => e.user === me && e.channel === channel)
        .map((e) => ({
          text: e.text,
          blocks: e.blocks ?? null,
          at: e.at,
          when: formatWeekdayTime(e.at, source.timeZone),
        })),
      modal: top !== undefined && modalView !== undefined ? { view: modalView, errors: top.errors } : null,
      home: standIn.homeView(me) ?? null,
      refusals: refusals(),
    };
  }

  return { snapshot, applyResponses };
}
