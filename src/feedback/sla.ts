/**
 * The SLA clock: when an item must be acknowledged and resolved, counting either all time or only a
 * department's business hours in its time zone (DST included), and which escalations are due.
 * Pure: no Slack, no database, the time is an argument.
 */

import { localTime } from '../text/local-time.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Opening hours: minutes after local midnight, on the listed days. */
export type BusinessHours = { days: readonly Weekday[]; start: number; end: number };

export type SlaPolicy = {
  acknowledgeMs: number | undefined;
  resolveMs: number | undefined;
  /** Extra time after a deadline before the triage channel hears about it. */
  triageAfterMs: number;
  businessHours: BusinessHours | undefined;
  timeZone: string;
};

export type SlaItem = {
  id: number;
  status: 'new' | 'acknowledged' | 'resolved' | 'reopened';
  /** When the current SLA cycle began: filing, reassignment or reopening. */
  slaStartedAt: number;
};

export type SlaKind = 'acknowledge' | 'resolve';
export type EscalationLevel = 'leads' | 'triage';

export type DueEscalation = {
  kind: SlaKind;
  level: EscalationLevel;
  dueAt: number;
  /** Unique per item, SLA cycle, kind and level: recorded so each escalation is sent once. */
  key: string;
};

const WEEKDAY_INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Offset of the zone from UTC at `ms`, in milliseconds (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localTime(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant when the wall clock in the zone shows this date and time (a time skipped by DST moves later). */
export function zonedTimeToUtc(
  date: { year: number; month: number; day: number },
  minutes: number,
  timeZone: string,
): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second;
}

function nextDay(d: { year: number; month: number; day: number }) {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

function weekdayOf(d: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/**
 * `start` plus `durationMs` of SLA time: plain elapsed time without business hours, otherwise only the
 * time inside opening hours on opening days, in the zone's local time.
 */
export function addSlaTime(
  start: number,
  durationMs: number,
  timeZone: string,
  hours: BusinessHours | undefined,
): number {
  if (!hours) return start + durationMs;
  const openDays = new Set(hours.days.map((d) => WEEKDAY_INDEX[d]));
  let remaining = durationMs;
  let t = start;
  let date = localTime(start, timeZone) as { year: number; month: number; day: number };
  // Two years of calendar days is more than any SLA needs; it also bounds a config with no open time.
  for (let i = 0; i < 800; i++) {
    if (openDays.has(weekdayOf(date))) {
      const open = zonedTimeToUtc(date, hours.start, timeZone);
      const close = zonedTimeToUtc(date, hours.end, timeZone);
      if (t < open) t = open;
      if (t < close) {
        const available = close - t;
        if (remaining <= available) return t + remaining;
        remaining -= available;
        t = close;
      }
    }
    date = nextDay(date);
    t = Math.max(t, zonedTimeToUtc(date, 0, timeZone));
  }
  throw new Error('SLA deadline is more than two years away; check the business hours');
}

export type SlaDeadlines = { acknowledgeBy: number | undefined; resolveBy: number | undefined };

export function slaDeadlines(item: SlaItem, policy: SlaPolicy): SlaDeadlines {
  const at = (ms: number | undefined) =>
    ms === undefined ? undefined : addSlaTime(item.slaStartedAt, ms, policy.timeZone, policy.businessHours);
  return { acknowledgeBy: at(policy.acknowledgeMs), resolveBy: at(policy.resolveMs) };
}

/**
 * Every escalation that is due at `now` for this item (already-sent ones are filtered by the caller with
 * the key): past a deadline, to the leads; still open `triageAfterMs` later, to triage as well.
 * Acknowledging stops the acknowledge clock; resolving stops both.
 */
export function dueEscalations(item: SlaItem, policy: SlaPolicy, now: number): DueEscalation[] {
  if (item.status === 'resolved') return [];
  const deadlines = slaDeadlines(item, policy);
  const due: DueEscalation[] = [];
  const check = (kind: SlaKind, deadline: number | undefined) => {
    if (deadline === undefined || now < deadline) return;
    due.push({ kind, level: 'leads', dueAt: deadline, key: `${item.id}:${item.slaStartedAt}:${kind}:leads` });
    const triageAt = addSlaTime(deadline, policy.triageAfterMs, policy.timeZone, policy.businessHours);
    if (now >= triageAt) {
      due.push({
        kind,
        level: 'triage',
        dueAt: triageAt,
        key: `${item.id}:${item.slaStartedAt}:${kind}:triage`,
      });
    }
  };
  if (item.status === 'new' || item.status === 'reopened') check('acknowledge', deadlines.acknowledgeBy);
  check('resolve', deadlines.resolveBy);
  return due;
}
