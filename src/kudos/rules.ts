import type { KudosConfig } from '../config/kudos-schema.js';
import { periodStart } from '../time/local-time.js';
import { wordCharacters } from './parse.js';

/**
 * The rules every way of giving kudos shares, as pure functions over plain data and an instant: who may be
 * thanked, what a reason and a value must be, and how many kudos a giver has left today. "Today" is the
 * giver's own day, from midnight to midnight in the IANA time zone of their Slack profile.
 */

export const REASON_MAX_LENGTH = 1000;

export type KudosProblem =
  | { problem: 'not-configured' }
  | { problem: 'no-recipient' }
  | { problem: 'special-mention'; mention: string }
  | { problem: 'channel-mention' }
  | { problem: 'too-many-recipients'; count: number; max: number }
  | { problem: 'self' }
  /** A reaction on the giver's own message: there is nobody else to thank for it. */
  | { problem: 'own-message' }
  /** A reaction removed (later event_ts) before its add was stored: nothing to give, nobody to tell. */
  | { problem: 'reaction-removed' }
  | { problem: 'bot'; userIds: string[] }
  | { problem: 'bot-message' }
  /** A "+1" on the giver's own kudos post: they already thanked these people. */
  | { problem: 'own-kudos' }
  /** A "+1" on a kudos that thanks only the reactor: nobody else to thank. */
  | { problem: 'plus-one-only-you' }
  /** A "+1" on a kudos that was withdrawn since. */
  | { problem: 'plus-one-withdrawn' }
  | { problem: 'deactivated'; userIds: string[] }
  | { problem: 'unknown-value'; tags: string[]; valid: string[] }
  | { problem: 'too-many-values'; tags: string[] }
  | { problem: 'value-required'; valid: string[] }
  | { problem: 'reason-no-words' }
  | { problem: 'reason-too-short'; length: number; min: number }
  | { problem: 'reason-too-long'; length: number; max: number }
  | {
      problem: 'allowance';
      allowance: number;
      used: number;
      requested: number;
      resetsAt: number;
      timeZone: string;
    }
  | { problem: 'recipient-cap'; userIds: string[]; cap: number; resetsAt: number; timeZone: string };

/** What a giver asked for, before anyone is looked up. */
export type KudosDraft = {
  recipientIds: string[];
  valueIds: string[];
  reason: string;
};

/** Checks that need only the draft and the config. Typed reasons only: a reaction has none to check. */
export function checkDraft(
  draft: KudosDraft,
  kudos: KudosConfig,
  options: { typedReason: boolean },
): KudosProblem | undefined {
  if (draft.recipientIds.length === 0) return { problem: 'no-recipient' };
  if (draft.recipientIds.length > kudos.max_recipients) {
    return { problem: 'too-many-recipients', count: draft.recipientIds.length, max: kudos.max_recipients };
  }
  const valid = kudos.values.map((v) => v.id);
  const unknown = draft.valueIds.filter((id) => !valid.includes(id));
  if (unknown.length > 0) return { problem: 'unknown-value', tags: unknown, valid };
  if (draft.valueIds.length > 3) return { problem: 'too-many-values', tags: draft.valueIds };
  if (!options.typedReason) return undefined;
  if (kudos.require_value && draft.valueIds.length === 0) return { problem: 'value-required', valid };
  const reason = draft.reason.trim();
  if (reason.length > REASON_MAX_LENGTH) {
    return { problem: 'reason-too-long', length: reason.length, max: REASON_MAX_LENGTH };
  }
  if (wordCharacters(reason) === 0) return { problem: 'reason-no-words' };
  if (reason.length < kudos.min_reason_length) {
    return { problem: 'reason-too-short', length: reason.length, min: kudos.min_reason_length };
  }
  return undefined;
}

/**
 * Whom "Give kudos for this" on a message thanks: its author, unless the message is a bot's or an app's
 * (refused at once) or the giver's own (the form opens empty, to pick someone).
 */
export function messageAuthorRecipients(
  message: { userId: string | undefined; botId: string | undefined },
  giverId: string,
): { recipientIds: string[] } | { problem: KudosProblem } {
  if (!message.userId || message.botId) return { problem: { problem: 'bot-message' } };
  return { recipientIds: message.userId === giverId ? [] : [message.userId] };
}

/**
 * The giver's daily allowance: a person listed in the overrides gets theirs; otherwise the largest among the
 * user groups they belong to; otherwise the default.
 */
export function dailyAllowance(
  kudos: KudosConfig,
  giverId: string,
  giverGroups: ReadonlySet<string>,
): number {
  const own = kudos.allowance_overrides.find((o) => o.user === giverId);
  if (own) return own.daily_allowance;
  const fromGroups = kudos.allowance_overrides
    .filter((o) => o.usergroup !== undefined && giverGroups.has(o.usergroup))
    .map((o) => o.daily_allowance);
  return fromGroups.length > 0 ? Math.max(...fromGroups) : kudos.daily_allowance;
}

export type GiverDay = {
  /** Active ledger rows the giver created today (one per recipient). */
  usedToday: number;
  /** Of those, per recipient. */
  perRecipientToday: ReadonlyMap<string, number>;
};

/** May the giver thank these recipients now? Each recipient uses one kudos of the allowance. */
export function checkAllowance(input: {
  allowance: number;
  cap: number;
  day: GiverDay;
  recipientIds: readonly string[];
  window: DayWindow;
  timeZone: string;
}): KudosProblem | undefined {
  const { allowance, cap, day, recipientIds, window, timeZone } = input;
  if (day.usedToday + recipientIds.length > allowance) {
    return {
      problem: 'allowance',
      allowance,
      used: day.usedToday,
      requested: recipientIds.length,
      resetsAt: window.end,
      timeZone,
    };
  }
  const capped = recipientIds.filter((id) => (day.perRecipientToday.get(id) ?? 0) + 1 > cap);
  if (capped.length > 0) {
    return { problem: 'recipient-cap', userIds: capped, cap, resetsAt: window.end, timeZone };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Days and periods in a time zone

export type DayWindow = { start: number; end: number };

export const LEADERBOARD_PERIODS = ['week', 'month', 'quarter', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

export const PERIOD_LABELS: Record<LeaderboardPeriod, string> = {
  week: 'This week',
  month: 'This month',
  quarter: 'This quarter',
  all: 'All time',
};

/** When the leaderboard period containing `at` began in `timeZone` (weeks start on Monday); 0 for all time. */
export function leaderboardStart(period: LeaderboardPeriod, at: number, timeZone: string): number {
  return period === 'all' ? 0 : periodStart(period, at, timeZone);
}
