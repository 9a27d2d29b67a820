import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { departmentInput, ids, orgConfigInput } from './org-fixture.js';
import type { SlackStandIn } from './slack-standin.js';

/** A workspace whose org config names things instead of giving ids: `#billing`, `lea@acme.test`, `@billing-team`. */
export const NAMED = {
  lead: { id: ids.billingLead, email: 'Lea@Acme.test', realName: 'Lea Lead' },
  member: { id: ids.billingMember, email: 'max@acme.test' },
  usergroup: 'S0BILLTEAM',
  privateChannel: 'G0PRIVATE1',
} as const;

/** The stand-in's channels, people and user group behind those names. */
export function setUpNamedWorkspace(s: SlackStandIn): void {
  s.setChannel({ id: ids.triage, name: 'triage' });
  s.setChannel({ id: ids.billingChannel, name: 'billing' });
  s.setChannel({ id: ids.shippingChannel, name: 'shipping' });
  s.setChannel({ id: NAMED.privateChannel, name: 'billing-leads', is_private: true });
  s.setUser({ id: NAMED.lead.id, name: 'lea', real_name: NAMED.lead.realName, email: NAMED.lead.email });
  s.setUser({ id: NAMED.member.id, name: 'max', email: NAMED.member.email });
  s.setUser({ id: ids.admin, name: 'ada', real_name: 'Ada Admin' });
  s.setUsergroup({ id: NAMED.usergroup, handle: 'billing-team', users: [NAMED.member.id] });
}

type DepartmentInput = OrgConfigInput['departments'][number];

/** The fixture org config with the triage channel and Billing written by name; override Billing's keys. */
export function namedOrgConfig(
  billing: Partial<DepartmentInput> = {},
  overrides: Partial<OrgConfigInput> = {},
) {
  return orgConfigInput({
    triage: { channel: '#triage' },
    departments: [
      departmentInput({
        id: 'billing',
        name: 'Billing',
        channel: '#billing',
        leads: ['lea@acme.test'],
        members: [NAMED.member.email],
        usergroup: '@billing-team',
        routing: { keywords: ['invoice'] },
        ...billing,
      }),
      departmentInput({ id: 'shipping', name: 'Shipping', channel: ids.shippingChannel }),
    ],
    ...overrides,
  });
}
