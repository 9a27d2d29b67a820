import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEscalation } from '../../src/feedback/escalation-repo.js';
import { insertFeedbackEvent } from '../../src/feedback/history-repo.js';
import { insertRouting } from '../../src/feedback/repo.js';
import type { RoutingDecision } from '../../src/feedback/routing.js';
import { insertKudos, revokeKudos } from '../../src/kudos/repo.js';
import { satisfaction, teamNumbers } from '../../src/metrics/numbers.js';
import { ensureSurveyRequest, storeSurveyAnswer } from '../../src/survey/survey-repo.js';
import { storedItem } from '../support/stored-rows.js';
import { tempDatabase } from '../support/temp-dir.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-16T08:00:00Z');
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

let seq = 0;
function item(departmentId: string | undefined, createdAt: number, matched: string[] = []): number {
  const id = storedItem(store.db, departmentId, createdAt);
  const routing: RoutingDecision = matched.length
    ? { method: 'rules', departmentId: departmentId ?? '', score: matched.length, matched, reason: '' }
    : { method: 'triage', departmentId: null, score: 0, matched: [], reason: '' };
  insertRouting(store.db, id, routing, undefined, createdAt);
  // As filing does: the history starts with the item's arrival at its department.
  insertFeedbackEvent(store.db, {
    itemId: id,
    at: createdAt,
    actorId: 'U0REP00001',
    action: 'created',
    fromStatus: undefined,
    toStatus: 'new',
    note: undefined,
  });
  return id;
}
function event(itemId: number, toStatus: 'acknowledged' | 'resolved', at: number) {
  return insertFeedbackEvent(store.db, {
    itemId,
    at,
    actorId: 'U0MEM00001',
    action: toStatus,
    fromStatus: undefined,
    toStatus,
    note: undefined,
  });
}

