import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { listRuns } from '../../src/jobs/run-log.js';
import { Commands, FeedbackActions } from '../../src/slack/ids.js';
import { REMINDER_JOB } from '../../src/strategy/service.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { manualClock } from '../support/temp-dir.js';

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const MIN = 60_000;

function configWithReminders(
  overrides: { billingSchedule?: string; catchUp?: number } = {},
): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    reminders: { catch_up_minutes: overrides.catchUp ?? 180 },
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? {
            ...d,
            role: 'We make sure every customer pays exactly what they owe, and hears back fast when they do not.',
            commitments: [
              {
                text: 'Acknowledge complaints within 4 hours',
                measure: 'median_hours_to_acknowledge',
                target: 4,
              },
              'Explain every charge in plain words',
            ],
            reminder: { schedule: overrides.billingSchedule ?? '0 9 * * 1', timezone: 'Europe/Berlin' },
          }
        : d.id === 'shipping'
          ? {
              ...d,
              role: 'We get every parcel there.',
              reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' },
            }
          : d,
    ),
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(at: number, config = configWithReminders()) {
  const clock = manualClock(at);
  h = await startHarness({ config, clock });
  return { h, clock };
}

const remindersIn = (harness: Harness, channel: string) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === channel &&
        c.response.ok &&
        String(c.args.text).includes('our part in the promise'),
    );

