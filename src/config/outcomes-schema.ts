import { z } from 'zod';
import { cronSchedule } from './cron-schedule.js';
import { section, text, wholeNumber } from './schema-shapes.js';

/** Why a customer left, as the follow-up's "Left" form offers it (the first word of each is its id). */
export const DEFAULT_LEAVE_REASONS = ['price', 'quality', 'service', 'competitor', 'other'] as const;

const DAYS_MESSAGE = 'must be a whole number of days from 0 (off) to 365';

/**
 * `feedback.follow_up`: after a complaint about a named customer (or any item whose customer was at risk) is
 * resolved, its reporter is asked whether the customer stayed. `after_days` after the resolution (0: off), on the
 * next run of `schedule` (company time zone); unanswered, one reminder `reminder_days` later, and recorded as
 * unknown `reminder_days` after that.
 */
export const followUpSection = section(
  {
    after_days: wholeNumber(0, 365, DAYS_MESSAGE).default(30),
    reminder_days: wholeNumber(1, 60, 'must be a whole number of days from 1 to 60').default(7),
    schedule: cronSchedule('"0 10 * * 1-5" (weekdays at 10:00)').default('0 10 * * 1-5'),
    leave_reasons: z
      .array(text(1, 60, 'a reason'), { error: 'must be a list of reasons, like [price, quality, other]' })
      .min(1, 'must list at least one reason')
      .max(20, 'can list at most 20 reasons')
      .default([...DEFAULT_LEAVE_REASONS]),
  },
  'must be a section with `after_days`, `reminder_days`, `schedule` and/or `leave_reasons`',
);

/** `feedback.reopen_within_days`: a customer who comes back within this many days reopens the item. */
export const reopenWithinDays = wholeNumber(0, 365, DAYS_MESSAGE).default(30);
