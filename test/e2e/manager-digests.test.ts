import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { DIGEST_JOB } from '../../src/digest/service.js';
import { listRuns } from '../../src/jobs/run-log.js';
import { Commands, FeedbackActions } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { dmChannelFor } from '../support/slack-standin.js';
import { digestsTo } from '../support/surfaces.js';
import { manualClock } from '../support/temp-dir.js';

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC; the digest's default schedule is Mondays 09:00.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const BILLING_MANAGER = 'U0MGRBILL1';
const PRODUCT_MANAGER = 'U0MGRPROD1';
const NEW_YORK_MANAGER = 'U0MGRNYC01';

const ANA = { id: 'U0ANA00001', name: 'ana' }; // shipping
const LI = 'U0LI000001'; // billing

function digestConfig(digest: OrgConfigInput['digest'] = {}): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    kudos: {
      channel: 'C0KUDOS001',
      values: [{ id: 'ownership', label: 'Ownership' }],
    },
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? { ...d, members: [ids.billingMember, LI] }
        : d.id === 'shipping'
          ? { ...d, members: [ANA.id] }
          : d,
    ),
    managers: [
      { user: BILLING_MANAGER, departments: ['billing', 'shipping'] },
      { user: PRODUCT_MANAGER, departments: ['product'] },
    ],
    digest,
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(at: number, config = digestConfig()) {
  const clock = manualClock(at);
  h = await startHarness({ config: orgConfigInput(config), clock });
  return { h, clock };
}

const iso = (ms: number) => new Date(ms).toISOString();
const text = (call: { args: Record<string, unknown> } | undefined) => JSON.stringify(call?.args.blocks ?? '');

