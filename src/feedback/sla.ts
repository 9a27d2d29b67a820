/**
 * The SLA clock: when an item must be acknowledged and resolved, counting either all time or only a
 * department's business hours in its time zone (the time module counts them, DST included), and which
 * escalations are due.
 * Pure: no Slack, no database, the time is an argument.
 */

import { addOpenTime, type OpeningHours } from '../time/local-time.js';

export type SlaPolicy = {
  acknowledgeMs: number | undefined;
  resolveMs: number | undefined;
  /** Extra time after a deadline before the triage channel hears about it. */
  triageAfterMs: number;
  businessHours: OpeningHours | undefined;
  timeZone: string;
};

export type SlaItem = {
  id: number;
  status: 'new' | 'acknowledged' | 'resolved' | 'reopened';
  /** When the current SLA cycle began: filing, reassignment or reopening. */
  slaStartedAt: number;
  /** How long this cycle was paused waiting on the customer: its deadlines move by that much. */
  slaPausedMs?: number;
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

export type SlaDeadlines = { acknowledgeBy: number | undefined; resolveBy: number | undefined };

export function slaDeadlines(item: SlaItem, policy: SlaPolicy): SlaDeadlines {
  const at = (ms: number | undefined) =>
    ms === undefined
      ? undefined
      : addOpenTime(item.slaStartedAt, ms, policy.timeZone, policy.businessHours) + (item.slaPausedMs ?? 0);
  return { acknowledgeBy: at(policy.acknowledgeMs), resolveBy: at(policy.resolveMs) };
}

/**
 * Every escalation the item's current SLA cycle can still bring, due or not (already-sent ones are filtered by
 * the caller with the key): at a deadline, to the leads; still open `triageAfterMs` later, to triage as well.
 * Acknowledging stops the acknowledge clock; resolving stops both.
 */
export function slaEscalations(item: SlaItem, policy: SlaPolicy): DueEscalation[] {
  if (item.status === 'resolved') return [];
  const deadlines = slaDeadlines(item, policy);
  const all: DueEscalation[] = [];
  const add = (kind: SlaKind, deadline: number | undefined) => {
    if (deadline === undefined) return;
    all.push({ kind, level: 'leads', dueAt: deadline, key: `${item.id}:${item.slaStartedAt}:${kind}:leads` });
    all.push({
      kind,
      level: 'triage',
      dueAt: addOpenTime(deadline, policy.triageAfterMs, policy.timeZone, policy.businessHours),
      key: `${item.id}:${item.slaStartedAt}:${kind}:triage`,
    });
  };
  if (item.status === 'new' || item.status === 'reopened') add('acknowledge', deadlines.acknowledgeBy);
  add('resolve', deadlines.resolveBy);
  return all;
}

/** The escalations due at `now`, and when the next one falls due (undefined: none left in this SLA cycle). */
export function slaCheck(
  item: SlaItem,
  policy: SlaPolicy,
  now: number,
): { due: DueEscalation[]; nextAt: number | undefined } {
  const all = slaEscalations(item, policy);
  const due = all.filter((e) => e.dueAt <= now);
  const later = all.filter((e) => e.dueAt > now).map((e) => e.dueAt);
  return { due, nextAt: later.length > 0 ? Math.min(...later) : undefined };
}

/** The escalations due at `now` for this item. */
export function dueEscalations(item: SlaItem, policy: SlaPolicy, now: number): DueEscalation[] {
  return slaCheck(item, policy, now).due;
}
