import { COMMITMENT_MEASURES, type CommitmentMeasure } from '../config/department-schema.js';
import { handoffsPerItem, reassignPercent, reopenPercent, type TeamNumbers } from '../metrics/numbers.js';
import { formatDuration } from '../text/duration.js';

/** Whether each commitment was kept in the period, where the numbers can tell. Pure. */

export type Commitment = { text: string; measure?: CommitmentMeasure; target?: number };

export type CommitmentResult = {
  text: string;
  status: 'kept' | 'missed' | 'not-measured' | 'no-data';
  /** "median 3 h 12 min, target at most 4 h" */
  detail: string | undefined;
};

/** Numbers beyond TeamNumbers that some measures need; undefined means "not known yet". */
export type ExtraNumbers = {
  slaBreaches?: number | undefined;
  kudosToOtherTeams?: number | undefined;
  /** Percent; undefined when nothing was resolved with a customer (metrics/numbers.ts contactedRate). */
  contactedRate?: number | undefined;
  /** Percent; undefined when no follow-up outcome was recorded (metrics/numbers.ts customersKeptRate). */
  customersKeptRate?: number | undefined;
};

const HOUR = 3_600_000;

function actual(measure: CommitmentMeasure, n: TeamNumbers, extra: ExtraNumbers): number | undefined {
  switch (measure) {
    case 'median_hours_to_acknowledge':
      return n.medianMsToAcknowledge === undefined ? undefined : n.medianMsToAcknowledge / HOUR;
    case 'median_hours_to_resolve':
      return n.medianMsToResolve === undefined ? undefined : n.medianMsToResolve / HOUR;
    case 'resolved_percent':
      return n.received === 0 ? undefined : Math.min(100, (n.resolved / n.received) * 100);
    case 'sla_breaches':
      return extra.slaBreaches;
    case 'kudos_to_other_teams':
      return extra.kudosToOtherTeams;
    case 'reopen_percent':
      return reopenPercent(n.firstTimeRight);
    case 'reassign_percent':
      return reassignPercent(n.firstTimeRight);
    case 'handoffs_per_item':
      return handoffsPerItem(n.firstTimeRight);
    case 'contacted_rate':
      return extra.contactedRate;
    case 'customers_kept_rate':
      return extra.customersKeptRate;
  }
}

/**
 * How each measure reads, in the units of the numbers beside it (durations as "45 min" or "3 h 12 min", like the
 * median fields), for the measured value and for the target; and the value compared, as it is shown (a median of
 * 4 h 0.2 min shows "4 h" and keeps a target of at most 4 h).
 */
const SHOWN: Record<
  CommitmentMeasure,
  { value: (v: number) => string; target: (t: number) => string; compared: (v: number) => number }
> = {
  median_hours_to_acknowledge: hoursShown(),
  median_hours_to_resolve: hoursShown(),
  resolved_percent: {
    value: (v) => `${Math.round(v)}% resolved`,
    target: (t) => `${t}%`,
    compared: (v) => Math.round(v),
  },
  sla_breaches: { value: (v) => breaches(v, 'SLA '), target: (t) => breaches(t, ''), compared: (v) => v },
  kudos_to_other_teams: {
    value: (v) => `${v} kudos to other teams`,
    target: (t) => `${t} kudos`,
    compared: (v) => v,
  },
  reopen_percent: percentShown('reopened'),
  reassign_percent: percentShown('reassigned'),
  handoffs_per_item: {
    value: (v) => `${v.toFixed(1)} handoffs per item`,
    target: (t) => `${t}`,
    compared: (v) => Math.round(v * 10) / 10,
  },
  contacted_rate: percentShown('told the customer'),
  customers_kept_rate: percentShown('customers kept'),
};

function percentShown(what: string) {
  return {
    value: (v: number) => `${Math.round(v)}% ${what}`,
    target: (t: number) => `${t}%`,
    compared: (v: number) => Math.round(v),
  };
}

function hoursShown() {
  return {
    value: (v: number) => `median ${formatDuration(v * HOUR)}`,
    target: (t: number) => formatDuration(t * HOUR),
    compared: (v: number) => Math.round((v * HOUR) / 60_000),
  };
}

function breaches(n: number, kind: string): string {
  return `${n} ${kind}breach${n === 1 ? '' : 'es'}`;
}

export function evaluateCommitments(
  commitments: readonly Commitment[],
  numbers: TeamNumbers,
  extra: ExtraNumbers = {},
): CommitmentResult[] {
  return commitments.map((c) => {
    if (!c.measure || c.target === undefined)
      return { text: c.text, status: 'not-measured', detail: undefined };
    const value = actual(c.measure, numbers, extra);
    const direction = COMMITMENT_MEASURES[c.measure];
    const shown = SHOWN[c.measure];
    const target = `target ${direction === 'at_most' ? 'at most' : 'at least'} ${shown.target(c.target)}`;
    if (value === undefined)
      return { text: c.text, status: 'no-data', detail: `no data this period (${target})` };
    const [v, t] = [shown.compared(value), shown.compared(c.target)];
    const kept = direction === 'at_most' ? v <= t : v >= t;
    return { text: c.text, status: kept ? 'kept' : 'missed', detail: `${shown.value(value)}, ${target}` };
  });
}
