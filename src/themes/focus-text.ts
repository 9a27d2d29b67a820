import type { Department } from '../config/org-schema.js';
import { userMention } from '../slack/blocks.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';
import { formatDayMonth } from '../time/local-time.js';
import type { FocusOutcome } from './focus-command.js';
import type { FocusProgress } from './focus-progress.js';
import { weeklyLine } from './themes-text.js';

/** How a team's focus reads: in `/loop focus` answers and in the team reminder. */

const perWeek = (n: number) => `at most ${n} a week`;
const dept = (d: Department) => escapeMrkdwn(d.name);
const usage = (d: string) => `\`${Commands.loop} focus ${d} TH-12 max:5/week\``;

/** "*Focus: TH-12* double charges (at most 5 a week, since 16 Nov)" and how it is going, with the next theme. */
export function focusProgressText(p: FocusProgress, zone: string): string {
  const f = p.focus;
  const lines = [
    `*Focus: ${p.reference}* ${escapeAndTruncate(p.name, 80)} (${perWeek(f.weeklyTarget)}, since ${formatDayMonth(f.startedAt, zone)})`,
    `Weekly since it began ${weeklyLine(p.weeks.map((w) => w.count))} · ${p.countSinceStart} item${p.countSinceStart === 1 ? '' : 's'}, impact ${p.impactSinceStart.toFixed(1)}`,
  ];
  if (p.metTwoWeeks) {
    const [a, b] = p.weeks.filter((w) => w.full).slice(-2);
    lines.push(`:tada: At or under the target two weeks running (${a?.count} and ${b?.count}).`);
    lines.push(
      p.next
        ? `Next, consider *${p.next.reference}* ${escapeAndTruncate(p.next.name, 80)} (impact ${p.next.impact.toFixed(1)} in the last four weeks): \`${Commands.loop} focus ${f.departmentId} ${p.next.reference} max:${f.weeklyTarget}/week\``
        : 'No other theme stands out yet.',
    );
  }
  return lines.join('\n');
}

const list = (ds: readonly Department[]) => ds.map((d) => `\`${d.id}\``).join(', ');

export function focusOutcomeText(o: FocusOutcome, zone: (d: Department) => string): string {
  switch (o.kind) {
    case 'usage':
      return `Use ${usage('<department>')} to set a team's focus theme and weekly target, \`${Commands.loop} focus <department>\` to see it, and add \`off\` to end it. Departments: ${list(o.departments)}.`;
    case 'unknown-department':
      return `I don't know a department called “${escapeAndTruncate(o.name, 60)}”. Departments: ${list(o.departments)}.`;
    case 'not-allowed':
      return `Only ${dept(o.department)}'s leads or an admin can change its focus. Anyone can see it with \`${Commands.loop} focus ${o.department.id}\`.`;
    case 'unknown-theme':
      return `There is no theme “${escapeAndTruncate(o.ref, 30)}”. \`${Commands.feedback} themes ${o.department.id} month\` lists the team's top themes with their references.`;
    case 'bad-target':
      return `Say the weekly target as a whole number of items, like ${usage(o.department.id)}.`;
    case 'set':
      return `${dept(o.department)} now focuses on this; its reminder will track it.\n${o.progress ? focusProgressText(o.progress, zone(o.department)) : ''}`;
    case 'ended':
      return o.ended
        ? `${dept(o.department)}'s focus has ended; it stays in the history.`
        : `${dept(o.department)} had no focus theme.`;
    case 'shown': {
      const current = o.progress
        ? focusProgressText(o.progress, zone(o.department))
        : `${dept(o.department)} has no focus theme. A lead sets one with ${usage(o.department.id)}.`;
      const history = o.history.map(
        (f) =>
          `• TH-${f.themeId} ${escapeAndTruncate(f.name, 60)}, ${perWeek(f.weeklyTarget)}: ${formatDayMonth(f.startedAt, zone(o.department))} to ${formatDayMonth(f.endedAt ?? f.startedAt, zone(o.department))}, set by ${userMention(f.startedBy)}`,
      );
      return history.length > 0 ? `${current}\n*Earlier focuses*\n${history.join('\n')}` : current;
    }
  }
}
