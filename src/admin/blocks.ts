import type { KnownBlock } from '@slack/types';
import { formatConfigProblems } from '../config/org.js';
import { problemAdvice } from '../slack/delivery/problem-notes.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn } from '../slack/mrkdwn.js';
import type { RemindOutcome } from '../strategy/remind.js';
import type { LoopCommand, LoopStatus, ReloadOutcome } from './service.js';

export function loopHelpText(isAdmin: boolean): string {
  const lines = [
    '*Courtesy Loop*',
    `• \`${Commands.feedback}\`: forward what a customer told you to the team that can fix it (\`${Commands.feedback} help\` for more).`,
    '• On any message: *More actions → Forward as customer feedback*.',
    `• \`${Commands.kudos} @name for … #value\`: thank colleagues in public (\`${Commands.kudos} help\` for your allowance); your kudos are on the app's *Home* tab.`,
    `• \`${Commands.strategy} [department]\`: the company promise, your team's part in it, and its numbers.`,
    `• \`${Commands.loop} digest\`: managers see their weekly digest for the week so far (only they see it).`,
    `• \`${Commands.loop} theme TH-12 "double charges"\`: department leads and admins name a theme of feedback.`,
    `• \`${Commands.loop} focus <department>\`: the team's focus theme and its history; its leads set one with \`TH-12 max:5/week\` or end it with \`off\`.`,
  ];
  if (isAdmin) {
    lines.push(
      '*Admin*',
      `• \`${Commands.loop} status\`: departments, stored feedback, and Slack deliveries waiting or parked, with why.`,
      `• \`${Commands.loop} retry\`: send the parked deliveries again (after inviting the app, fixing a channel or the token).`,
      `• \`${Commands.loop} reload\`: re-read the org config file (a bad file keeps the current config).`,
      `• \`${Commands.loop} remind <department>\`: post that team's reminder now; add \`preview\` to see it here first.`,
      `• \`${Commands.loop} purge\`: remove customer details older than \`retention.customer_details_days\` now.`,
      `• \`${Commands.loop} forget <customer>\`: erase one customer's name and words on their request (recorded).`,
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
  const d = status.delivery;
  const { pending, sent, dead } = d.outbox;
  const lines = [
    '*Courtesy Loop status*',
    `• Departments configured: ${status.departments}`,
    `• Feedback items stored: ${status.feedbackItems}`,
    `• Slack deliveries: ${sent} sent, ${pending} waiting, ${dead} parked`,
  ];
  if (d.tokenRefused !== undefined) {
    lines.push(
      `• :warning: Slack refuses the bot token (\`${escapeMrkdwn(d.tokenRefused)}\`): ${problemAdvice(d.tokenRefused, undefined)}`,
    );
  }
  if (d.slackUnreachable)
    lines.push('• :hourglass: Slack cannot be reached right now; deliveries wait and retry.');
  for (const p of d.problems.filter((p) => !p.cause.startsWith('token:')).slice(0, 10)) {
    lines.push(`• :warning: ${p.count} × \`${escapeMrkdwn(p.code)}\`: ${problemAdvice(p.code, p.channel)}`);
  }
  for (const p of d.parked) lines.push(`• Parked: ${p.count} × ${escapeAndTruncate(p.reason, 120)}`);
  if (dead > 0) lines.push(`\`${Commands.loop} retry\` sends the parked deliveries again.`);
  return lines.join('\n');
}

export function retryText(count: number): string {
  return count === 0
    ? 'Nothing is parked: every delivery went out or is still being retried.'
    : `:arrows_counterclockwise: Sending ${count} parked ${count === 1 ? 'delivery' : 'deliveries'} again. \`${Commands.loop} status\` shows how it goes.`;
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
