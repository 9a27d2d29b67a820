import { Commands } from '../ids.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import type { DeliveryProblem } from './problems-repo.js';

const where = (channel: string | undefined) =>
  channel === undefined ? 'there' : /^[UW]/.test(channel) ? `to <@${channel}>` : `in <#${channel}>`;

/** What an admin should do about a cause, in one sentence. */
export function problemAdvice(code: string, channel: string | undefined): string {
  switch (code) {
    case 'not_in_channel':
      return `Invite the app ${where(channel)} (\`/invite @Courtesy Loop\`), then run \`${Commands.loop} retry\`.`;
    case 'channel_not_found':
    case 'is_archived':
      return `The channel was deleted or archived, or the app cannot see it: fix its ID in the org config, run \`${Commands.loop} reload\`, then \`${Commands.loop} retry\`.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'account_inactive':
    case 'token_revoked':
    case 'token_expired':
    case 'app_uninstalled':
    case 'tokens_revoked':
      return 'Reinstall the app (or restore its token), put the bot token in SLACK_BOT_TOKEN and restart it.';
    case 'retry_window':
      return `Slack could not be reached for the whole retry window (\`delivery.retry_hours\`). Run \`${Commands.loop} retry\` once it is back.`;
    default:
      return `Slack refused the message; the log has the details. Run \`${Commands.loop} retry\` once it is fixed.`;
  }
}

/** The DM the admins get, once, when deliveries start failing for a cause. */
export function problemAlertText(problem: DeliveryProblem): string {
  const code = escapeMrkdwn(problem.code);
  return (
    `:warning: A Slack message could not be delivered ${where(problem.channel)} (\`${code}\`). ` +
    `${problemAdvice(problem.code, problem.channel)} ` +
    `\`${Commands.loop} status\` lists what is waiting.`
  );
}

/** The DM the admins get when the token works again after Slack refused it. */
export function tokenRecoveredText(problem: DeliveryProblem, now: number): string {
  const minutes = Math.max(1, Math.round((now - problem.firstAt) / 60_000));
  return (
    `:warning: Slack refused the app's token (\`${escapeMrkdwn(problem.code)}\`) for about ${minutes} min, ` +
    `so nothing could be posted (${problem.count} refusals). It works again; the messages that waited are going out now. ` +
    `If it happens again: ${problemAdvice(problem.code, undefined)}`
  );
}