describe('weekly manager digests', () => {
  it('sends each manager a DM covering only their departments, with a chart, once across a restart', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 5 * DAY);
    h.standIn.setUser({ id: ANA.id, name: ANA.name, tz: 'Europe/Berlin' });
    h.standIn.setUser({ id: LI, name: 'li', tz: 'Europe/Berlin' });
    await h
      .driverFor(ANA)
      .command(Commands.kudos, `<@${LI}|li> for untangling the refund export before the audit #ownership`);
    await h.rep.command(Commands.feedback, 'billing: customer Jane Roe says the invoice charged her twice');
    await h.rep.command(Commands.feedback, 'the parcel never arrived, courier lost it');
    await h.rep.command(Commands.feedback, 'the app crashes at login');
    await h.loop.delivery.drain();
    // Billing acknowledges FB-1 an hour and a half after it was filed.
    clock.set(MONDAY_9_BERLIN - 5 * DAY + 90 * 60_000);
    const ack = await h
      .driverFor({ id: ids.billingMember, name: 'bea' })
      .clickButton({ actionId: FeedbackActions.acknowledge, value: '1:1' });
    expect(ack.status).toBe(200);
    await h.loop.delivery.drain();

    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      count: 2,
      where: (c) => String(c.args.text).startsWith('Weekly digest'),
    });
    await h.loop.delivery.drain();

    const [billing] = digestsTo(h, BILLING_MANAGER);
    expect(String(billing?.args.text)).toContain('2 feedback received');
    expect(text(billing)).toContain('Billing, Shipping');
    expect(text(billing)).toContain('2 (▲ 2 vs last week)');
    expect(text(billing)).toContain('*Median time to acknowledge*\\n1 h 30 min');
    expect(text(billing)).toContain('The eight-week trend chart is just above');
    expect(text(billing)).not.toContain('Product');
    // The digest leaves the department channel: no customer names or summaries in it.
    expect(text(billing)).not.toContain('Jane Roe');
    expect(text(billing)).toContain('FB-1');
    // Courtesy: Li (Billing) thanked by Ana (Shipping) counts for both, across teams, with the value's label.
    expect(text(billing)).toContain('*Kudos received*\\n1 (▲ 1 vs last week)');
    expect(text(billing)).toContain('*Thanks from other teams*\\n1 (▲ 1 vs last week)');
    expect(text(billing)).toContain('Ownership (1)');
    expect(text(billing)).toContain('untangling the refund export');
    expect(text(billing)).toContain(`<@${ANA.id}> to <@${LI}>`);
    // Billing's lead and member were not thanked in the last four weeks; Li was.
    expect(text(billing)).toContain(`<@${ids.billingLead}>`);
    expect(text(billing)).toMatch(/Not thanked in the last 4 weeks:\*(?!.*U0LI000001)/);

    const [product] = digestsTo(h, PRODUCT_MANAGER);
    expect(String(product?.args.text)).toContain('1 feedback received');
    expect(text(product)).not.toContain('Billing');

    // The chart went to each manager's DM with files.uploadV2 (upload URL, bytes, complete with the channel).
    const completes = h.standIn.callsTo('files.completeUploadExternal');
    expect(completes.map((c) => c.args.channel_id).sort()).toEqual(
      [dmChannelFor(BILLING_MANAGER), dmChannelFor(PRODUCT_MANAGER)].sort(),
    );
    expect(h.standIn.uploads).toHaveLength(2);
    expect(h.standIn.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');

    await h.loop.scheduler.tick();
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
    expect(digestsTo(h, PRODUCT_MANAGER)).toHaveLength(1);
    expect(h.standIn.uploads).toHaveLength(2);
    const runs = listRuns(h.loop.db, DIGEST_JOB, BILLING_MANAGER);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ periodStart: MONDAY_9_BERLIN - 7 * DAY, periodEnd: MONDAY_9_BERLIN });
  });

  it("counts an at-risk customer's complaints in the at-risk window and this week, links the item, and says how many open items are not listed", async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 12 * DAY);
    for (const words of ['invoice missing VAT', 'refund form broken', 'parcel never arrived'])
      await h.rep.command(Commands.feedback, words); // FB-1 to FB-3
    // Two complaints the week before, the third this week: that one marks the customer at risk.
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Refund not received yet'); // FB-4
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Charged for shipping twice'); // FB-5
    clock.set(MONDAY_9_BERLIN - 3 * DAY);
    await fileForCustomer(h, 'Dana Reyes, acct 48213', 'Invoice address still wrong'); // FB-6
    await h.loop.delivery.drain();

    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === dmChannelFor(BILLING_MANAGER) && c.response.ok,
    });
    const blocks = text(digestsTo(h, BILLING_MANAGER)[0]);
    const billingPost = h.standIn
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === ids.billingChannel && String(c.args.text).includes('FB-6'));
    const link = `https://${h.standIn.identity.teamDomain}.slack.com/archives/${ids.billingChannel}/p${String(billingPost?.response.ts).replace('.', '')}`;
    expect(blocks).toContain(`*Customers at risk: 1*`);
    expect(blocks).toContain(`latest <${link}|FB-6> · Billing · 3 complaints in 30 days, 1 this week`);
    expect(blocks).not.toContain('Dana Reyes');
    // Each routing keyword came up once this week: none is a recurring theme.
    expect(blocks).not.toContain('Top recurring themes');
    // Six open in Billing and Shipping: the oldest five (not FB-6, linked above only for being at risk), and one more.
    expect(blocks).toMatch(/\*Oldest open items\*(\\n• [^\\]*){5}\\n…and 1 more/);
  });

  it("follows each manager's own time zone", async () => {
    const config = {
      ...digestConfig(),
      managers: [{ user: NEW_YORK_MANAGER, departments: 'all' as const, timezone: 'America/New_York' }],
    };
    // 09:00 Berlin is 03:00 in New York: nothing is due for the New York manager yet.
    const { h, clock } = await start(MONDAY_9_BERLIN + 60_000, config);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, NEW_YORK_MANAGER)).toHaveLength(0);
    clock.set(Date.parse('2026-11-23T14:00:30Z')); // 09:00:30 in New York
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === dmChannelFor(NEW_YORK_MANAGER),
    });
    expect(digestsTo(h, NEW_YORK_MANAGER)).toHaveLength(1);
  });

  it('sends a Sunday 01:30 New York digest once on the night the clocks go back, a restart in the repeated hour included', async () => {
    const config = {
      ...digestConfig({ schedule: '30 1 * * 0' }),
      managers: [{ user: NEW_YORK_MANAGER, departments: 'all' as const, timezone: 'America/New_York' }],
    };
    const { h, clock } = await start(Date.parse('2026-10-31T16:00:00Z'), config);
    await h.loop.scheduler.tick();
    clock.set(Date.parse('2026-11-01T05:30:30Z')); // 01:30 EDT
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, NEW_YORK_MANAGER)).toHaveLength(1);
    clock.set(Date.parse('2026-11-01T06:30:30Z')); // 01:30 EST, an hour later: the clocks show 01:30 again
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, NEW_YORK_MANAGER)).toHaveLength(1);
    clock.set(Date.parse('2026-11-08T06:30:30Z'));
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, NEW_YORK_MANAGER)).toHaveLength(2);
    // The week of the change has 169 hours, from the first 01:30 on: no hour is reported twice or left out.
    expect(
      listRuns(h.loop.db, DIGEST_JOB, NEW_YORK_MANAGER).map((r) => [r.periodStart, r.periodEnd].map(iso)),
    ).toEqual([
      ['2026-10-25T05:30:00.000Z', '2026-11-01T05:30:00.000Z'],
      ['2026-11-01T05:30:00.000Z', '2026-11-08T06:30:00.000Z'],
    ]);
  });

  it('does not send a second digest in the same week when the manager moves to another time zone', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - HOUR);
    clock.set(MONDAY_9_BERLIN + 60_000);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
    h.writeOrgConfig(
      stringify(
        orgConfigInput({
          ...digestConfig(),
          managers: [{ user: BILLING_MANAGER, departments: ['billing'], timezone: 'America/New_York' }],
        }),
      ),
    );
    const reload = await h.driverFor({ id: ids.admin, name: 'ada' }).command(Commands.loop, 'reload');
    expect(reload.status).toBe(200);
    clock.set(Date.parse('2026-11-23T14:00:30Z')); // Monday 09:00:30 in New York
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
    // The next week's digest covers everything since the last one.
    clock.set(Date.parse('2026-11-30T14:00:30Z'));
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(2);
    const runs = listRuns(h.loop.db, DIGEST_JOB, BILLING_MANAGER);
    expect(runs.at(-1)).toMatchObject({
      periodStart: MONDAY_9_BERLIN,
      periodEnd: Date.parse('2026-11-30T14:00:00Z'),
    });
  });

  it('sends on time with catch_up_hours: 0', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - HOUR, digestConfig({ catch_up_hours: 0 }));
    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
  });

  it('records a failed run, not a retry loop, when Slack refuses the DM for good (a deactivated manager)', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - HOUR, {
      ...digestConfig({ charts: false }),
      managers: [{ user: PRODUCT_MANAGER, departments: ['product'] }],
    });
    h.standIn.injectFault('chat.postMessage', { kind: 'error', error: 'user_disabled' }, 1);
    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, PRODUCT_MANAGER)).toHaveLength(0);
    expect(listRuns(h.loop.db, DIGEST_JOB, PRODUCT_MANAGER)[0]).toMatchObject({
      status: 'failed',
      reason: 'user_disabled',
    });
    expect(h.loop.delivery.counts()).toMatchObject({ pending: 0 });
  });

  it('catches up a digest missed while the app was down, once, and skips one missed for too long', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - DAY);
    await h.loop.scheduler.tick();
    await h.stopApp(); // down over Monday 09:00
    clock.set(MONDAY_9_BERLIN + 20 * HOUR);
    await h.startApp(); // the start-up tick catches up
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === dmChannelFor(BILLING_MANAGER),
    });
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
    await h.close();
    expect(digestsTo(h, PRODUCT_MANAGER)).toHaveLength(1);

    const late = await start(MONDAY_9_BERLIN - DAY, digestConfig());
    await late.h.loop.scheduler.tick();
    await late.h.stopApp();
    late.clock.set(MONDAY_9_BERLIN + 50 * HOUR);
    await late.h.startApp();
    await late.h.loop.scheduler.tick();
    await late.h.loop.delivery.drain();
    expect(digestsTo(late.h, BILLING_MANAGER)).toHaveLength(0);
    expect(listRuns(late.h.loop.db, DIGEST_JOB, BILLING_MANAGER)[0]).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('outside the 48 h catch-up window'),
    });
  });

  it('sends a text sparkline and no upload when charts are off', async () => {
    const { h: h2, clock } = await start(MONDAY_9_BERLIN - HOUR, digestConfig({ charts: false }));
    await h2.rep.command(Commands.feedback, 'billing: the invoice is wrong');
    clock.set(MONDAY_9_BERLIN + 60_000);
    await h2.loop.scheduler.tick();
    await h2.loop.delivery.drain();
    const [off] = digestsTo(h2, BILLING_MANAGER);
    expect(text(off)).toContain('Eight-week trend');
    expect(text(off)).toMatch(/[▁▂▃▄▅▆▇█]{8}/);
    expect(h2.standIn.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('uses the sparkline when Slack refuses the upload, and still sends the digest once', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - HOUR);
    h.standIn.injectFault(
      'files.getUploadURLExternal',
      { kind: 'error', error: 'not_allowed_token_type' },
      5,
    );
    clock.set(MONDAY_9_BERLIN + 60_000);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({ method: 'chat.postMessage', count: 2 });
    await h.loop.delivery.drain();
    const [billing] = digestsTo(h, BILLING_MANAGER);
    expect(text(billing)).toContain('Eight-week trend');
    expect(text(billing)).not.toContain('chart is just above');
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
  });

  it('waits out a rate-limited upload (Retry-After) and then sends chart and digest once', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - HOUR, {
      ...digestConfig(),
      managers: [{ user: BILLING_MANAGER, departments: ['billing'] }],
    });
    h.standIn.injectFault('files.getUploadURLExternal', { kind: 'rateLimited', retryAfterSeconds: 1 }, 1);
    clock.set(MONDAY_9_BERLIN + 60_000);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain(); // parks the entry until Retry-After has passed
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(0);
    clock.set(MONDAY_9_BERLIN + 62_000);
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === dmChannelFor(BILLING_MANAGER),
    });
    await h.loop.delivery.drain();
    expect(digestsTo(h, BILLING_MANAGER)).toHaveLength(1);
    expect(text(digestsTo(h, BILLING_MANAGER)[0])).toContain('chart is just above');
    expect(h.standIn.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('/loop digest shows a manager the week so far, privately, and tells others why they have none', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN + HOUR);
    await h.rep.command(Commands.feedback, 'billing: refund still missing');
    clock.set(MONDAY_9_BERLIN + 3 * HOUR);
    const manager = h.driverFor({ id: BILLING_MANAGER, name: 'mona' });
    const mine = await manager.command(Commands.loop, 'digest');
    expect(mine.status).toBe(200);
    const [reply] = await h.standIn.waitForResponse(1, 5000, mine.responseUrlId);
    expect(reply?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply?.body)).toContain('Your digest so far');
    expect(JSON.stringify(reply?.body)).toContain('1 feedback received');

    const other = await h.rep.command(Commands.loop, 'digest');
    const [none] = await h.standIn.waitForResponse(1, 5000, other.responseUrlId);
    expect(JSON.stringify(none?.body)).toContain('You have no digest');
    expect(JSON.stringify(none?.body)).toContain(`<@${ids.admin}>`);
  });
});
