import type { KnownBlock } from '@slack/types';
import { contactedRate, customersKeptRate } from '../metrics/numbers.js';
import type { OutcomeFigures, OutcomeReport } from '../metrics/outcome-report.js';
import { context, fields } from '../slack/blocks.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';

/**
 * Customers kept, lost and unknown, the top reasons for leaving and the share told, each with its change against
 * the previous period: the same blocks in the weekly digest, the team reminder and `/strategy`. No customer is
 * named: only counts and reasons.
 */

const TOP_REASONS = 3;

/** "4 (▲ 1 vs last week)": arrows state the direction of the change, not whether it is good. */
function change(current: number, previous: number, vs: string): string {
  const diff = current - previous;
  if (diff === 0) return `${current} (= ${vs})`;
  return `${current} (${diff > 0 ? '▲' : '▼'} ${Math.abs(diff)} vs ${vs})`;
}

function percent(rate: number | undefined): string {
  return rate === undefined ? '—' : `${Math.round(rate)}%`;
}

function rateChange(current: number | undefined, previous: number | undefined, vs: string): string {
  if (current === undefined) return '—';
  if (previous === undefined) return percent(current);
  const diff = Math.round(current) - Math.round(previous);
  if (diff === 0) return `${percent(current)} (= ${vs})`;
  return `${percent(current)} (${diff > 0 ? '▲' : '▼'} ${Math.abs(diff)} pts vs ${vs})`;
}

/** The reasons for leaving, most frequent first: "price 2 · service 1". */
export function topReasons(figures: OutcomeFigures, top = TOP_REASONS): [string, number][] {
  return Object.entries(figures.outcomes.reasons)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top);
}

function reasonsText(figures: OutcomeFigures): string {
  const reasons = topReasons(figures);
  return reasons.length === 0
    ? 'none'
    : reasons.map(([r, n]) => `${escapeAndTruncate(r, 60)} ${n}`).join(' · ');
}

/** The fields: customers kept (and the kept rate), lost, unknown, told the customer. */
export function outcomeFieldsBlock(report: OutcomeReport, vs: string): KnownBlock {
  const { current: c, previous: p } = report;
  const kept = `${change(c.outcomes.kept, p.outcomes.kept, vs)}${
    c.outcomes.cameBack > 0 ? `, ${c.outcomes.cameBack} came back with the same problem` : ''
  }`;
  return fields([
    ['Customers kept', kept],
    ['Customers lost', change(c.outcomes.lost, p.outcomes.lost, vs)],
    ['Customers unknown', change(c.outcomes.unknown, p.outcomes.unknown, vs)],
    ['Customers kept rate', rateChange(customersKeptRate(c.outcomes), customersKeptRate(p.outcomes), vs)],
    ['Told the customer', rateChange(contactedRate(c.contacted), contactedRate(p.contacted), vs)],
    ['Top reasons for leaving', reasonsText(c)],
  ]);
}

/** One line for a set of departments: "Billing: kept 3, lost 1 (price 1), unknown 0, told 75%". */
export function outcomeLine(name: string, figures: OutcomeFigures): string {
  const o = figures.outcomes;
  const reasons = o.lost > 0 ? ` (${reasonsText(figures)})` : '';
  return `*${escapeMrkdwn(name)}*: kept ${o.kept}, lost ${o.lost}${reasons}, unknown ${o.unknown}, told the customer ${percent(contactedRate(figures.contacted))}`;
}

/** A context line under the fields: each department, or the company-wide figures beside a team's. */
export function outcomeLinesBlock(lines: readonly [name: string, figures: OutcomeFigures][]): KnownBlock {
  return context([lines.map(([name, figures]) => outcomeLine(name, figures)).join('\n')]);
}
