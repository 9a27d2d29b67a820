import { z } from 'zod';
import { isTimeZone } from '../time/local-time.js';
import { isSlackId, isSlackName, type RefKind } from './slack-refs.js';

/**
 * The shapes the org config schema repeats: Slack references, bounded text and numbers, time zones, optional
 * sections, and the checks that report every problem at once. Messages are written for the admin who edits
 * the file: they say what a valid value looks like.
 */

export const CHANNEL_ID_MESSAGE =
  'must be a channel: its name in quotes like "#billing" (unquoted, YAML reads # as a comment), or its ID like C0123ABCD';
export const USER_ID_MESSAGE =
  'must be a person: their e-mail address like ana@example.com, or their Slack user ID like U0123ABCD (profile → ⋮ More → Copy member ID)';
export const USERGROUP_ID_MESSAGE =
  'must be a user group: its handle in quotes like "@support-team", or its ID like S0123ABCD';

/** An id, or a name looked up in Slack when the config is loaded (config/slack-refs.ts). */
export function slackRef(kind: RefKind, message: string) {
  return z
    .string({ error: message })
    .trim()
    .refine((v) => isSlackId(kind, v) || isSlackName(kind, v), message);
}

export const channelId = slackRef('channel', CHANNEL_ID_MESSAGE);
export const userId = slackRef('user', USER_ID_MESSAGE);
export const usergroupId = slackRef('usergroup', USERGROUP_ID_MESSAGE);
export const userIdList = z.array(userId, {
  error: 'must be a list of people (e-mail addresses or Slack user IDs), like [ana@example.com, U0456EFGH]',
});

/** A trimmed string of min..max characters, with one message for every way it can be wrong. */
export function text(min: number, max: number, what = 'text') {
  const message = `must be ${what} of ${min} to ${max} characters`;
  return z.string({ error: message }).trim().min(min, message).max(max, message);
}

export const TIMEZONE_MESSAGE = 'must be an IANA time zone like Europe/Berlin, America/New_York or UTC';
export const timeZone = z.string({ error: TIMEZONE_MESSAGE }).refine(isTimeZone, TIMEZONE_MESSAGE);

/** An optional key written with nothing after it (`leads:`) counts as left out, so its default applies. */
export function blankAsDefault<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

/**
 * Runs even when sibling items already failed, so every problem is reported in one go. zod still skips it
 * after an explicit abort (`abort: true`, or a list over its `.max()`), so this file uses neither.
 */
export const always = { when: () => true };

/**
 * Reports every item whose key repeats an earlier one. Items may be partly invalid here (the check runs
 * despite other issues), so `keyOf` must cope with any shape and return undefined to skip an item.
 */
export function reportDuplicates<T>(
  items: readonly T[],
  ctx: z.RefinementCtx,
  keyOf: (item: T) => string | undefined,
  issue: (item: T, index: number, firstIndex: number) => { path: PropertyKey[]; message: string },
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined || key === '') return;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const { path, message } = issue(item, index, first);
    ctx.addIssue({ code: 'custom', path, message });
  });
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** A whole number in min..max, with one message for every way it can be wrong. */
export function wholeNumber(
  min: number,
  max: number,
  message = `must be a whole number from ${min} to ${max}`,
) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** A number in min..max (fractions allowed), with one message for every way it can be wrong. */
export function numberIn(min: number, max: number, message: string) {
  return z.number({ error: message }).min(min, message).max(max, message);
}

/**
 * An optional section of settings, each with a default: left out or left empty, every default applies.
 * (`{}` is valid input exactly when every field has a default, which the compiler cannot see for a generic shape.)
 */
export function section<T extends z.core.$ZodLooseShape>(shape: T, error: string) {
  return blankAsDefault(z.strictObject(shape, { error }).prefault({} as never));
}
