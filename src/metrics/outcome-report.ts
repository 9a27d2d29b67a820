import type { Db } from '../store/db.js';
import {
  type ContactCounts,
  type CustomerOutcomes,
  contactedCounts,
  customerOutcomes,
  noOutcomes,
  type Period,
} from './numbers.js';

/**
 * The outcome numbers of a set of departments (one team, a manager's departments, the whole company) for a period
 * and for the period of the same length just before it, summed from the per-department definitions in numbers.ts.
 */
export type OutcomeFigures = { contacted: ContactCounts; outcomes: CustomerOutcomes };
export type OutcomeReport = { current: OutcomeFigures; previous: OutcomeFigures };

/** Each department's figures for a period. */
export function figuresByDepartment(
  db: Db,
  ids: readonly string[],
  period: Period,
): Map<string, OutcomeFigures> {
  const contacted = contactedCounts(db, ids, period);
  const outcomes = customerOutcomes(db, ids, period);
  return new Map(
    ids.map((id) => [
      id,
      {
        contacted: contacted.get(id) ?? { told: 0, resolved: 0 },
        outcomes: outcomes.get(id) ?? noOutcomes(),
      },
    ]),
  );
}

function sum(all: Iterable<OutcomeFigures>): OutcomeFigures {
  const contacted = { told: 0, resolved: 0 };
  const outcomes = noOutcomes();
  for (const f of all) {
    contacted.told += f.contacted.told;
    contacted.resolved += f.contacted.resolved;
    const o = f.outcomes;
    outcomes.kept += o.kept;
    outcomes.cameBack += o.cameBack;
    outcomes.lost += o.lost;
    outcomes.unknown += o.unknown;
    for (const [reason, n] of Object.entries(o.reasons))
      outcomes.reasons[reason] = (outcomes.reasons[reason] ?? 0) + n;
  }
  return { contacted, outcomes };
}

export const before = (period: Period): Period => ({
  start: 2 * period.start - period.end,
  end: period.start,
});

/** The departments' figures together, for the period and the one before it. */
export function outcomeReport(db: Db, ids: readonly string[], period: Period): OutcomeReport {
  return outcomeReportByDepartment(db, ids, period).total;
}

/** The same, with each department's figures for the period (a digest lists them). */
export function outcomeReportByDepartment(
  db: Db,
  ids: readonly string[],
  period: Period,
): { total: OutcomeReport; each: Map<string, OutcomeFigures> } {
  return reportOf(ids, figuresByDepartment(db, ids, period), figuresByDepartment(db, ids, before(period)));
}

/** Some departments' report from figures counted for them or more (a digest run counts every department once). */
export function reportOf(
  ids: readonly string[],
  current: ReadonlyMap<string, OutcomeFigures>,
  previous: ReadonlyMap<string, OutcomeFigures>,
): { total: OutcomeReport; each: Map<string, OutcomeFigures> } {
  const pick = (all: ReadonlyMap<string, OutcomeFigures>) => ids.flatMap((id) => all.get(id) ?? []);
  const each = new Map(ids.map((id) => [id, current.get(id) ?? sum([])]));
  return { total: { current: sum(pick(current)), previous: sum(pick(previous)) }, each };
}
