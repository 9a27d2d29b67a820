import { z } from 'zod';
import { wholeNumber } from './schema-shapes.js';

const PUBLIC_URL_MESSAGE =
  'must be the https address where customers reach this app, like https://feedback.example.com (or be left out: reps then record the score themselves)';

/**
 * `survey`: the one-question customer survey. With `public_url`, resolving an item gives the reporter a link to
 * send the customer (the page is served by the app at `<public_url>/s/<token>`, signed with SURVEY_SECRET);
 * without it (Socket Mode installs have no public address), the reporter records the customer's score in a modal.
 */
export const surveySchema = z
  .strictObject(
    {
      public_url: z
        .string({ error: PUBLIC_URL_MESSAGE })
        .trim()
        .refine((v) => {
          try {
            const url = new URL(v);
            return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash;
          } catch {
            return false;
          }
        }, PUBLIC_URL_MESSAGE)
        .transform((v) => v.replace(/\/+$/, ''))
        .optional(),
      expires_days: wholeNumber(1, 365, 'must be a whole number of days from 1 to 365').default(14),
      trust_proxy: z
        .boolean({
          error:
            'must be true or false: true only when a reverse proxy in front of the app sets X-Forwarded-For',
        })
        .default(false),
    },
    { error: 'must be a section with `public_url`, `expires_days` and/or `trust_proxy`' },
  )
  .prefault({});
