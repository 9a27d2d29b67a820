/** The org the benchmark's app runs with: three routed departments, kudos by command and reaction, no pacing. */
import type { OrgConfigInput } from '../../src/config/org-schema.js';

export const BENCH_CHANNEL = 'C0SUPPORT1';
export const BENCH_REACTION = 'raised_hands';

export const benchOrg: OrgConfigInput = {
  company: {
    name: 'Bench Outdoor',
    promise: 'Every customer hears back from a person within one business day.',
  },
  timezone: 'Europe/Berlin',
  triage: { channel: 'C0TRIAGE01' },
  admins: ['U0ADMIN001'],
  departments: [
    {
      id: 'billing',
      name: 'Billing',
      channel: 'C0BILLING1',
      routing: {
        keywords: ['invoice', 'refund*', 'charged'],
        phrases: ['credit card'],
        patterns: ['\\bINV-\\d+\\b'],
      },
    },
    {
      id: 'shipping',
      name: 'Shipping',
      channel: 'C0SHIPPIN1',
      routing: { keywords: ['delivery', 'parcel', 'courier'], phrases: ['never arrived'] },
    },
    {
      id: 'product',
      name: 'Product',
      channel: 'C0PRODUCT1',
      routing: { keywords: ['app', 'crash', 'login'], phrases: ['logs me out'] },
    },
  ],
  // The most the schema allows: a company of 2,000 (payloads.ts) gives up to 200,000 kudos in a run, none refused.
  kudos: { channel: 'C0KUDOS001', reaction: BENCH_REACTION, daily_allowance: 100 },
  // The stand-in does not rate-limit; pacing off measures the app, not Slack's documented pace.
  delivery: { per_channel_interval_ms: 0, max_per_second: 0 },
};
