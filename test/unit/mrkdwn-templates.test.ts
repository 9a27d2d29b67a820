import { describe, expect, it } from 'vitest';
import type { Refusal } from '../../src/feedback/lifecycle.js';
import { refusalText } from '../../src/feedback/lifecycle-blocks.js';
import type { FeedbackItem } from '../../src/feedback/types.js';
import { problemText } from '../../src/kudos/blocks.js';
import type { KudosProblem } from '../../src/kudos/rules.js';
import { midLineQuoteMarkers } from '../support/mrkdwn-lines.js';
import { orgConfig } from '../support/org-fixture.js';

/**
 * The refusals are one template per reason, too many to reach through Slack one by one: every reason is
 * rendered here (the records are keyed by reason, so a new reason without a line here does not compile) and
 * scanned for line-start-only mrkdwn placed mid-line. The end-to-end tour in test/e2e/mrkdwn-templates.test.ts
 * scans everything else the app sends.
 */

const at = Date.parse('2026-11-23T09:00:00Z');
const kudosProblems = {
  'not-configured': { problem: 'not-configured' },
  'no-recipient': { problem: 'no-recipient' },
  'special-mention': { problem: 'special-mention', mention: 'here' },
  'channel-mention': { problem: 'channel-mention' },
  'too-many-recipients': { problem: 'too-many-recipients', count: 12, max: 10 },
  self: { problem: 'self' },
  'own-message': { problem: 'own-message' },
  'reaction-removed': { problem: 'reaction-removed' },
  bot: { problem: 'bot', userIds: ['U0BOT00001', 'U0BOT00002'] },
  'bot-message': { problem: 'bot-message' },
  deactivated: { problem: 'deactivated', userIds: ['U0GONE0001'] },
  'unknown-value': { problem: 'unknown-value', tags: ['speed'], valid: ['ownership'] },
  'too-many-values': { problem: 'too-many-values', tags: ['a', 'b', 'c', 'd'] },
  'value-required': { problem: 'value-required', valid: ['ownership'] },
  'reason-no-words': { problem: 'reason-no-words' },
  'reason-too-short': { problem: 'reason-too-short', length: 3, min: 10 },
  'reason-too-long': { problem: 'reason-too-long', length: 1200, max: 1000 },
  allowance: {
    problem: 'allowance',
    allowance: 5,
    used: 5,
    requested: 1,
    resetsAt: at + 3_600_000,
    timeZone: 'Europe/Berlin',
  },
  'own-kudos': { problem: 'own-kudos' },
  'plus-one-only-you': { problem: 'plus-one-only-you' },
  'plus-one-withdrawn': { problem: 'plus-one-withdrawn' },
  'recipient-cap': {
    problem: 'recipient-cap',
    userIds: ['U0LI000001'],
    cap: 2,
    resetsAt: at + 3_600_000,
    timeZone: 'Europe/Berlin',
  },
} satisfies { [K in KudosProblem['problem']]: Extract<KudosProblem, { problem: K }> };

const config = orgConfig();
const billing = config.departments[0];
const item = { reference: 'FB-6', status: 'acknowledged' } as FeedbackItem;
const refusals = {
  malformed: { reason: 'malformed' },
  'not-found': { reason: 'not-found' },
  'not-allowed': { reason: 'not-allowed', item, department: billing },
  already: { reason: 'already', item, action: 'acknowledge', by: 'U0BILMEM01', at },
  stale: { reason: 'stale', item },
  moved: { reason: 'moved', item, to: billing, by: 'U0BILEAD01', at },
  'invalid-transition': { reason: 'invalid-transition', item, action: 'reopen' },
  'same-department': { reason: 'same-department', item, department: billing },
  'unknown-department': { reason: 'unknown-department', item },
  'no-other-department': { reason: 'no-other-department', item },
  'note-required': { reason: 'note-required', item },
} satisfies { [K in Refusal['reason']]: Extract<Refusal, { reason: K }> };

describe('refusal templates', () => {
  it.each(Object.values(kudosProblems))(
    'kudos: $problem keeps line-start syntax at line starts',
    (problem) => {
      const text = problemText(problem, at);
      expect(text).not.toBe('');
      expect(midLineQuoteMarkers(text)).toEqual([]);
    },
  );

  it.each(Object.values(refusals))('feedback: $reason keeps line-start syntax at line starts', (refusal) => {
    const text = refusalText(refusal);
    expect(text).not.toBe('');
    expect(midLineQuoteMarkers(text)).toEqual([]);
  });
});
