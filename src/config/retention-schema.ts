import { z } from 'zod';
import { wholeNumber } from './schema-shapes.js';

/**
 * `retention`: how long customer details (names, how they reached us, their words) are kept. Left out, they
 * are kept. The windows that read customer names (`feedback.at_risk.days`, `feedback.similarity.window_days`)
 * must fit inside it, or the app would count complaints and find similar reports it can no longer name.
 */
export const retentionSchema = z
  .strictObject(
    {
      customer_details_days: wholeNumber(
        1,
        3650,
        'must be a whole number of days from 1 to 3650 (or be left out to keep them)',
      ).optional(),
    },
    { error: 'must be a section with `customer_details_days` (or be left out to keep customer details)' },
  )
  .prefault({});

type WindowsInput = {
  retention: { customer_details_days?: number | undefined };
  feedback: { at_risk: { days: number }; similarity: { window_days: number } };
};

/** Refuse a retention shorter than a window that reads customer names, naming the window and the fix. */
export function checkRetentionWindows(config: WindowsInput, ctx: z.RefinementCtx): void {
  const days = config.retention.customer_details_days;
  if (days === undefined) return;
  const windows = [
    { key: 'feedback.at_risk.days', value: config.feedback.at_risk.days },
    { key: 'feedback.similarity.window_days', value: config.feedback.similarity.window_days },
  ];
  const longest = Math.max(...windows.map((w) => w.value));
  if (days >= longest) return;
  const needs = windows
    .filter((w) => w.value > days)
    .map((w) => `${w.key} is ${w.value}`)
    .join(' and ');
  ctx.addIssue({
    code: 'custom',
    path: ['retention', 'customer_details_days'],
    message: `is ${days} days, shorter than a window that reads customer names (${needs}); make it at least ${longest}, or shorten the window`,
  });
}
