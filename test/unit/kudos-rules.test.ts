import { describe, expect, it } from 'vitest';
import { kudosSchema } from '../../src/config/kudos-schema.js';
import {
  checkAllowance,
  checkDraft,
  dailyAllowance,
  leaderboardStart,
  messageAuthorRecipients,
} from '../../src/kudos/rules.js';
import { dayWindow, periodStart } from '../../src/time/local-time.js';

const kudos = (overrides: Record<string, unknown> = {}) =>
  kudosSchema.parse({
    channel: 'C0KUDOS001',
    values: [
      { id: 'ownership', label: 'Ownership' },
      { id: 'craft', label: 'Craft' },
    ],
    ...overrides,
  });

const draft = (overrides: Partial<Parameters<typeof checkDraft>[0]> = {}) => ({
  recipientIds: ['U0ANA0001'],
  valueIds: [],
  reason: 'for fixing the refund export',
  ...overrides,
});

describe('checkDraft', () => {
  it('accepts a good draft', () => {
    expect(checkDraft(draft(), kudos(), { typedReason: true })).toBeUndefined();
  });

  it('refuses no recipient, too many, and unknown or missing values', () => {
    expect(checkDraft(draft({ recipientIds: [] }), kudos(), { typedReason: true })).toEqual({
      problem: 'no-recipient',
    });
    const fifty = Array.from({ length: 50 }, (_, i) => `U0PERSON${String(i).padStart(2, '0')}`);
    expect(checkDraft(draft({ recipientIds: fifty }), kudos(), { typedReason: true })).toEqual({
      problem: 'too-many-recipients',
      count: 50,
      max: 10,
    });
    expect(checkDraft(draft({ valueIds: ['speed'] }), kudos(), { typedReason: true })).toEqual({
      problem: 'unknown-value',
      tags: ['speed'],
      valid: ['ownership', 'craft'],
    });
    expect(checkDraft(draft(), kudos({ require_value: true }), { typedReason: true })).toMatchObject({
      problem: 'value-required',
    });
  });

  it('refuses a reason of only emoji, or shorter than the minimum', () => {
    expect(checkDraft(draft({ reason: ':tada: 🎉🎉' }), kudos(), { typedReason: true })).toEqual({
      problem: 'reason-no-words',
    });
    expect(checkDraft(draft({ reason: 'thanks' }), kudos(), { typedReason: true })).toEqual({
      problem: 'reason-too-short',
      length: 6,
      min: 10,
    });
    expect(
      checkDraft(draft({ reason: 'thanks' }), kudos({ min_reason_length: 3 }), { typedReason: true }),
    ).toBe(undefined);
  });

  it('does not ask a reaction for a typed reason or a value', () => {
    expect(
      checkDraft(draft({ reason: '' }), kudos({ require_value: true }), { typedReason: false }),
    ).toBeUndefined();
  });
});

describe('dailyAllowance', () => {
  const config = kudos({
    daily_allowance: 5,
    allowance_overrides: [
      { usergroup: 'S0MANAGERS', daily_allowance: 10 },
      { usergroup: 'S0LEADS001', daily_allowance: 8 },
      { user: 'U0KAI00001', daily_allowance: 2 },
    ],
  });
  it('uses the person first, then the largest group allowance, then the default', () => {
    expect(dailyAllowance(config, 'U0KAI00001', new Set(['S0MANAGERS']))).toBe(2);
    expect(dailyAllowance(config, 'U0ANA0001', new Set(['S0MANAGERS', 'S0LEADS001']))).toBe(10);
    expect(dailyAllowance(config, 'U0ANA0001', new Set(['S0LEADS001']))).toBe(8);
    expect(dailyAllowance(config, 'U0ANA0001', new Set())).toBe(5);
  });
});

