import type { Department } from '../config/org-schema.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';
import { sparkline } from '../text/sparkline.js';
import { formatDayMonth } from '../time/local-time.js';
import type { ThemesReport, ThemesRequest } from './themes-command.js';
import type { TopTheme } from './top-themes.js';

/** How themes read in Slack: `/feedback themes`, and the top-themes lines of digests and reminders. */

const arrow = (now: number, before: number) => (now > before ? '↑' : now < before ? '↓' : '→');

/** "*TH-12* double charges: 14 items (↑ from 5), impact 42.5" with the lead's name or top terms escaped. */
export function themeHeadline(t: TopTheme, previousLabel?: string): string {
  const items = t.count === 1 ? '1 item' : `${t.count} items`;
  const trend =
    previousLabel === undefined
      ? ''
      : ` (${arrow(t.count, t.previousCount)} from ${t.previousCount} ${previousLabel})`;
  return `*${t.reference}* ${escapeAndTruncate(t.name, 80)}: ${items}${trend}, impact ${t.impact.toFixed(1)}`;
}

/** The eight weeks as a sparkline and numbers: "▁▁▂▅█ 0 0 1 3 6". */
export function weeklyLine(weekly: readonly number[]): string {
  return `\`${sparkline(weekly)}\` ${weekly.join(' ')}`;
}

const PREVIOUS: Record<ThemesReport['period'], string> = {
  week: 'the same days last week',
  month: 'the same days last month',
  quarter: 'the same days last quarter',
};

export function themesReportText(r: ThemesReport): string {
  const scope = r.department ? escapeAndTruncate(r.department.name, 80) : 'the whole company';
  const title = `*Top themes by impact, ${scope}, this ${r.period}* (since ${formatDayMonth(r.start, r.zone)})`;
  if (r.themes.length === 0) return `${title}\nNo feedback with a theme yet this ${r.period}.`;
  const lines = r.themes.map(
    (t, i) =>
      `${i + 1}. ${themeHeadline(t, PREVIOUS[r.period])}\n` +
      `     last 8 weeks ${weeklyLine(t.weekly)}${t.examples.length > 0 ? ` · e.g. ${t.examples.join(', ')}` : ''}`,
  );
  return `${title}\n${lines.join('\n')}\n_Impact weighs each item by severity, customers at risk or repeating, SLA breaches and time open._`;
}

const list = (departments: readonly Department[]) => departments.map((d) => `\`${d.id}\``).join(', ');

export function themesRefusalText(r: Extract<ThemesRequest, { ok: false }>): string {
  return (
    `I don't know a department or period called “${escapeAndTruncate(r.words, 60)}”. ` +
    `Try \`${Commands.feedback} themes [department] [week|month|quarter]\`; departments: ${list(r.departments)}. ` +
    `To file feedback that starts with “themes”, name its department first (\`${Commands.feedback} billing: themes …\`).`
  );
}

/** A theme spiking this week, as posted in its department's channel (references only). */
export function spikeText(spike: {
  reference: string;
  name: string;
  departmentId: string;
  count: number;
  baseline: number;
  examples: readonly string[];
}): string {
  const examples = spike.examples.length > 0 ? ` For example ${spike.examples.join(', ')}.` : '';
  return (
    `:chart_with_upwards_trend: *Spike: ${spike.reference}* ${escapeAndTruncate(spike.name, 80)}: ` +
    `${spike.count} items this week so far, against a median of ${spike.baseline} a week over the eight weeks before.` +
    `${examples} \`${Commands.feedback} themes ${spike.departmentId} week\` ranks this week's themes.`
  );
}
