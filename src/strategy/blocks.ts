import type { KnownBlock } from '@slack/types';
import type { Department } from '../config/org-schema.js';
import { firstTimeRightSection } from '../feedback/first-time-right-text.js';
import { openItemsText } from '../feedback/open-items-text.js';
import { outcomeFieldsBlock, outcomeLinesBlock } from '../feedback/outcome-report-blocks.js';
import { satisfactionText } from '../metrics/satisfaction-text.js';
import { context, fields, header, section, slackDate } from '../slack/blocks.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';
import { formatDuration } from '../text/duration.js';
import type { CommitmentResult } from './commitments.js';
import type { StrategyLookup, TeamStrategy } from './service.js';

const STATUS_ICON: Record<CommitmentResult['status'], string> = {
  kept: ':white_check_mark:',
  missed: ':x:',
  'no-data': ':grey_question:',
  'not-measured': ':small_blue_diamond:',
};

function commitmentLine(c: CommitmentResult): string {
  const label = c.status === 'kept' ? 'kept' : c.status === 'missed' ? 'missed' : undefined;
  const detail = c.detail ? ` _(${label ? `${label}: ` : ''}${escapeMrkdwn(c.detail)})_` : '';
  return `${STATUS_ICON[c.status]} ${escapeAndTruncate(c.text, 200)}${detail}`;
}

function roleBlock(s: TeamStrategy): KnownBlock | undefined {
  return s.department.role ? section(`*Our part*\n${escapeAndTruncate(s.department.role, 1000)}`) : undefined;
}

function commitmentsBlock(s: TeamStrategy): KnownBlock | undefined {
  return s.commitments.length > 0
    ? section(`*Our commitments*\n${s.commitments.map(commitmentLine).join('\n')}`)
    : undefined;
}

/** What is still open in the team, the oldest first (linked where `links` has them), and how many more. */
function stillOpenBlock(s: TeamStrategy, links: ReadonlyMap<number, string>): KnownBlock {
  return section(
    s.open.count === 0
      ? '*Still open: 0* Nothing is waiting on us.'
      : openItemsText({
          title: `*Still open: ${s.open.count}*${s.open.count > s.open.oldest.length ? ' (the oldest first)' : ''}`,
          items: s.open.oldest,
          total: s.open.count,
          links,
          now: s.period.end,
        }),
  );
}

const present = (blocks: (KnownBlock | undefined)[]): KnownBlock[] =>
  blocks.filter((b): b is KnownBlock => b !== undefined);

/** The team's part in the promise, its commitments and its numbers: the reminder and /strategy share it. */
export function teamStrategyBlocks(
  s: TeamStrategy,
  title: string,
  periodLabel: string,
  links: ReadonlyMap<number, string> = new Map(),
): KnownBlock[] {
  const n = s.numbers;
  return present([
    header(title),
    section(`_“${escapeAndTruncate(s.promise, 300)}”_ — ${escapeMrkdwn(s.company)}`),
    roleBlock(s),
    commitmentsBlock(s),
    fields([
      ['Feedback received', String(n.received)],
      ['Resolved', String(n.resolved)],
      [
        'Median time to acknowledge',
        n.medianMsToAcknowledge === undefined ? '—' : formatDuration(n.medianMsToAcknowledge),
      ],
      [
        'Median time to resolve',
        n.medianMsToResolve === undefined ? '—' : formatDuration(n.medianMsToResolve),
      ],
      ['SLA breaches', s.department.sla ? String(n.slaBreaches) : 'no SLA set'],
      [
        'Top recurring theme',
        n.topTheme ? `${escapeAndTruncate(n.topTheme.term, 80)} (${n.topTheme.count})` : '—',
      ],
      ...(s.kudosEnabled
        ? ([
            ['Kudos received', String(n.kudosReceived)],
            ['Kudos to other teams', String(n.kudosToOtherTeams)],
          ] as [string, string][])
        : []),
    ]),
    firstTimeRightSection(n.firstTimeRight, n.contactMix),
    satisfactionBlock(s),
    outcomeFieldsBlock(s.outcomes.team, 'the period before'),
    outcomeLinesBlock([['Company-wide', s.outcomes.company.current]]),
    context([`${periodLabel}: ${slackDate(s.period.start)} to ${slackDate(s.period.end)}`]),
    stillOpenBlock(s, links),
  ]);
}

/** What customers said in the survey, against the period of the same length before. */
function satisfactionBlock(s: TeamStrategy): KnownBlock {
  const text = satisfactionText(s.numbers.satisfaction, s.previousNumbers.satisfaction, 'the period before');
  return section(`*Customer satisfaction:* ${text}`);
}

/** The App Home's part for one of the viewer's teams: its role, its commitments (last 7 days), what is open. */
export function teamHomeBlocks(s: TeamStrategy, links: ReadonlyMap<number, string>): KnownBlock[] {
  return present([
    header(`Your team: ${s.department.name}`),
    roleBlock(s),
    commitmentsBlock(s),
    stillOpenBlock(s, links),
  ]);
}

/** At most this many blocks per team in the App Home (see teamHomeBlocks). */
export const TEAM_HOME_BLOCKS = 4;

/** `links`: permalinks to the open items' messages, where Slack gave them; `lead`: what follows the header. */
export function reminderBlocks(
  s: TeamStrategy,
  links?: ReadonlyMap<number, string>,
  lead: readonly KnownBlock[] = [],
): KnownBlock[] {
  const [title, ...rest] = teamStrategyBlocks(
    s,
    `${s.department.name}: our part in the promise`,
    'Results since the last reminder',
    links,
  );
  return title ? [title, ...lead, ...rest] : rest;
}

export function reminderText(s: TeamStrategy): string {
  const kudos = s.kudosEnabled
    ? `, ${s.numbers.kudosReceived} kudos received and ${s.numbers.kudosToOtherTeams} given to other teams`
    : '';
  return `${escapeMrkdwn(s.department.name)}: our part in the promise, with ${s.numbers.received} feedback received and ${s.numbers.resolved} resolved${kudos} since the last reminder; ${s.open.count} still open.`;
}

function departmentList(departments: readonly Department[]): string {
  return departments.map((d) => `\`${d.id}\``).join(', ');
}

export function strategyLookupResponse(r: StrategyLookup): { text: string; blocks?: KnownBlock[] } {
  switch (r.kind) {
    case 'team':
      return {
        text: `${r.strategy.department.name}: our part in the promise`,
        blocks: teamStrategyBlocks(
          r.strategy,
          `${r.strategy.department.name}: our part in the promise`,
          'Last 7 days',
        ),
      };
    case 'no-team':
      return {
        text:
          `_“${escapeAndTruncate(r.promise, 300)}”_ — ${escapeMrkdwn(r.company)}\n\n` +
          `You are not listed in a department in the org config, so I can't show your team. ` +
          `Try \`${Commands.strategy} <department>\`: ${departmentList(r.departments)}.`,
      };
    case 'unknown-department':
      return {
        text: `I don't know a department called “${escapeAndTruncate(r.name, 60)}”. Departments: ${departmentList(r.departments)}.`,
      };
  }
}

export function reminderFailedText(department: Department, reason: string): string {
  return (
    `:warning: I could not post the reminder for *${escapeMrkdwn(department.name)}* in <#${department.channel}> (${escapeMrkdwn(reason)}). ` +
    'Invite me to that channel (or fix its ID in the org config); the other teams got theirs.'
  );
}
