import { COMMITMENT_MEASURES, type CommitmentMeasure } from '../config/org-schema.js';
import type { TeamNumbers } from '../metrics/team-numbers.js';

/** Whether each commitment was kept in the period, where the numbers can tell. Pure. */

export type Commitment = { text: string; measure?: CommitmentMeasure; target?: number };

export type CommitmentResult = {
  text: string;
  status: 'kept' | 'missed' | 'not-measured' | 'no-data';
  /** "median 3.2 h, target at most 4 h" */
  detail: string | undefined;
};

/** Numbers beyond TeamNumbers that some measures need; undefined means "not known yet". */
export type ExtraNumbers = { slaBreaches?: number | undefined; kudosToOtherTeams?: number | undefined };

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
  }
}

const UNITS: Record<CommitmentMeasure, (v: number) => string> = {
  median_hours_to_acknowledge: (v) => `median ${round(v)} h`,
  median_hours_to_resolve: (v) => `median ${round(v)} h`,
  resolved_percent: (v) => `${Math.round(v)}% resolved`,
  sla_breaches: (v) => `${v} SLA breach${v === 1 ? '' : 'es'}`,
  kudos_to_other_teams: (v) => `${v} kudos to other teams`,
};

function round(v: number): number {
  return Math.round(v * 10) / 10;
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
    const target = `target ${direction === 'at_most' ? 'at most' : 'at least'} ${c.target}`;
    if (value === undefined)
      return { text: c.text, status: 'no-data', detail: `no data this period (${target})` };
    const kept = direction === 'at_most' ? value <= c.target : value >= c.target;
    return {
      text: c.text,
      status: kept ? 'kept' : 'missed',
      detail: `${UNITS[c.measure](value)}, ${target}`,
    };
  });
}
