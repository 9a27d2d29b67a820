import type { KnownBlock, View } from '@slack/types';
import { itemRef } from '../feedback/open-items-text.js';
import { STATUS_LABELS } from '../feedback/types.js';
import { KUDOS_HOME_BLOCKS, kudosHomeBlocks } from '../kudos/home.js';
import { context, header, LIMITS, section, slackDate } from '../slack/blocks.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';
import { TEAM_HOME_BLOCKS, teamHomeBlocks } from '../strategy/blocks.js';
import type { HomeContent } from './service.js';

/**
 * The App Home: your open feedback, your teams (role, commitments, what is open), your kudos. Slack refuses a
 * Home view of more than 100 blocks, so the number of teams shown is bounded by what the other parts can use.
 */

/** How many of the viewer's own open items are listed (the newest). */
export const MINE_SHOWN = 5;

const MINE_BLOCKS = 2;
/**
 * Teams shown in full (each a divider and its blocks; one context names the rest): a readable Home, and each
 * team's commitments are measured when the Home is published. Slack's 100 blocks would allow 17.
 */
export const HOME_MAX_TEAMS = Math.min(
  5,
  Math.floor((LIMITS.viewBlocks - MINE_BLOCKS - 1 - 1 - KUDOS_HOME_BLOCKS) / (TEAM_HOME_BLOCKS + 1)),
);

function mineBlocks(mine: HomeContent['mine'], links: ReadonlyMap<number, string>): KnownBlock[] {
  if (mine.count === 0) {
    return [
      header('Your open feedback'),
      context([
        `Nothing open that you filed. Forward what a customer says with \`${Commands.feedback}\` and follow it here.`,
      ]),
    ];
  }
  const lines = mine.items.map(
    ({ item, departmentName }) =>
      `• ${itemRef(item.id, links)} · ${STATUS_LABELS[item.status]} · ${escapeMrkdwn(departmentName)} · “${escapeAndTruncate(item.summary, 100)}” · filed ${slackDate(item.createdAt, '{date_short}')}`,
  );
  const more = mine.count - mine.items.length;
  const moreLine = more > 0 ? [`…and ${more} more (\`${Commands.feedback} mine\` lists them)`] : [];
  return [
    header('Your open feedback'),
    section([`*Filed by you, still open: ${mine.count}* (newest first)`, ...lines, ...moreLine].join('\n')),
  ];
}

function teamsBlocks(content: HomeContent, links: ReadonlyMap<number, string>): KnownBlock[] {
  if (content.teams.length === 0) {
    return [
      { type: 'divider' },
      context([
        `You are not listed in a department in the org config, so there is no team to show here. \`${Commands.strategy} <department>\` shows any team's role.`,
      ]),
    ];
  }
  const blocks = content.teams.flatMap((team): KnownBlock[] => [
    { type: 'divider' },
    ...teamHomeBlocks(team, links),
  ]);
  if (content.otherTeams.length > 0) {
    const names = escapeAndTruncate(content.otherTeams.join(', '), 1500);
    blocks.push(
      context([
        `You are also in ${content.otherTeams.length} more team${content.otherTeams.length === 1 ? '' : 's'} (${names}): \`${Commands.strategy} <department>\` shows each.`,
      ]),
    );
  }
  return blocks;
}

/** `links`: permalinks to the items' department messages, where Slack gave them. */
export function homeView(content: HomeContent, links: ReadonlyMap<number, string>): View {
  const blocks: KnownBlock[] = [
    ...mineBlocks(content.mine, links),
    ...teamsBlocks(content, links),
    { type: 'divider' },
    ...kudosHomeBlocks(content.kudos, content.kudosSettings),
  ];
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
