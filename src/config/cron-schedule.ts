import { z } from 'zod';
import { cronProblem } from '../jobs/cron.js';

/** A 5-field cron schedule in quotes; the problem with a bad one is said the way cron.ts explains it. */
export function cronSchedule(example = '"0 9 * * 1" (Mondays at 09:00)') {
  return z
    .string({ error: `must be a cron schedule in quotes, like ${example}` })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
