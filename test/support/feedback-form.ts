import { expect } from 'vitest';
import { FeedbackFormBlocks as B, Commands, Views } from '../../src/slack/ids.js';
import type { Harness } from './app-harness.js';
import { plainTextInputValue, staticSelectValue } from './slack-requests.js';

/** The rep files through the /feedback form, with a customer, and the app delivers what it queued. */
export async function fileForCustomer(
  h: Harness,
  customer: string,
  summary: string,
  options: { kind?: string; department?: string } = {},
): Promise<void> {
  const { kind = 'complaint', department = 'billing' } = options;
  const opened = h.standIn.callsTo('views.open').length;
  await h.rep.command(Commands.feedback, '');
  await h.standIn.waitFor({ method: 'views.open', count: opened + 1 });
  const res = await h.rep.submitView({
    callbackId: Views.feedbackForm,
    values: {
      [B.customer]: { value: plainTextInputValue(customer) },
      [B.contactChannel]: { value: staticSelectValue({ text: 'Email', value: 'email' }) },
      [B.kind]: { value: staticSelectValue({ text: kind, value: kind }) },
      [B.severity]: { value: staticSelectValue({ text: 'Normal', value: 'normal' }) },
      [B.department]: { value: staticSelectValue({ text: department, value: department }) },
      [B.summary]: { value: plainTextInputValue(summary) },
      [B.details]: { value: plainTextInputValue('') },
    },
  });
  expect(res.text).toBe('');
  await h.loop.delivery.drain();
}

/** The /feedback form's values as Slack submits them (a complaint for a customer, routed automatically). */
export function formValues(overrides: Record<string, unknown> = {}) {
  return {
    [B.customer]: { value: plainTextInputValue('Dana Reyes, acct 48213') },
    [B.contactChannel]: { value: staticSelectValue({ text: 'Phone', value: 'phone' }) },
    [B.kind]: { value: staticSelectValue({ text: 'Complaint', value: 'complaint' }) },
    [B.severity]: { value: staticSelectValue({ text: 'High', value: 'high' }) },
    [B.department]: { value: staticSelectValue(null) },
    [B.summary]: { value: plainTextInputValue('Charged twice for the March invoice') },
    [B.details]: { value: plainTextInputValue('She saw two identical charges on her card statement.') },
    ...overrides,
  };
}
