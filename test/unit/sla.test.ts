import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/department-schema.js';
import { dueEscalations, type SlaPolicy } from '../../src/feedback/sla.js';
import { addOpenTime, instantOf, type OpeningHours } from '../../src/time/local-time.js';

const H = 3_600_000;
const M = 60_000;
const weekdays9to17: OpeningHours = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: 9 * 60,
  end: 17 * 60,
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseDuration', () => {
  it('reads minutes, hours, days and combinations', () => {
    expect(parseDuration('90m')).toBe(90 * M);
    expect(parseDuration('4h')).toBe(4 * H);
    expect(parseDuration('2d')).toBe(48 * H);
    expect(parseDuration('1h30m')).toBe(90 * M);
    expect(parseDuration(' 1D ')).toBe(24 * H);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '4', 'h', '4 hours', '0m', '-1h', '1.5h', '4w'])
      expect(parseDuration(bad)).toBeUndefined();
  });
});

describe('addOpenTime without business hours', () => {
  it('is plain elapsed time, weekends and nights included', () => {
    const fri = Date.parse('2026-11-27T16:00:00Z');
    expect(iso(addOpenTime(fri, 4 * H, 'Europe/Berlin', undefined))).toBe('2026-11-27T20:00:00.000Z');
  });
});

describe('addOpenTime with business hours', () => {
  it('counts inside the day', () => {
    // Monday 10:00 Berlin (CET, UTC+1) + 4h = 14:00 Berlin
    const mon = Date.parse('2026-11-23T09:00:00Z');
    expect(iso(addOpenTime(mon, 4 * H, 'Europe/Berlin', weekdays9to17))).toBe('2026-11-23T13:00:00.000Z');
  });

  it('carries the rest over the night to the next morning', () => {
    // Monday 15:00 Berlin + 4h: 2h Monday, 2h Tuesday from 09:00 -> Tuesday 11:00 Berlin
    const mon = Date.parse('2026-11-23T14:00:00Z');
    expect(iso(addOpenTime(mon, 4 * H, 'Europe/Berlin', weekdays9to17))).toBe('2026-11-24T10:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 16:00 Berlin + 4h: 1h Friday, 3h Monday -> Monday 12:00 Berlin
    const fri = Date.parse('2026-11-27T15:00:00Z');
    expect(iso(addOpenTime(fri, 4 * H, 'Europe/Berlin', weekdays9to17))).toBe('2026-11-30T11:00:00.000Z');
  });

  it('starts the clock at opening time when filed at night or on a Sunday', () => {
    const sunday = Date.parse('2026-11-29T20:00:00Z');
    expect(iso(addOpenTime(sunday, 30 * M, 'Europe/Berlin', weekdays9to17))).toBe('2026-11-30T08:30:00.000Z');
    const beforeDawn = Date.parse('2026-11-24T03:00:00Z');
    expect(iso(addOpenTime(beforeDawn, 1 * H, 'Europe/Berlin', weekdays9to17))).toBe(
      '2026-11-24T09:00:00.000Z',
    );
  });

  it('uses the department time zone: the same instant is a different local day elsewhere', () => {
    // 2026-11-27 23:30 UTC is Friday 18:30 in New York (after hours) but Saturday 08:30 in Tokyo.
    const t = Date.parse('2026-11-27T23:30:00Z');
    // New York: next opening Monday 09:00 EST (14:00Z) + 1h
    expect(iso(addOpenTime(t, H, 'America/New_York', weekdays9to17))).toBe('2026-11-30T15:00:00.000Z');
    // Tokyo: Saturday -> Monday 09:00 JST (00:00Z) + 1h
    expect(iso(addOpenTime(t, H, 'Asia/Tokyo', weekdays9to17))).toBe('2026-11-30T01:00:00.000Z');
  });

  it('keeps local opening hours across a DST change', () => {
    // Europe/Berlin leaves summer time on Sunday 2026-10-25. Friday 16:00 CEST (14:00Z) + 2h:
    // 1h Friday, then Monday 09:00 CET = 08:00Z, + 1h = 09:00Z.
    const fri = Date.parse('2026-10-23T14:00:00Z');
    expect(iso(addOpenTime(fri, 2 * H, 'Europe/Berlin', weekdays9to17))).toBe('2026-10-26T09:00:00.000Z');
    // US spring forward, Sunday 2026-03-08: Friday 16:00 EST (21:00Z) + 2h -> Monday 10:00 EDT = 14:00Z.
    const usFri = Date.parse('2026-03-06T21:00:00Z');
    expect(iso(addOpenTime(usFri, 2 * H, 'America/New_York', weekdays9to17))).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });

  it('counts whole business days for long targets', () => {
    // Monday 09:00 Berlin + 2 business days of 8h (16h) -> Tuesday 17:00 Berlin
    const mon = Date.parse('2026-11-23T08:00:00Z');
    expect(iso(addOpenTime(mon, 16 * H, 'Europe/Berlin', weekdays9to17))).toBe('2026-11-24T16:00:00.000Z');
  });
});

describe('instantOf', () => {
  it('finds the instant for a wall-clock time on both sides of DST', () => {
    expect(iso(instantOf({ year: 2026, month: 7, day: 1 }, 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(instantOf({ year: 2026, month: 12, day: 1 }, 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-12-01T08:00:00.000Z',
    );
  });
});

describe('dueEscalations', () => {
  const policy: SlaPolicy = {
    acknowledgeMs: 4 * H,
    resolveMs: 48 * H,
    triageAfterMs: 4 * H,
    businessHours: undefined,
    timeZone: 'UTC',
  };
  const start = Date.parse('2026-11-23T09:00:00Z');
  const item = { id: 7, status: 'new' as const, slaStartedAt: start };

  it('is empty before the deadline', () => {
    expect(dueEscalations(item, policy, start + 4 * H - 1)).toEqual([]);
  });
  it('goes to the leads at the deadline, then to triage after the second threshold', () => {
    expect(dueEscalations(item, policy, start + 4 * H).map((e) => `${e.kind}:${e.level}`)).toEqual([
      'acknowledge:leads',
    ]);
    expect(dueEscalations(item, policy, start + 8 * H).map((e) => `${e.kind}:${e.level}`)).toEqual([
      'acknowledge:leads',
      'acknowledge:triage',
    ]);
  });
  it('stops the acknowledge clock once acknowledged, and everything once resolved', () => {
    const acked = { ...item, status: 'acknowledged' as const };
    expect(dueEscalations(acked, policy, start + 8 * H)).toEqual([]);
    expect(dueEscalations(acked, policy, start + 48 * H).map((e) => e.kind)).toEqual(['resolve']);
    expect(dueEscalations({ ...item, status: 'resolved' }, policy, start + 100 * H)).toEqual([]);
  });
  it('keys each escalation by item, SLA cycle, kind and level', () => {
    const [first] = dueEscalations(item, policy, start + 4 * H);
    expect(first?.key).toBe(`7:${start}:acknowledge:leads`);
    const [reopened] = dueEscalations({ ...item, slaStartedAt: start + H }, policy, start + 5 * H);
    expect(reopened?.key).not.toBe(first?.key);
  });
});
