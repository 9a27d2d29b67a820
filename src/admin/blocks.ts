import type { KnownBlock } from '@slack/types';
import { formatConfigProblems } from '../config/org.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';
import type { LoopCommand, LoopStatus, ReloadOutcome, RemindOutcome } from './service.js';

export function loopHelpText(isAdmin: boolean): string {
  const lines = [
    '*Courtesy Loop*',
    `• \`${Commands.feedback}\`: forward what a customer told you to the team that can fix it (\`${Commands.feedback} help\` for more).`,
    '• On any message: *More actions → Forward as customer feedback*.',
    `• \`${Commands.kudos} @name for … #value\`: thank colleagues in public (\`${Commands.kudos} help\` for your allowance); your kudos are on the app's *Home* tab.`,
    `• \`${Commands.strategy} [department]\`: the company promise, your team's part in it, and its numbers.`,
    `• \`${Commands.loop} digest\`: managers see their weekly digest for the week so far (only they see it).`,
  ];
  if (isAdmin) {
    lines.push(
      '*Admin*',
      `• \`${Commands.loop} status\`: departments, stored feedback, and Slack deliveries waiting or failed.`,
      `• \`${Commands.loop} reload\`: re-read the org config file (a bad file keeps the current config).`,
      `• \`${Commands.loop} remind <department>\`: post that team's reminder now; add \`preview\` to see it here first.`,
    );
  }
  return lines.join('\n');
}

export function loopRefusalText(command: Extract<LoopCommand, { verb: 'unknown' | 'forbidden' }>): string {
  const word = escapeAndTruncate(command.word, 40);
  return command.verb === 'forbidden'
    ? `\`${Commands.loop} ${word}\` is for Courtesy Loop admins. Ask an admin listed in the org config if you need it.`
    : `I don't know \`${Commands.loop} ${word}\`. Try \`${Commands.loop} help\`.`;
}

export function loopStatusText(status: LoopStatus): string {
  const { pending, sent, dead } = status.outbox;
  return [
    '*Courtesy Loop status*',
    `• Departments configured: ${status.departments}`,
    `• Feedback items stored: ${status.feedbackItems}`,
    `• Slack deliveries: ${sent} sent, ${pending} waiting, ${dead} failed for good${dead > 0 ? ' (see the log for why)' : ''}`,
  ].join('\n');
}

export function reloadText(outcome: ReloadOutcome): string {
  if (outcome.ok) return `:white_check_mark: Org config reloaded: ${outcome.departments} departments.`;
  return (
    ':warning: The org config has problems, so I kept the current one:\n' +
    `\`\`\`${escapeAndTruncate(formatConfigProblems(outcome.problems), 2500)}\`\`\``
  );
}

export function remindResponse(outcome: RemindOutcome): { text: string; blocks?: KnownBlock[] } {
  switch (outcome.kind) {
    case 'queued':
      return {
        text: `:white_check_mark: Posting the reminder for *${escapeAndTruncate(outcome.department, 60)}* in <#${outcome.channel}> now.`,
      };
    case 'preview':
      return { text: outcome.text, blocks: outcome.blocks as KnownBlock[] };
    case 'no-department':
      return {
        text:
          outcome.name === ''
            ? `Which team? \`${Commands.loop} remind <department>\`, one of: ${outcome.valid.map((v) => `\`${v}\``).join(', ')}.`
            : `I don't know a department called “${escapeAndTruncate(outcome.name, 60)}”. Departments: ${outcome.valid.map((v) => `\`${v}\``).join(', ')}.`,
      };
  }
}
