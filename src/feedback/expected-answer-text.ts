import { slackDate } from '../slack/blocks.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { sayAboutDuration, sayDuration } from '../text/duration.js';
import type { AnswerExpectation } from './expected-answer.js';
import { SEVERITY_LABELS } from './types.js';

/**
 * The receipt's line on when the customer can expect an answer: "*Billing* acknowledges urgent items within
 * 1 hour (its SLA), so by Mon 30 Nov at 10:00", or "*Billing* usually acknowledges urgent items within about
 * 1 hour".
 */
export function expectedAnswerText(e: AnswerExpectation): string {
  const team = `*${escapeMrkdwn(e.department)}*`;
  const items = `${SEVERITY_LABELS[e.severity].toLowerCase()} items`;
  if (e.basis === 'usual') {
    return (
      `:hourglass_flowing_sand: *When the customer can expect an answer:* ${team} usually acknowledges ${items} ` +
      `within ${sayAboutDuration(e.medianMs)} (from its last ${e.samples}).`
    );
  }
  const verb = e.step === 'acknowledge' ? 'acknowledges' : 'resolves';
  const hours = e.businessHours ? ' in business hours' : '';
  return (
    `:hourglass_flowing_sand: *When the customer can expect an answer:* ${team} ${verb} ${items} within ` +
    `${sayDuration(e.withinMs)}${hours} (its SLA), so by ${slackDate(e.by)}.`
  );
}
