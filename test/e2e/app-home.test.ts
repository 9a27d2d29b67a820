import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { Commands, FeedbackActions } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { departmentInput, ids, orgConfigInput } from '../support/org-fixture.js';
import { appHomeOpenedEvent } from '../support/slack-requests.js';
import { manualClock } from '../support/temp-dir.js';

const BEA = { id: ids.billingMember, name: 'bea' };
const ROLE = 'We make sure every customer pays exactly what they owe.';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function homeConfig(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? {
            ...d,
            role: ROLE,
            commitments: [
              { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
            ],
          }
        : d,
    ),
  };
}

/** The Home the app publishes for the user after they open the tab, as one string. */
async function openHome(harness: Harness, user: { id: string; name: string }): Promise<string> {
  const before = harness.standIn.callsTo('views.publish').filter((c) => c.args.user_id === user.id).length;
  await harness.driverFor(user).sendEvent(appHomeOpenedEvent(user.id));
  const calls = await harness.standIn.waitFor({
    method: 'views.publish',
    count: before + 1,
    where: (c) => c.args.user_id === user.id,
  });
  const published = calls.at(-1);
  expect(published?.response.ok).toBe(true);
  return JSON.stringify(published?.args.view);
}

const permalink = (harness: Harness, channel: string) =>
  `https://${harness.standIn.identity.teamDomain}.slack.com/archives/${channel}/p`;

describe('App Home: feedback and team', () => {
  it('shows the rep the open items they filed, linked, and a department member their team, role, commitments and oldest open items', async () => {
    const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
    h = await startHarness({ config: homeConfig(), clock });
    await h.rep.command(Commands.feedback, 'billing: the invoice shows the wrong VAT'); // FB-1
    await h.rep.command(Commands.feedback, 'the parcel never arrived'); // FB-2, shipping
    await h.driverFor(BEA).command(Commands.feedback, 'billing: refund stuck in review'); // FB-3, filed by Bea
    await h.loop.delivery.drain();
    const acked = await h.driverFor(BEA).clickButton({ actionId: FeedbackActions.acknowledge, value: '1:1' });
    expect(acked.status).toBe(200);
    await h.loop.delivery.drain();
    clock.advance(60_000);

    const rep = await openHome(h, { id: ids.rep, name: 'rita' });
    expect(rep).toContain('*Filed by you, still open: 2* (newest first)');
    expect(rep).toMatch(new RegExp(`• <${permalink(h, ids.shippingChannel)}\\d+\\|FB-2> · New · Shipping`));
    expect(rep).toMatch(
      new RegExp(`• <${permalink(h, ids.billingChannel)}\\d+\\|FB-1> · Acknowledged · Billing`),
    );
    expect(rep).not.toContain('FB-3');
    expect(rep).toContain('not listed in a department');
    // Kudos are not set up in this workspace: the Home says so instead of showing empty numbers.
    expect(rep).toContain('Kudos are not set up');

    const bea = await openHome(h, BEA);
    expect(bea).toContain('*Filed by you, still open: 1*');
    expect(bea).toContain('Your team: Billing');
    expect(bea).toContain(ROLE);
    expect(bea).toContain('Acknowledge within 4 hours _(kept: median 0 min, target at most 4 h)_');
    expect(bea).toContain('*Still open: 2*');
    expect(bea).toMatch(new RegExp(`• <${permalink(h, ids.billingChannel)}\\d+\\|FB-1> · `));
    expect(bea).toMatch(new RegExp(`• <${permalink(h, ids.billingChannel)}\\d+\\|FB-3> · `));
    expect(bea).not.toContain('Your team: Shipping');
  });

  it('stays within the Home tab’s 100 blocks for someone in many teams: five in full, the others named', async () => {
    const teams = Array.from({ length: 30 }, (_, i) =>
      departmentInput({
        id: `team${i}`,
        name: `Team ${i}`,
        channel: `C0TEAM${String(i).padStart(4, '0')}`,
        members: [BEA.id],
        role: `Team ${i} keeps its promise.`,
        commitments: [
          { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
        ],
      }),
    );
    h = await startHarness({
      config: {
        departments: teams,
        kudos: { channel: 'C0KUDOS001', values: [{ id: 'ownership', label: 'Ownership' }] },
      },
      beforeStart: (s) => s.setUser({ id: BEA.id, name: BEA.name, tz: 'Europe/Berlin' }),
    });
    const home = await openHome(h, BEA);
    const view = h.standIn.homeView(BEA.id) as { blocks: unknown[] };
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(home).toContain('Your team: Team 0');
    expect(home).toContain('Your team: Team 4');
    expect(home).not.toContain('Your team: Team 5');
    expect(home).toContain('You are also in 25 more teams (Team 5, Team 6,');
    expect(home).toContain('Team 29)');
    expect(home).toContain('Left to give today');
  });
});
