import { describe, expect, it } from 'vitest';
import type { TeamNumbers } from '../../src/metrics/numbers.js';
import { evaluateCommitments } from '../../src/strategy/commitments.js';

const HOUR = 3_600_000;
const numbers = (o: Partial<TeamNumbers> = {}): TeamNumbers => ({
  received: 10,
  resolved: 8,
  medianMsToAcknowledge: 3 * HOUR,
  medianMsToResolve: 30 * HOUR,
  topTheme: undefined,
  slaBreaches: 0,
  kudosReceived: 0,
  kudosToOtherTeams: 0,
  firstTimeRight: { received: 10, resolved: 8, reopened: 1, passedOn: 3, resolutions: 8, handoffs: 4 },
  contactMix: [],
  satisfaction: { answers: 0, scoreSum: 0, satisfied: 0 },
  ...o,
});

describe('evaluateCommitments', () => {
  it('checks the first-time-right rates: reopened and reassigned percent, handoffs per item', () => {
    // 1 of 8 resolved reopened (12.5%), 3 of 10 received passed on, 4 handoffs over 8 resolutions.
    const r = evaluateCommitments(
      [
        { text: 'Fix it the first time', measure: 'reopen_percent', target: 10 },
        { text: 'Keep what is ours', measure: 'reassign_percent', target: 30 },
        { text: 'Few handoffs', measure: 'handoffs_per_item', target: 0.5 },
      ],
      numbers(),
    );
    expect(r.map((c) => [c.status, c.detail])).toEqual([
      ['missed', '13% reopened, target at most 10%'],
      ['kept', '30% reassigned, target at most 30%'],
      ['kept', '0.5 handoffs per item, target at most 0.5'],
    ]);
    const none = evaluateCommitments(
      [{ text: 'Fix it the first time', measure: 'reopen_percent', target: 10 }],
      {
        ...numbers(),
        firstTimeRight: { received: 0, resolved: 0, reopened: 0, passedOn: 0, resolutions: 0, handoffs: 0 },
      },
    );
    expect(none[0]?.status).toBe('no-data');
  });

  it('marks measured commitments kept or missed against their target', () => {
    const r = evaluateCommitments(
      [
        { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
        { text: 'Resolve within a day', measure: 'median_hours_to_resolve', target: 24 },
        { text: 'Resolve most of what comes in', measure: 'resolved_percent', target: 75 },
      ],
      numbers(),
    );
    expect(r.map((c) => c.status)).toEqual(['kept', 'missed', 'kept']);
    expect(r[0]?.detail).toBe('median 3 h, target at most 4 h');
    expect(r[1]?.detail).toBe('median 1 d 6 h, target at most 1 d');
    expect(r[2]?.detail).toBe('80% resolved, target at least 75%');
  });

  it('writes durations in the units of the median fields, with the target in the same units', () => {
    const r = evaluateCommitments(
      [
        { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
        { text: 'Acknowledge within half an hour', measure: 'median_hours_to_acknowledge', target: 0.5 },
        { text: 'Resolve within 4 hours', measure: 'median_hours_to_resolve', target: 4 },
        { text: 'No breaches', measure: 'sla_breaches', target: 0 },
      ],
      numbers({ medianMsToAcknowledge: 10_000, medianMsToResolve: 4 * HOUR + 20_000 }),
      { slaBreaches: 1 },
    );
    // A median of 10 s reads "0 min" as the field beside it does, not "0 h".
    expect(r.map((c) => c.detail)).toEqual([
      'median 0 min, target at most 4 h',
      'median 0 min, target at most 30 min',
      'median 4 h, target at most 4 h',
      '1 SLA breach, target at most 0 breaches',
    ]);
    // Compared as shown: "4 h" against "at most 4 h" is kept.
    expect(r.map((c) => c.status)).toEqual(['kept', 'kept', 'kept', 'missed']);
  });

  it('says when there is no data, and leaves plain sentences unmeasured', () => {
    const r = evaluateCommitments(
      [
        { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
        { text: 'Be kind' },
        { text: 'Thank other teams', measure: 'kudos_to_other_teams', target: 3 },
      ],
      numbers({ medianMsToAcknowledge: undefined }),
    );
    expect(r.map((c) => c.status)).toEqual(['no-data', 'not-measured', 'no-data']);
  });

  it('uses the extra numbers when they are known, with the boundary counted as kept', () => {
    const r = evaluateCommitments(
      [
        { text: 'No more than 2 breaches', measure: 'sla_breaches', target: 2 },
        { text: 'Thank other teams', measure: 'kudos_to_other_teams', target: 3 },
      ],
      numbers(),
      { slaBreaches: 2, kudosToOtherTeams: 1 },
    );
    expect(r.map((c) => c.status)).toEqual(['kept', 'missed']);
  });
});

describe('outcome commitments', () => {
  it('reads contacted_rate and customers_kept_rate in percent, and says "no data" without any', () => {
    const commitments = [
      { text: 'Tell every customer', measure: 'contacted_rate' as const, target: 90 },
      { text: 'Keep our customers', measure: 'customers_kept_rate' as const, target: 80 },
    ];
    const r = evaluateCommitments(commitments, numbers(), { contactedRate: 75, customersKeptRate: 80.4 });
    expect(r.map((c) => [c.status, c.detail])).toEqual([
      ['missed', '75% told the customer, target at least 90%'],
      ['kept', '80% customers kept, target at least 80%'],
    ]);
    expect(evaluateCommitments(commitments, numbers(), {}).map((c) => c.status)).toEqual([
      'no-data',
      'no-data',
    ]);
  });
});
