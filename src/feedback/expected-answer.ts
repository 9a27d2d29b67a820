import type { Department } from '../config/org-schema.js';
import { median } from '../metrics/median.js';
import { recentAcknowledgeTimes } from '../metrics/numbers.js';
import type { Db } from '../store/db.js';
import { slaDeadlines } from './sla.js';
import type { FeedbackItem, Severity } from './types.js';

/**
 * When the customer can expect an answer, for the rep's receipt: from the department's SLA for the item's
 * severity (its acknowledge target, else its resolve target, with the deadline it gives this item), or without
 * one from how long the department has recently taken to acknowledge items of that severity (the median of its
 * latest acknowledgements). Nothing when there is neither (an item in triage, a team with no history yet).
 *
 * Cheap at intake: a department's recent medians are read once (a bounded read of the history's index) and kept
 * for `REFRESH_MS`, so filing an item never reads the history.
 */

export type AnswerExpectation =
  | {
      basis: 'sla';
      department: string;
      severity: Severity;
      step: 'acknowledge' | 'resolve';
      withinMs: number;
      /** The deadline for this item (business hours counted as the SLA counts them). */
      by: number;
      businessHours: boolean;
    }
  | { basis: 'usual'; department: string; severity: Severity; medianMs: number; samples: number };

/** Recent means the last 90 days, and at most the latest 500 acknowledgements of the department. */
export const RECENT = { days: 90, limit: 500 } as const;
/** A "usually" needs at least this many acknowledgements of the severity. */
export const MIN_SAMPLES = 3;
/** How long a department's medians are kept before they are read again. */
export const REFRESH_MS = 15 * 60_000;

const DAY = 86_400_000;

type Medians = { at: number; bySeverity: Map<string, { medianMs: number; samples: number }> };

export type AnswerExpectations = (
  item: FeedbackItem,
  department: Department | undefined,
) => AnswerExpectation | undefined;

export function createAnswerExpectations(deps: { db: Db; now: () => number }): AnswerExpectations {
  const cache = new Map<string, Medians>();
  const mediansOf = (departmentId: string): Medians['bySeverity'] => {
    const now = deps.now();
    const kept = cache.get(departmentId);
    if (kept && now - kept.at < REFRESH_MS) return kept.bySeverity;
    const times = new Map<string, number[]>();
    for (const { severity, ms } of recentAcknowledgeTimes(
      deps.db,
      departmentId,
      now - RECENT.days * DAY,
      RECENT.limit,
    )) {
      const list = times.get(severity) ?? [];
      list.push(ms);
      times.set(severity, list);
    }
    const bySeverity = new Map(
      [...times].map(([severity, list]) => [severity, { medianMs: median(list) ?? 0, samples: list.length }]),
    );
    cache.set(departmentId, { at: now, bySeverity });
    return bySeverity;
  };

  return (item, department) => {
    if (!department) return undefined;
    const fromSla = slaExpectation(item, department);
    if (fromSla) return fromSla;
    const usual = mediansOf(department.id).get(item.severity);
    if (!usual || usual.samples < MIN_SAMPLES) return undefined;
    return { basis: 'usual', department: department.name, severity: item.severity, ...usual };
  };
}

function slaExpectation(item: FeedbackItem, department: Department): AnswerExpectation | undefined {
  const sla = department.sla;
  const target = sla?.targets[item.severity];
  if (!sla || !target) return undefined;
  const step = target.acknowledge !== undefined ? 'acknowledge' : 'resolve';
  const withinMs = target.acknowledge ?? target.resolve;
  if (withinMs === undefined) return undefined;
  const deadlines = slaDeadlines(
    { id: item.id, status: item.status, slaStartedAt: item.slaStartedAt },
    {
      acknowledgeMs: target.acknowledge,
      resolveMs: target.resolve,
      triageAfterMs: sla.triage_after,
      businessHours: sla.business_hours,
      timeZone: department.timezone,
    },
  );
  const by = step === 'acknowledge' ? deadlines.acknowledgeBy : deadlines.resolveBy;
  if (by === undefined) return undefined;
  return {
    basis: 'sla',
    department: department.name,
    severity: item.severity,
    step,
    withinMs,
    by,
    businessHours: sla.business_hours !== undefined,
  };
}
