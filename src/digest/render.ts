import type { KnownBlock } from '@slack/types';
import type { OrgConfig } from '../config/org-schema.js';
import { firstTimeRightSection } from '../feedback/first-time-right-text.js';
import { itemRef, openItemsText } from '../feedback/open-items-text.js';
import { outcomeFieldsBlock, outcomeLinesBlock } from '../feedback/outcome-report-blocks.js';
import { channelMention, context, fields, header, LIMITS, section, userMention } from '../slack/blocks.js';
import { escapeAndTruncate, escapeMrkdwn, quoteMrkdwn } from '../slack/mrkdwn.js';
import { formatDuration } from '../text/duration.js';
import { sparkline } from '../text/sparkline.js';
import { leadThemesBlocks } from '../themes/lead-blocks.js';
import { formatDayMonth } from '../time/local-time.js';
import type { Headline, ManagerDigest } from './compose.js';
import { satisfactionDigestBlock } from './satisfaction.js';
import type { DigestPreview } from './service.js';

/**
 * A manager's digest as Slack blocks (and the notification text). Numbers come with their change against the
 * previous week; customer names and quotes stay out, because the digest leaves the department's channel
 * (items are named by reference and linked to their message instead).
 */

export type RenderOptions = {
  /** "Week of 16 Nov" or "This week so far"; shown in the header. */
  title: string;
  /** Whether the eight-week chart was uploaded just before this message; otherwise a text sparkline is shown. */
  chartUploaded: boolean;
  /** Permalinks to item messages, where Slack gave one. */
  links: ReadonlyMap<number, string>;
  /** Company value ids to labels. */
  valueLabels: ReadonlyMap<string, string>;
  /** Extra note under the header (preview: "compared with the whole previous week"). */
  note?: string;
};

/** Customers at risk listed by name of their latest item; the rest are counted. */
export const AT_RISK_SHOWN = 5;

/** Company value ids to the labels people know them by (from the kudos section of the org config). */
export function valueLabelsOf(config: Pick<OrgConfig, 'kudos'>): Map<string, string> {
  return new Map((config.kudos?.values ?? []).map((v) => [v.id, v.label]));
}

/** "12 (▲ 3 vs last week)": arrows state the direction of the change, not whether it is good. */
export function withChange(current: number, previous: number): string {
  const diff = current - previous;
  if (diff === 0) return `${current} (= last week)`;
  return `${current} (${diff > 0 ? '▲' : '▼'} ${Math.abs(diff)} vs last week)`;
}

function durationWithChange(current: number | undefined, previous: number | undefined): string {
  if (current === undefined) return '—';
  if (previous === undefined) return formatDuration(current);
  const diff = current - previous;
  if (Math.abs(diff) < 60_000) return `${formatDuration(current)} (= last week)`;
  return `${formatDuration(current)} (${diff > 0 ? '▲' : '▼'} ${formatDuration(Math.abs(diff))} vs last week)`;
}

function countsLine(pairs: readonly [string, number][]): string {
  return pairs.length === 0 ? '—' : pairs.map(([k, n]) => `${escapeMrkdwn(k)} ${n}`).join(' · ');
}

const complaints = (n: number) => `${n} complaint${n === 1 ? '' : 's'}`;

function departmentName(digest: ManagerDigest, id: string): string {
  return digest.departments.find((d) => d.department.id === id)?.department.name ?? id;
}

function feedbackFields(c: Headline, p: Headline): KnownBlock {
  return fields([
    ['Feedback received', withChange(c.received, p.received)],
    ['Resolved', withChange(c.resolved, p.resolved)],
    ['Still open', withChange(c.openAtEnd, p.openAtEnd)],
    ['SLA breaches', withChange(c.slaBreaches, p.slaBreaches)],
    ['Median time to acknowledge', durationWithChange(c.medianMsToAcknowledge, p.medianMsToAcknowledge)],
    ['Median time to resolve', durationWithChange(c.medianMsToResolve, p.medianMsToResolve)],
  ]);
}

function courtesyFields(c: Headline, p: Headline): KnownBlock {
  return fields([
    ['Kudos received', withChange(c.kudosReceived, p.kudosReceived)],
    ['Kudos given', withChange(c.kudosGiven, p.kudosGiven)],
    ['Thanks from other teams', withChange(c.kudosFromOtherTeams, p.kudosFromOtherTeams)],
    ['Thanks to other teams', withChange(c.kudosToOtherTeams, p.kudosToOtherTeams)],
    ['Customer praise passed on', withChange(c.customerPraise, p.customerPraise)],
  ]);
}

