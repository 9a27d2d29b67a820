import type { KnownBlock, View } from '@slack/types';
import type { Department } from '../config/org-schema.js';
import type { FeedbackItem } from '../feedback/types.js';
import { LIMITS, option, plain, section, slackDate, userMention } from '../slack/blocks.js';
import { FormAction, SurveyActions, SurveyBlocks, Views } from '../slack/ids.js';
import { escapeAndTruncate, escapeMrkdwn, quoteMrkdwn } from '../slack/mrkdwn.js';
import { COMMENT_MAX, SCORE_LABELS } from './survey-page.js';
import type { SurveyAnswer, SurveyRequest } from './survey-repo.js';
import type { RecordRefusal } from './survey-service.js';

/** The Slack side of the survey: the offer in the "resolved" DM, the score modal, and what an answer sends. */

const summaryOf = (item: FeedbackItem) => `“${escapeAndTruncate(item.summary, 150)}”`;
const scoreText = (score: number) => `*${score} / 5* (${SCORE_LABELS[score - 1] ?? ''})`;
const commentQuote = (answer: SurveyAnswer) =>
  answer.comment ? `\n${quoteMrkdwn(escapeAndTruncate(answer.comment, COMMENT_MAX + 200))}` : '';

/**
 * The survey part of the reporter's "resolved" DM: the link to send the customer when the app has a public
 * address, otherwise a button to record what the customer said.
 */
export function surveyOfferBlocks(request: SurveyRequest, link: string | undefined): KnownBlock[] {
  const until = slackDate(request.expiresAt, '{date_short_pretty}');
  if (link) {
    return [
      section(
        `:speech_balloon: *Ask the customer how we did:* send them this link to a one-question survey (it works until ${until}; low scores reach the team):\n${link}`,
        SurveyBlocks.offer,
      ),
    ];
  }
  return [
    {
      type: 'section',
      block_id: SurveyBlocks.offer,
      text: {
        type: 'mrkdwn',
        text: `:speech_balloon: *Ask the customer how we did* (1 to 5) when you tell them, and record their answer here until ${until}.`,
      },
      accessory: {
        type: 'button',
        action_id: SurveyActions.recordScore,
        text: plain("Record the customer's score", 75),
        value: String(request.id),
      },
    },
  ];
}

/** The modal where the reporter records the customer's score. */
export function surveyScoreModal(item: FeedbackItem, request: SurveyRequest): View {
  return {
    type: 'modal',
    callback_id: Views.surveyScore,
    title: plain(`Score for ${item.reference}`, LIMITS.modalTitle),
    submit: plain('Record', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ requestId: request.id }),
    blocks: [
      section(`How satisfied is the customer with how we handled ${summaryOf(item)}?`),
      {
        type: 'input',
        block_id: SurveyBlocks.score,
        label: plain('Their score'),
        element: {
          type: 'radio_buttons',
          action_id: FormAction,
          options: SCORE_LABELS.map((label, i) => option(`${i + 1} · ${label}`, String(i + 1))),
        },
      },
      {
        type: 'input',
        block_id: SurveyBlocks.comment,
        optional: true,
        label: plain('What they said (optional)'),
        hint: plain(
          'Their words, as they said them. A score of 1 or 2 is posted with this in the item’s thread.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: FormAction,
          multiline: true,
          max_length: COMMENT_MAX,
        },
      },
    ],
  };
}

/** To the reporter, for every answer: the score and the comment. */
export function reporterAnswerText(item: FeedbackItem, answer: SurveyAnswer): string {
  const who =
    answer.via === 'rep' && answer.recordedBy
      ? `${userMention(answer.recordedBy)} recorded the customer's score`
      : 'The customer answered the survey';
  return `:speech_balloon: ${who} for *${item.reference}* (${summaryOf(item)}): ${scoreText(answer.score)}.${commentQuote(answer)}`;
}

/** In the item's thread, for a low score: the score and the comment (the thread already holds the customer's details). */
export function lowScoreThreadText(answer: SurveyAnswer): string {
  const via =
    answer.via === 'rep' && answer.recordedBy ? ` (recorded by ${userMention(answer.recordedBy)})` : '';
  return `:warning: The customer rated how we handled this ${scoreText(answer.score)}${via}.${commentQuote(answer) || '\nNo comment.'}`;
}

/** To each lead of the department, for a low score: the score and a link to the item, never the comment. */
export function leadLowScoreText(
  item: FeedbackItem,
  answer: SurveyAnswer,
  department: Department | undefined,
  link: string | undefined,
): string {
  const ref = link ? `<${link}|${item.reference}>` : `*${item.reference}*`;
  const team = department ? ` resolved by *${escapeMrkdwn(department.name)}*` : '';
  return `:warning: A customer rated ${ref}${team} ${scoreText(answer.score)}. Their comment, if any, is in the item's thread.`;
}

/** Why the score could not be recorded, politely, with what to do. */
export function recordRefusalText(refusal: RecordRefusal): string {
  switch (refusal.reason) {
    case 'unknown':
      return "Sorry, I can't find that survey any more. Nothing was recorded.";
    case 'not-reporter':
      return `Only ${refusal.request ? userMention(refusal.request.reporterId) : 'the person who filed the feedback'}, who filed this feedback, can record the customer's score. Nothing was recorded.`;
    case 'answered':
      return `The customer's score is already recorded${refusal.request?.answer ? ` (${refusal.request.answer.score} / 5)` : ''}. Nothing was changed.`;
    case 'expired':
      return `This survey closed ${refusal.request ? slackDate(refusal.request.expiresAt, '{date_short_pretty}') : 'already'}, so no score can be recorded for it any more.`;
  }
}