describe('scheduled team reminders', () => {
  it('posts each team its role, commitments and numbers once at the scheduled time, and not again after a restart', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - MIN);
    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({ method: 'chat.postMessage', count: 2 });
    await h.loop.delivery.drain();
    const [billing] = remindersIn(h, ids.billingChannel);
    const blocks = JSON.stringify(billing?.args.blocks);
    expect(blocks).toContain('every customer pays exactly what they owe');
    expect(blocks).toContain('Acknowledge complaints within 4 hours');
    expect(blocks).toContain('Feedback received');
    expect(blocks).toContain('Every customer hears back from a person within one business day.');
    expect(remindersIn(h, ids.shippingChannel)).toHaveLength(1);

    await h.loop.scheduler.tick();
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
    expect(listRuns(h.loop.db, REMINDER_JOB, 'billing')).toHaveLength(1);
  });

  it('reports the period since the last reminder, with the numbers of that period', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 6 * 24 * 60 * MIN);
    await h.rep.command(Commands.feedback, 'the invoice charged twice');
    await h.rep.command(Commands.feedback, 'another invoice problem');
    clock.set(MONDAY_9_BERLIN + MIN);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => String(c.args.text).startsWith('Billing: our part'),
    });
    const run = listRuns(h.loop.db, REMINDER_JOB, 'billing').find((r) => r.status === 'queued');
    expect(run).toMatchObject({
      status: 'queued',
      periodStart: MONDAY_9_BERLIN - 7 * 24 * 60 * MIN,
      periodEnd: MONDAY_9_BERLIN,
    });
    const [billing] = remindersIn(h, ids.billingChannel);
    expect(String(billing?.args.text)).toContain('2 feedback received');
    expect(JSON.stringify(billing?.args.blocks)).toContain('invoice (2)');
  });

  it('words the reminder as people read it: target units, minutes like the fields, no one-off "recurring" theme, what is still open', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 2 * 24 * 60 * MIN);
    await h.rep.command(Commands.feedback, 'the invoice total is wrong'); // FB-1, routed by the keyword
    for (const n of [2, 3, 4, 5, 6]) await h.rep.command(Commands.feedback, `billing: question number ${n}`);
    await h.loop.delivery.drain();
    const acked = await h
      .driverFor({ id: ids.billingMember, name: 'bea' })
      .clickButton({ actionId: FeedbackActions.acknowledge, value: '1:1' });
    expect(acked.status).toBe(200);
    await h.loop.delivery.drain();

    clock.set(MONDAY_9_BERLIN + 5);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    const [billing] = remindersIn(h, ids.billingChannel);
    const blocks = JSON.stringify(billing?.args.blocks);
    // Acknowledged within seconds: "0 min" in the field and in the commitment, whose target has its unit.
    expect(blocks).toContain('*Median time to acknowledge*\\n0 min');
    expect(blocks).toContain('_(kept: median 0 min, target at most 4 h)_');
    // "invoice" came up once: not a recurring theme.
    expect(blocks).toContain('*Top recurring theme*\\n—');
    expect(blocks).not.toContain('invoice (1)');
    // Six open: the oldest five linked to their messages, and one more.
    expect(String(billing?.args.text)).toContain('6 still open');
    const open = ((billing?.args.blocks ?? []) as { text?: { text: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.startsWith('*Still open: 6*'));
    const permalink = `https://${h.standIn.identity.teamDomain}.slack.com/archives/${ids.billingChannel}/p`;
    expect(open?.split('\n').slice(1)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => expect.stringMatching(new RegExp(`^• <${permalink}\\d+\\|FB-${n}> · `))),
      '…and 1 more',
    ]);
  });

  it('catches up a run missed while the app was down, once, inside the grace window', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 24 * 60 * MIN);
    await h.stopApp();
    clock.set(MONDAY_9_BERLIN + 120 * MIN); // back two hours late; grace is three
    await h.startApp();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
  });

  it('skips a run missed by more than the grace window, and records why', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - 24 * 60 * MIN);
    await h.stopApp();
    clock.set(MONDAY_9_BERLIN + 200 * MIN);
    await h.startApp();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(0);
    const [run] = listRuns(h.loop.db, REMINDER_JOB, 'billing');
    expect(run).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('outside the 180 min catch-up window'),
    });
  });

  it('sends an on-time run with catch_up_minutes: 0, though the minute tick fires a moment after the minute', async () => {
    const { h, clock } = await start(MONDAY_9_BERLIN - MIN, configWithReminders({ catchUp: 0 }));
    clock.set(MONDAY_9_BERLIN + 7); // node-cron's tick for 09:00 runs a few milliseconds late
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
    expect(listRuns(h.loop.db, REMINDER_JOB, 'billing')).toMatchObject([{ status: 'queued' }]);

    // A run the app really missed (down at 09:00, back at 09:05) is still skipped with catch_up_minutes: 0.
    await h.stopApp();
    clock.set(MONDAY_9_BERLIN + 7 * 24 * 60 * MIN + 5 * MIN);
    await h.startApp();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
    expect(listRuns(h.loop.db, REMINDER_JOB, 'billing').at(-1)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('outside the 0 min catch-up window'),
    });
  });

  it('sends nothing for a time before the app first knew the schedule, records no missed run, and sends the next one', async () => {
    // A brand-new install starts at 09:30, inside the 180 min catch-up window of the 09:00 run; Billing has no
    // reminder yet.
    const withReminders = configWithReminders();
    const withoutBilling = {
      ...withReminders,
      departments: (withReminders.departments ?? []).map((d) =>
        d.id === 'billing' ? { ...d, reminder: undefined } : d,
      ),
    };
    const { h, clock } = await start(MONDAY_9_BERLIN + 30 * MIN, withoutBilling);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(0);
    expect(remindersIn(h, ids.shippingChannel)).toHaveLength(0);
    // Nothing was missed, so nothing is recorded as skipped (and no "missed while down" warning is logged).
    expect(listRuns(h.loop.db, REMINDER_JOB)).toEqual([]);

    // A team whose reminder is added later by a reload is new too: its time that just passed is not caught up.
    clock.set(MONDAY_9_BERLIN + 60 * MIN);
    h.writeOrgConfig(stringify(orgConfigInput(configWithReminders({ billingSchedule: '30 9 * * 1' }))));
    await h.driverFor({ id: ids.admin, name: 'ada' }).command(Commands.loop, 'reload');
    await h.loop.scheduler.tick();
    expect(listRuns(h.loop.db, REMINDER_JOB)).toEqual([]);

    clock.set(MONDAY_9_BERLIN + 7 * 24 * 60 * MIN + 30 * MIN + 5);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
  });

  it('posts a Sunday 02:30 Berlin reminder at 03:30 on the night the clocks skip 02:30, and once when they repeat it', async () => {
    const config = configWithReminders({ billingSchedule: '30 2 * * 0' });
    const { h, clock } = await start(Date.parse('2026-03-28T12:00:00Z'), config);
    await h.loop.scheduler.tick();
    clock.set(Date.parse('2026-03-29T01:10:00Z')); // 03:10 CEST: 02:30 never happened, 03:30 has not yet come
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(0);
    clock.set(Date.parse('2026-03-29T01:30:20Z')); // 03:30 CEST
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);

    clock.set(Date.parse('2026-10-25T00:30:20Z')); // 02:30 CEST; the clocks go back at 03:00 to 02:00 CET
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    clock.set(Date.parse('2026-10-25T01:30:20Z')); // 02:30 CET
    await h.restart();
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(2);
    expect(listRuns(h.loop.db, REMINDER_JOB, 'billing').map((r) => [r.status, r.scheduledFor])).toEqual([
      ['queued', Date.parse('2026-03-29T01:30:00Z')],
      ['queued', Date.parse('2026-10-25T00:30:00Z')],
    ]);
  });

  it('reschedules on a config reload without a restart', async () => {
    // Tuesday 10:00 Berlin; the Monday run is long past and skipped.
    const tuesday10 = MONDAY_9_BERLIN + 25 * 60 * MIN;
    const { h, clock } = await start(tuesday10 - 30 * MIN);
    await h.loop.scheduler.tick();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(0);

    h.writeOrgConfig(stringify(orgConfigInput(configWithReminders({ billingSchedule: '0 10 * * 2' }))));
    const reload = await h.driverFor({ id: ids.admin, name: 'ada' }).command(Commands.loop, 'reload');
    expect(reload.text).toContain('reloaded');
    clock.set(tuesday10 + MIN);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
  });

  it('tells the admins when a team channel cannot be posted in, and still reminds the other teams', async () => {
    const clock = manualClock(MONDAY_9_BERLIN - MIN);
    h = await startHarness({
      config: configWithReminders(),
      clock,
      beforeStart: (standIn) => {
        standIn.setNotInChannel(ids.shippingChannel);
        standIn.setHandler('conversations.join', () => ({
          ok: false,
          error: 'method_not_supported_for_channel_type',
        }));
      },
    });
    clock.set(MONDAY_9_BERLIN + MIN);
    await h.loop.scheduler.tick();
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === ids.admin });
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(1);
    const alert = h.standIn.callsTo('chat.postMessage').find((c) => c.args.channel === ids.admin);
    expect(String(alert?.args.text)).toContain('could not post the reminder for *Shipping*');
    expect(listRuns(h.loop.db, REMINDER_JOB, 'shipping')[0]).toMatchObject({
      status: 'failed',
      reason: 'not_in_channel',
    });
    expect(h.loop.delivery.counts().dead).toBe(0);
  });
});