describe('teamNumbers', () => {
  it('is all zeros and unknowns for an empty period', () => {
    expect(teamNumbers(store.db, 'billing', { start: T0, end: T0 + 168 * HOUR })).toEqual({
      received: 0,
      resolved: 0,
      medianMsToAcknowledge: undefined,
      medianMsToResolve: undefined,
      topTheme: undefined,
      slaBreaches: 0,
      kudosReceived: 0,
      kudosToOtherTeams: 0,
      firstTimeRight: { received: 0, resolved: 0, reopened: 0, passedOn: 0, resolutions: 0, handoffs: 0 },
      contactMix: [],
      satisfaction: { answers: 0, scoreSum: 0, satisfied: 0 },
    });
  });

  it('counts, takes medians and finds the top theme, for the department and period only', () => {
    const period = { start: T0, end: T0 + 168 * HOUR };
    const a = item('billing', T0 + 1 * HOUR, ['invoice', 'charged']);
    const b = item('billing', T0 + 2 * HOUR, ['invoice']);
    const c = item('billing', T0 + 3 * HOUR, ['refund*', 'Invoice']);
    item('shipping', T0 + 1 * HOUR, ['invoice', 'parcel']); // other department
    item('billing', T0 - 1 * HOUR, ['charged']); // before the period
    item('billing', T0 + 200 * HOUR, ['charged']); // after it
    item('billing', T0 + 5 * HOUR, ['\\bINV-\\d+\\b']); // a pattern is not a theme

    event(a, 'acknowledged', T0 + 2 * HOUR); // 1 h
    event(b, 'acknowledged', T0 + 5 * HOUR); // 3 h
    event(b, 'acknowledged', T0 + 9 * HOUR); // re-acknowledged: the first counts
    event(c, 'acknowledged', T0 + 13 * HOUR); // 10 h
    event(a, 'resolved', T0 + 25 * HOUR); // 24 h
    event(b, 'resolved', T0 + 200 * HOUR); // after the period

    expect(teamNumbers(store.db, 'billing', period)).toEqual({
      received: 4,
      resolved: 1,
      medianMsToAcknowledge: 3 * HOUR,
      medianMsToResolve: 24 * HOUR,
      topTheme: { term: 'invoice', count: 3 },
      slaBreaches: 0,
      kudosReceived: 0,
      kudosToOtherTeams: 0,
      firstTimeRight: { received: 4, resolved: 1, reopened: 0, passedOn: 0, resolutions: 1, handoffs: 0 },
      contactMix: [['', 4]],
      satisfaction: { answers: 0, scoreSum: 0, satisfied: 0 },
    });
  });

  it('counts missed SLA deadlines (leads escalations) dated in the period, for the department only', () => {
    const period = { start: T0, end: T0 + 168 * HOUR };
    const a = item('billing', T0);
    const b = item('billing', T0);
    const breach = (itemId: number, departmentId: string, kind: string, level: string, dueAt: number) =>
      insertEscalation(store.db, {
        itemId,
        departmentId,
        key: `${itemId}:${kind}:${level}:${dueAt}`,
        kind,
        level,
        dueAt,
        now: dueAt + 60_000,
      });
    breach(a, 'billing', 'acknowledge', 'leads', T0 + 2 * HOUR);
    breach(a, 'billing', 'acknowledge', 'triage', T0 + 6 * HOUR); // the same breach, told to triage
    breach(a, 'billing', 'resolve', 'leads', T0 + 30 * HOUR);
    breach(b, 'billing', 'acknowledge', 'leads', T0 + 200 * HOUR); // after the period
    breach(b, 'shipping', 'acknowledge', 'leads', T0 + 3 * HOUR); // while it belonged to shipping
    expect(teamNumbers(store.db, 'billing', period).slaBreaches).toBe(2);
    expect(teamNumbers(store.db, 'shipping', period).slaBreaches).toBe(1);
  });

  it('averages the middle two for an even count', () => {
    const a = item('billing', T0);
    const b = item('billing', T0);
    event(a, 'acknowledged', T0 + 1 * HOUR);
    event(b, 'acknowledged', T0 + 2 * HOUR);
    expect(teamNumbers(store.db, 'billing', { start: T0, end: T0 + 10 * HOUR }).medianMsToAcknowledge).toBe(
      1.5 * HOUR,
    );
  });

  it('counts kudos received by the department and given by it to other departments, in the period', () => {
    const period = { start: T0, end: T0 + 168 * HOUR };
    const give = (
      giver: string[],
      recipients: { userId: string; departments: string[] }[],
      at: number,
    ): number => {
      seq += 1;
      return insertKudos(store.db, {
        sourceKey: `command:${seq}`,
        teamId: 'T1',
        giverId: 'U0GIVER001',
        source: 'command',
        reason: 'for the careful review',
        valueIds: [],
        giverDepartments: giver,
        giverTz: 'UTC',
        recipients,
        originChannelId: undefined,
        sourceChannelId: undefined,
        sourceMessageTs: undefined,
        now: at,
      });
    };
    const inBilling = { userId: 'U0BILL0001', departments: ['billing'] };
    const inShipping = { userId: 'U0SHIP0001', departments: ['shipping'] };
    const inBoth = { userId: 'U0BOTH0001', departments: ['billing', 'shipping'] };
    const nowhere = { userId: 'U0NONE0001', departments: [] };

    give(['billing'], [inShipping, inBilling, nowhere], T0 + HOUR); // 1 to another team, 1 received
    give(['billing'], [inBoth], T0 + 2 * HOUR); // received; not another team (shares billing)
    give(['shipping'], [inBilling], T0 + 3 * HOUR); // received
    give([], [inBilling], T0 + 4 * HOUR); // received, from someone in no department
    give(['billing'], [inShipping], T0 - HOUR); // before the period
    const withdrawn = give(['billing'], [inShipping, inBilling], T0 + 5 * HOUR);
    revokeKudos(store.db, withdrawn, 'reaction removed', T0 + 6 * HOUR);

    const billing = teamNumbers(store.db, 'billing', period);
    expect(billing.kudosReceived).toBe(4);
    expect(billing.kudosToOtherTeams).toBe(1);
    const shipping = teamNumbers(store.db, 'shipping', period);
    expect(shipping.kudosReceived).toBe(2);
    expect(shipping.kudosToOtherTeams).toBe(1);
  });

  it('counts survey answers given in the period for the department that resolved the item', () => {
    const period = { start: T0, end: T0 + 168 * HOUR };
    const answer = (departmentId: string, score: number | undefined, at: number) => {
      const id = item(departmentId, T0 - 24 * HOUR);
      const resolution = event(id, 'resolved', T0 - 12 * HOUR);
      const request = ensureSurveyRequest(store.db, {
        publicId: `p${id}`.padEnd(12, '0'),
        itemId: id,
        eventId: resolution,
        departmentId,
        reporterId: 'U0REP00001',
        createdAt: T0 - 12 * HOUR,
        expiresAt: T0 + 1000 * HOUR,
      });
      if (score === undefined) return;
      storeSurveyAnswer(store.db, request.id, {
        score,
        comment: undefined,
        answeredAt: at,
        via: 'page',
        recordedBy: undefined,
      });
    };
    answer('billing', 5, T0); // first instant of the period
    answer('billing', 4, T0 + 10 * HOUR);
    answer('billing', 1, T0 + 167 * HOUR);
    answer('billing', 5, T0 + 168 * HOUR); // the next period
    answer('billing', 2, T0 - 1); // the one before
    answer('billing', undefined, T0); // asked, never answered
    answer('shipping', 3, T0 + HOUR);
    expect(satisfaction(store.db, ['billing', 'shipping', 'product'], period)).toEqual(
      new Map([
        ['billing', { answers: 3, scoreSum: 10, satisfied: 2 }],
        ['shipping', { answers: 1, scoreSum: 3, satisfied: 0 }],
        ['product', { answers: 0, scoreSum: 0, satisfied: 0 }],
      ]),
    );
    expect(teamNumbers(store.db, 'billing', period).satisfaction).toEqual({
      answers: 3,
      scoreSum: 10,
      satisfied: 2,
    });
  });
});
