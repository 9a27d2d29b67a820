import type { Severity } from '../feedback/types.js';

/**
 * How much harm a theme stands for: the one definition of its impact score, which ranks themes (never the raw
 * count). Each item scores
 *
 *   severity weight (low 1, normal 2, high 4, urgent 8)
 *   × 1.5 when its customer was at risk when it was filed, × 1.25 when the customer complained before
 *   × (1 + 0.5 × SLA breaches on the item)
 *   × (1 + days open / 7, at most 3): an item open a week counts twice; resolved items count their time to resolve
 *   + 10 when the customer was lost (the outcome loop's hook: always false until that issue lands)
 *
 * and a theme's impact is the sum over its items, rounded to one decimal.
 */

export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { low: 1, normal: 2, high: 4, urgent: 8 };
export const AT_RISK_FACTOR = 1.5;
export const REPEAT_CUSTOMER_FACTOR = 1.25;
export const SLA_BREACH_FACTOR = 0.5;
export const OPEN_DAYS_PER_STEP = 7;
export const MAX_OPEN_FACTOR = 3;
export const CUSTOMER_LOST_POINTS = 10;

const DAY_MS = 86_400_000;

export type ImpactItem = {
  severity: Severity;
  /** The customer was marked at risk when the item was filed. */
  customerAtRisk: boolean;
  /** The customer had filed earlier items. */
  repeatCustomer: boolean;
  /** The customer left (from the outcome loop; false until it exists). */
  customerLost: boolean;
  slaBreaches: number;
  createdAt: number;
  /** When it was resolved; undefined while open. */
  resolvedAt: number | undefined;
};

/** The part of an item's impact that does not change with time: severity, customer and SLA breaches. */
export function impactWeight(item: Omit<ImpactItem, 'createdAt' | 'resolvedAt' | 'customerLost'>): number {
  let weight = SEVERITY_WEIGHTS[item.severity] * (1 + SLA_BREACH_FACTOR * Math.max(0, item.slaBreaches));
  if (item.customerAtRisk) weight *= AT_RISK_FACTOR;
  if (item.repeatCustomer) weight *= REPEAT_CUSTOMER_FACTOR;
  return weight;
}

/** How much time open multiplies an item's weight: 1 + days open / 7, at most 3. */
export function openFactor(openMs: number): number {
  return Math.min(MAX_OPEN_FACTOR, 1 + Math.max(0, openMs) / DAY_MS / OPEN_DAYS_PER_STEP);
}

/** One item's share of its theme's impact at `now` (ms). */
export function itemImpact(item: ImpactItem, now: number): number {
  const score = impactWeight(item) * openFactor((item.resolvedAt ?? now) - item.createdAt);
  return item.customerLost ? score + CUSTOMER_LOST_POINTS : score;
}

/**
 * An item's contribution split for running totals: `fixed` is what no longer changes (a resolved item's whole
 * impact, a lost customer's points), `openWeight` what grows while it is open (its weight; 0 once resolved).
 */
export function impactParts(item: ImpactItem): { fixed: number; openWeight: number } {
  if (item.resolvedAt !== undefined) return { fixed: itemImpact(item, item.resolvedAt), openWeight: 0 };
  return { fixed: item.customerLost ? CUSTOMER_LOST_POINTS : 0, openWeight: impactWeight(item) };
}

/** An item open this long has reached the largest open factor: its impact no longer grows. */
export const FULL_OPEN_MS = (MAX_OPEN_FACTOR - 1) * OPEN_DAYS_PER_STEP * DAY_MS;

/**
 * Open items summed without reading them one by one (the running totals per day): `weight` is the sum of their
 * impactWeight, `weightDays` the sum of impactWeight × filing time in days (ms / 86 400 000). Exact, the same as
 * summing itemImpact, when every item was filed at most FULL_OPEN_MS before `now` ('growing': each one's factor
 * is 1 + (now − filed) / 7 days) or every one at least that long before ('full': each factor is 3).
 */
export function openItemsImpact(
  sums: { weight: number; weightDays: number },
  now: number,
  phase: 'growing' | 'full',
): number {
  if (phase === 'full') return MAX_OPEN_FACTOR * sums.weight;
  const nowDays = now / DAY_MS;
  return sums.weight + (sums.weight * nowDays - sums.weightDays) / OPEN_DAYS_PER_STEP;
}

/** To one decimal, as impact is shown and ranked. */
export function roundImpact(sum: number): number {
  return Math.round(sum * 10) / 10;
}

/** A theme's impact: the sum of its items' impacts, to one decimal. */
export function themeImpact(items: readonly ImpactItem[], now: number): number {
  let sum = 0;
  for (const item of items) sum += itemImpact(item, now);
  return roundImpact(sum);
}

/** Themes by impact, highest first; ties by count, then by id (oldest first). */
export function rankByImpact<T extends { id: number; impact: number; count: number }>(
  themes: readonly T[],
): T[] {
  return [...themes].sort((a, b) => b.impact - a.impact || b.count - a.count || a.id - b.id);
}