describe('/strategy and /loop remind', () => {
  it("shows the caller's own team, a named team, and explains an unknown one", async () => {
    const { h } = await start(MONDAY_9_BERLIN + 300 * MIN);
    const member = h.driverFor({ id: ids.billingMember, name: 'bea' });
    const own = await member.command(Commands.strategy, '');
    expect(own.status).toBe(200);
    const [reply] = await h.standIn.waitForResponse(1, 5000, own.responseUrlId);
    expect(JSON.stringify(reply?.body)).toContain('Billing: our part in the promise');
    expect(JSON.stringify(reply?.body)).toContain('every customer pays exactly what they owe');

    const named = await member.command(Commands.strategy, 'Shipping');
    const [shipping] = await h.standIn.waitForResponse(1, 5000, named.responseUrlId);
    expect(JSON.stringify(shipping?.body)).toContain('We get every parcel there.');

    const unknown = await member.command(Commands.strategy, 'marketing');
    const [nope] = await h.standIn.waitForResponse(1, 5000, unknown.responseUrlId);
    expect(JSON.stringify(nope?.body)).toContain("I don't know a department called “marketing”");

    const outsider = await h.rep.command(Commands.strategy, '');
    const [none] = await h.standIn.waitForResponse(1, 5000, outsider.responseUrlId);
    expect(JSON.stringify(none?.body)).toContain('not listed in a department');
  });

  it('lets an admin post a team reminder now or preview it, and refuses everyone else', async () => {
    const { h } = await start(MONDAY_9_BERLIN + 300 * MIN);
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    const preview = await admin.command(Commands.loop, 'remind billing preview');
    expect(JSON.stringify(preview.json)).toContain('Billing: our part in the promise');
    await h.loop.delivery.drain();
    expect(remindersIn(h, ids.billingChannel)).toHaveLength(0);

    const refused = await h.rep.command(Commands.loop, 'remind billing');
    expect(refused.text).toContain('for Courtesy Loop admins');

    const now = await admin.command(Commands.loop, 'remind Billing');
    expect(now.text).toContain('Posting the reminder for *Billing*');
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });

    const unknown = await admin.command(Commands.loop, 'remind marketing');
    expect(unknown.text).toContain('`billing`');
  });
});
