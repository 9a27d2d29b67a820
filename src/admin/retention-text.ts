import type { ForgetOutcome, PurgeOutcome } from '../retention/service.js';
import { Commands } from '../slack/ids.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';

const items = (n: number) => `${n} feedback item${n === 1 ? '' : 's'}`;
const customers = (n: number) => `${n} customer name${n === 1 ? '' : 's'}`;

export function purgeText(outcome: PurgeOutcome): string {
  if (outcome.kind === 'not-configured') {
    return 'Customer details are kept: `retention.customer_details_days` is not set in the org config. Set it (at least `feedback.at_risk.days`), then `/loop reload` and try again.';
  }
  return `Removed the customer details of ${items(outcome.items)} filed more than ${outcome.days} days ago, and ${customers(outcome.customers)}. Every count stays. (This also runs every minute.)`;
}

export function forgetText(name: string, outcome: ForgetOutcome): string {
  const shown = escapeAndTruncate(name, 80);
  if (!outcome.found) {
    return `No customer called “${shown}” has details stored (the request is recorded). Customers are matched ignoring case and accents; check the spelling as it was filed.`;
  }
  return `Erased “${shown}”: their name and the details of ${items(outcome.items)}. Counts stay; the erasure is recorded (who, when, how many), without the name. Messages already posted in Slack keep their text: delete them there if needed.`;
}

export function forgetUsageText(): string {
  return `Which customer? \`${Commands.loop} forget <customer name as filed>\`, e.g. \`${Commands.loop} forget ACME Corp\`.`;
}
