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
    ms === undefined ? undefined : addOpenTime(item.slaStartedAt, ms, policy.timeZone, policy.businessHours);
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
    const triageAt = addOpenTime(deadline, policy.triageAfterMs, policy.timeZone, policy.businessHours);
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