describe('day windows in the giver’s time zone', () => {
  it('runs from local midnight to local midnight', () => {
    const at = Date.parse('2026-11-23T14:59:00Z'); // 23:59 in Tokyo, 06:59 in Los Angeles
    expect(dayWindow(at, 'Asia/Tokyo')).toEqual({
      start: Date.parse('2026-11-22T15:00:00Z'),
      end: Date.parse('2026-11-23T15:00:00Z'),
    });
    expect(dayWindow(at, 'America/Los_Angeles')).toEqual({
      start: Date.parse('2026-11-23T08:00:00Z'),
      end: Date.parse('2026-11-24T08:00:00Z'),
    });
    expect(dayWindow(Date.parse('2026-11-23T15:00:00Z'), 'Asia/Tokyo').start).toBe(
      Date.parse('2026-11-23T15:00:00Z'),
    );
  });

  it('copes with days of 23 and 25 hours at daylight-saving changes', () => {
    const spring = dayWindow(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect(spring.end - spring.start).toBe(23 * 3600_000);
    const autumn = dayWindow(Date.parse('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(autumn.end - autumn.start).toBe(25 * 3600_000);
    expect(autumn.start).toBe(Date.parse('2026-10-24T22:00:00Z'));
  });

  it('starts weeks on Monday, and months and quarters on their first day, in the zone', () => {
    const at = Date.parse('2026-11-25T10:00:00Z'); // a Wednesday
    expect(periodStart('week', at, 'Europe/Berlin')).toBe(Date.parse('2026-11-22T23:00:00Z'));
    expect(periodStart('month', at, 'Europe/Berlin')).toBe(Date.parse('2026-10-31T23:00:00Z'));
    expect(periodStart('quarter', at, 'Europe/Berlin')).toBe(Date.parse('2026-09-30T22:00:00Z'));
    expect(leaderboardStart('all', at, 'Europe/Berlin')).toBe(0);
    expect(leaderboardStart('week', at, 'Europe/Berlin')).toBe(periodStart('week', at, 'Europe/Berlin'));
  });
});

describe('checkAllowance', () => {
  const window = { start: 0, end: 86_400_000 };
  const base = { allowance: 5, cap: 2, window, timeZone: 'UTC' };
  it('counts one kudos per recipient and says when the allowance resets', () => {
    const day = { usedToday: 4, perRecipientToday: new Map() };
    expect(checkAllowance({ ...base, day, recipientIds: ['U0A', 'U0B'] })).toEqual({
      problem: 'allowance',
      allowance: 5,
      used: 4,
      requested: 2,
      resetsAt: 86_400_000,
      timeZone: 'UTC',
    });
    expect(checkAllowance({ ...base, day, recipientIds: ['U0A'] })).toBeUndefined();
  });

  it('caps how often one giver thanks the same person per day', () => {
    const day = { usedToday: 2, perRecipientToday: new Map([['U0A', 2]]) };
    expect(checkAllowance({ ...base, day, recipientIds: ['U0A', 'U0B'] })).toMatchObject({
      problem: 'recipient-cap',
      userIds: ['U0A'],
      cap: 2,
    });
  });
});

describe('messageAuthorRecipients', () => {
  it('thanks the author, opens an empty form on your own message, and refuses bots and apps', () => {
    expect(messageAuthorRecipients({ userId: 'U0LI000001', botId: undefined }, 'U0ANA00001')).toEqual({
      recipientIds: ['U0LI000001'],
    });
    expect(messageAuthorRecipients({ userId: 'U0ANA00001', botId: undefined }, 'U0ANA00001')).toEqual({
      recipientIds: [],
    });
    for (const message of [
      { userId: 'U0BOTUSR01', botId: 'B0DEPLOY01' },
      { userId: undefined, botId: 'B0DEPLOY01' },
      { userId: undefined, botId: undefined },
    ]) {
      expect(messageAuthorRecipients(message, 'U0ANA00001')).toEqual({ problem: { problem: 'bot-message' } });
    }
  });
});
