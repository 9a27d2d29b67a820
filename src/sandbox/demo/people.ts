import type { UserSpec } from '../standin/users.js';

/** The demo workspace's people and channels (ids match demo/org.yaml). */

export type DemoPerson = UserSpec & { id: string; real_name: string; role: string };

const TZ = 'Europe/Berlin';

export const DEMO_PEOPLE = [
  { id: 'U0RITA0001', name: 'rita', real_name: 'Rita Alves', role: 'Support rep', tz: TZ },
  { id: 'U0KAI00001', name: 'kai', real_name: 'Kai Brandt', role: 'Support lead', tz: TZ },
  { id: 'U0BEA00001', name: 'bea', real_name: 'Bea Lindqvist', role: 'Billing lead', tz: TZ },
  { id: 'U0BEN00001', name: 'ben', real_name: 'Ben Okafor', role: 'Billing member', tz: TZ },
  { id: 'U0SAM00001', name: 'sam', real_name: 'Sam Novak', role: 'Shipping lead', tz: TZ },
  { id: 'U0SOFIA001', name: 'sofia', real_name: 'Sofia Marino', role: 'Shipping member', tz: TZ },
  { id: 'U0PIA00001', name: 'pia', real_name: 'Pia Schulz', role: 'Product lead', tz: TZ },
  { id: 'U0PAUL0001', name: 'paul', real_name: 'Paul Dubois', role: 'Product member', tz: TZ },
  { id: 'U0MAYA0001', name: 'maya', real_name: 'Maya Chen', role: 'Manager', tz: TZ },
  { id: 'U0ADA00001', name: 'ada', real_name: 'Ada Byrne', role: 'Admin', tz: TZ },
] as const satisfies readonly DemoPerson[];

export type DemoPersonId = (typeof DEMO_PEOPLE)[number]['id'];

/** Who is who, by what they do in the demo. */
export const PEOPLE = {
  rep: 'U0RITA0001',
  supportLead: 'U0KAI00001',
  billingLead: 'U0BEA00001',
  billingMember: 'U0BEN00001',
  shippingLead: 'U0SAM00001',
  shippingMember: 'U0SOFIA001',
  productLead: 'U0PIA00001',
  productMember: 'U0PAUL0001',
  manager: 'U0MAYA0001',
  admin: 'U0ADA00001',
} as const satisfies Record<string, DemoPersonId>;

export const DEMO_CHANNELS = [
  { id: 'C0GENERAL1', name: 'general' },
  { id: 'C0SUPPORT1', name: 'support' },
  { id: 'C0BILLING1', name: 'billing' },
  { id: 'C0SHIPPIN1', name: 'shipping' },
  { id: 'C0PRODUCT1', name: 'product' },
  { id: 'C0TRIAGE01', name: 'triage' },
  { id: 'C0KUDOS001', name: 'kudos' },
] as const;

export const CHANNELS = {
  general: 'C0GENERAL1',
  support: 'C0SUPPORT1',
  billing: 'C0BILLING1',
  shipping: 'C0SHIPPIN1',
  product: 'C0PRODUCT1',
  triage: 'C0TRIAGE01',
  kudos: 'C0KUDOS001',
} as const;
