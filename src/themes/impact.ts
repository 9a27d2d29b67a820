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

/** One item's share of its theme's impact at `now` (ms). */
export function itemImpact(item: ImpactItem, now: number): number {
  const openMs = Math.max(0, (item.resolvedAt ?? now) - item.createdAt);
  const openFactor = Math.min(MAX_OPEN_FACTOR, 1 + openMs / DAY_MS / OPEN_DAYS_PER_STEP);
  let score =
    SEVERITY_WEIGHTS[item.severity] * openFactor * (1 + SLA_BREACH_FACTOR * Math.max(0, item.slaBreaches));
  if (item.customerAtRisk) score *= AT_RISK_FACTOR;
  if (item.repeatCustomer) score *= REPEAT_CUSTOMER_FACTOR;
  if (item.customerLost) score += CUSTOMER_LOST_POINTS;
  return score;
}

/** A theme's impact: the sum of its items' impacts, to one decimal. */
export function themeImpact(items: readonly ImpactItem[], now: number): number {
  let sum = 0;
  for (const item of items) sum += itemImpact(item, now);
  return Math.round(sum * 10) / 10;
}

/** Themes by impact, highest first; ties by count, then by id (oldest first). */
export function rankByImpact<T extends { id: number; impact: number; count: number }>(
  themes: readonly T[],
): T[] {
  return [...themes].sort((a, b) => b.impact - a.impact || b.count - a.count || a.id - b.id);
}