export function trendText(digest: ManagerDigest): string {
  const t = digest.trend;
  const first = t.weeks[0];
  const from = first ? formatDayMonth(first.start, digest.timezone) : '';
  const line = (label: string, values: number[]) =>
    `${label.padEnd(9, ' ')} ${sparkline(values)}  ${values.join(' ')}`;
  return [
    `*Eight-week trend* (weeks from ${from}, oldest first)`,
    '```',
    line('Received', t.received),
    line('Resolved', t.resolved),
    line('Kudos', t.kudos),
    '```',
  ].join('\n');
}

/** Join lines into texts of at most `max` characters, never splitting a line. */
export function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const fitted = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (current !== '' && current.length + 1 + fitted.length > max) {
      chunks.push(current);
      current = fitted;
    } else current = current === '' ? fitted : `${current}\n${fitted}`;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

export function digestText(digest: ManagerDigest, title: string): string {
  const c = digest.current;
  return `${title}: ${c.received} feedback received, ${c.resolved} resolved, ${c.openAtEnd} still open, ${c.kudosReceived} kudos received.`;
}

/** The customer side: numbers, mix, themes, oldest open items, customers at risk. */
function feedbackBlocks(digest: ManagerDigest, links: ReadonlyMap<number, string>): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section('*Customer feedback*'),
    feedbackFields(digest.current, digest.previous),
    satisfactionDigestBlock(digest.satisfaction),
  ];
  blocks.push(
    section(`*By kind:* ${countsLine(digest.byKind)}\n*By severity:* ${countsLine(digest.bySeverity)}`),
    firstTimeRightSection(digest.current.firstTimeRight, digest.contactMix, digest.previous.firstTimeRight),
  );
  if (digest.themes.length > 0) {
    blocks.push(
      section(
        `*Top recurring themes:* ${digest.themes.map((t) => `${escapeAndTruncate(t.term, 60)} (${t.count})`).join(' · ')}`,
      ),
    );
  }
  if (digest.oldestOpen.length > 0) {
    blocks.push(
      section(
        openItemsText({
          title: '*Oldest open items*',
          items: digest.oldestOpen,
          total: digest.openCount,
          links,
          now: digest.period.end,
          departmentName: (id) => departmentName(digest, id),
        }),
      ),
    );
  }
  if (digest.atRisk.length > 0) blocks.push(atRiskBlock(digest, links));
  return blocks;
}

function atRiskBlock(digest: ManagerDigest, links: ReadonlyMap<number, string>): KnownBlock {
  const lines = digest.atRisk
    .slice(0, AT_RISK_SHOWN)
    .map(
      (customer) =>
        `• latest ${itemRef(customer.latestItemId, links)} · ${escapeMrkdwn(departmentName(digest, customer.departmentId))} · ${complaints(customer.complaintsInWindow)} in ${digest.atRiskDays} days, ${customer.complaintsThisWeek} this week`,
    );
  const more =
    digest.atRisk.length > AT_RISK_SHOWN ? `\n…and ${digest.atRisk.length - AT_RISK_SHOWN} more` : '';
  return section(
    `*Customers at risk: ${digest.atRisk.length}* (names stay in the department channel)\n${lines.join('\n')}${more}`,
  );
}

/** Customers kept and lost after their complaints, and told: the departments together, then each. */
function customerOutcomeBlocks(digest: ManagerDigest): KnownBlock[] {
  const blocks = [
    section('*Did we keep the customer?*'),
    outcomeFieldsBlock(digest.outcomes.total, 'last week'),
  ];
  if (digest.departments.length > 1) {
    const lines = digest.departments.map(({ department }) => [
      department.name,
      digest.outcomes.each.get(department.id) ?? digest.outcomes.total.current,
    ]);
    blocks.push(outcomeLinesBlock(lines as [string, typeof digest.outcomes.total.current][]));
  }
  return blocks;
}

/** The courtesy side: kudos numbers, values, highlights, and the people nobody thanked lately. */
function courtesyBlocks(digest: ManagerDigest, options: RenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    section('*Courtesy inside the company*'),
    courtesyFields(digest.current, digest.previous),
  ];
  if (digest.values.length > 0) {
    blocks.push(
      section(
        `*Values most recognised:* ${digest.values
          .map(([id, n]) => `${escapeMrkdwn(options.valueLabels.get(id) ?? id)} (${n})`)
          .join(' · ')}`,
      ),
    );
  }
  if (digest.highlights.length > 0) {
    const quotes = digest.highlights.map((h) => {
      const to = h.recipientIds.map(userMention).join(', ');
      return `${quoteMrkdwn(escapeAndTruncate(h.reason, 280))}\n— ${userMention(h.giverId)} to ${to}`;
    });
    blocks.push(section(`*Highlights*\n${quotes.join('\n')}`));
  }
  if (digest.unrecognised.length > 0) {
    const shown = digest.unrecognised.slice(0, 15).map(userMention).join(', ');
    const more = digest.unrecognised.length > 15 ? ` and ${digest.unrecognised.length - 15} more` : '';
    blocks.push(
      section(
        `*Not thanked in the last ${digest.unrecognisedWeeks} weeks:* ${shown}${more}\n_A gentle prompt, not a ranking: is there something they did that deserves a thank-you?_`,
      ),
    );
  }
  return blocks;
}

