import { type OrgConfig, type OrgConfigInput, orgConfigSchema } from '../../src/config/org-schema.js';
import type { NewFeedback } from '../../src/feedback/types.js';

/** Slack-shaped ids used across tests. */
export const ids = {
  triage: 'C0TRIAGE01',
  billingChannel: 'C0BILLING1',
  shippingChannel: 'C0SHIPPIN1',
  productChannel: 'C0PRODUCT1',
  admin: 'U0ADMIN001',
  rep: 'U0REPAAAA1',
  billingLead: 'U0BILEAD01',
  billingMember: 'U0BILMEM01',
} as const;

type DepartmentInput = OrgConfigInput['departments'][number];

export function departmentInput(overrides: Partial<DepartmentInput> & { id: string }): DepartmentInput {
  return { name: overrides.id, channel: 'C0DEFAULT1', ...overrides };
}

/** A small valid org config as written in the YAML file; override any top-level key. */
export function orgConfigInput(overrides: Partial<OrgConfigInput> = {}): OrgConfigInput {
  return {
    company: {
      name: 'Acme Outdoor',
      promise: 'Every customer hears back from a person within one business day.',
    },
    timezone: 'Europe/Berlin',
    triage: { channel: ids.triage },
    admins: [ids.admin],
    departments: [
      departmentInput({
        id: 'billing',
        name: 'Billing',
        channel: ids.billingChannel,
        leads: [ids.billingLead],
        members: [ids.billingMember],
        routing: {
          keywords: ['invoice', 'refund*', { term: 'charged', weight: 2 }],
          phrases: ['credit card'],
          patterns: ['\\bINV-\\d{4,}\\b'],
        },
      }),
      departmentInput({
        id: 'shipping',
        name: 'Shipping',
        channel: ids.shippingChannel,
        routing: { keywords: ['delivery', 'parcel', 'courier'], phrases: ['never arrived'] },
      }),
      departmentInput({
        id: 'product',
        name: 'Product & App',
        channel: ids.productChannel,
        routing: { keywords: ['app', 'crash', 'login'], phrases: ['logs me out'] },
      }),
    ],
    // Pacing as Slack asks, shortened so tests that post a lot to one channel stay fast.
    delivery: { per_channel_interval_ms: 5, per_channel_burst: 3, max_per_second: 0 },
    ...overrides,
  };
}

/** The same config parsed by the real schema, so defaults are real. */
export function orgConfig(overrides: Partial<OrgConfigInput> = {}): OrgConfig {
  return orgConfigSchema.parse(orgConfigInput(overrides));
}

/** A feedback submission as /feedback files it: a complaint for automatic routing; override any field. */
export function newFeedback(overrides: Partial<NewFeedback> = {}): NewFeedback {
  return {
    idempotencyKey: `key-${Math.random()}`,
    teamId: 'T0TEST',
    reporterId: ids.rep,
    source: 'command',
    customer: undefined,
    contactChannel: undefined,
    kind: 'complaint',
    severity: 'normal',
    summary: 'the March invoice charged twice',
    details: '',
    departmentId: undefined,
    originChannelId: 'C0ORIGIN01',
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
    ...overrides,
  };
}