/** One line per department (when there are several), in whole-line sections within the block limit. */
function byDepartmentBlocks(digest: ManagerDigest, used: number): KnownBlock[] {
  if (digest.departments.length <= 1) return [];
  const lines = digest.departments.map(
    ({ department, headline: h }) =>
      `• *${escapeMrkdwn(department.name)}* (${channelMention(department.channel)}): ${h.received} received, ${h.resolved} resolved, ${h.openAtEnd} open, ${h.slaBreaches} SLA breach${h.slaBreaches === 1 ? '' : 'es'}, ${h.kudosReceived} kudos received`,
  );
  const blocks: KnownBlock[] = [{ type: 'divider' }];
  // Whole lines per section, so a long list never cuts a channel link; the block limit caps the rest.
  const room = LIMITS.messageBlocks - used - blocks.length - 3;
  const chunks = chunkLines(['*By department*', ...lines], LIMITS.sectionText - 100);
  for (const chunk of chunks.slice(0, room)) blocks.push(section(chunk));
  if (chunks.length > room) blocks.push(context(['…more departments than one message holds.']));
  return blocks;
}

export function digestBlocks(digest: ManagerDigest, options: RenderOptions): KnownBlock[] {
  const names = digest.departments.map((d) => escapeMrkdwn(d.department.name)).join(', ');
  const blocks: KnownBlock[] = [
    header(options.title),
    context([
      `${names} · ${formatDayMonth(digest.period.start, digest.timezone)} to ${formatDayMonth(digest.period.end - 1, digest.timezone)}${options.note ? ` · ${escapeMrkdwn(options.note)}` : ''}`,
    ]),
    ...leadThemesBlocks(digest.topThemes, 'last week'),
    ...feedbackBlocks(digest, options.links),
    ...customerOutcomeBlocks(digest),
    ...courtesyBlocks(digest, options),
  ];
  blocks.push(...byDepartmentBlocks(digest, blocks.length));
  blocks.push({ type: 'divider' });
  if (options.chartUploaded) {
    blocks.push(context(['The eight-week trend chart is just above this message.']));
  } else {
    blocks.push(section(trendText(digest)));
  }
  return blocks;
}

/** The week a digest covers, as its title names it: "week of 23 Nov". */
export function digestWeekLabel(digest: Pick<ManagerDigest, 'period' | 'timezone'>): string {
  return `week of ${formatDayMonth(digest.period.start, digest.timezone)}`;
}

export function digestTitle(digest: Pick<ManagerDigest, 'period' | 'timezone'>): string {
  return `Weekly digest: ${digestWeekLabel(digest)}`;
}

/** The week so far, as `/loop digest` shows it to a manager (no chart: the text trend). */
function previewMessage(digest: ManagerDigest, config: OrgConfig): { text: string; blocks: KnownBlock[] } {
  const title = `Your digest so far: ${digestWeekLabel(digest)}`;
  return {
    text: digestText(digest, title),
    blocks: digestBlocks(digest, {
      title,
      chartUploaded: false,
      links: new Map(),
      valueLabels: valueLabelsOf(config),
      note: 'compared with the same length of time just before',
    }),
  };
}

/** `/loop digest`: the digest so far for managers, and for everyone else why there is none. */
export function digestPreviewResponse(
  preview: DigestPreview,
  config: OrgConfig,
): { text: string; blocks?: KnownBlock[] } {
  const admins =
    preview.kind === 'digest' || preview.admins.length === 0
      ? 'an admin'
      : preview.admins.map(userMention).join(' or ');
  switch (preview.kind) {
    case 'digest':
      return previewMessage(preview.digest, config);
    case 'not-a-manager':
      return {
        text: `You have no digest: weekly digests go to the managers listed under \`managers\` in the org config, and you are not one of them. If you should get one, ask ${admins} to add you with the departments you look after.`,
      };
    case 'no-departments':
      return {
        text: `You are listed as a manager, but with no departments, so there is nothing to show yet. Ask ${admins} to list your departments (or \`all\`) under \`managers\` in the org config.`,
      };
  }
}
