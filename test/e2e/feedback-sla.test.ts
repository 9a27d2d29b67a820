import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { teamNumbers } from '../../src/metrics/numbers.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { checkboxesValue, plainTextInputValue } from '../support/slack-requests.js';
import { manualClock } from '../support/temp-dir.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Billing with an SLA for normal items: acknowledge within 2 business hours, triage 4 business hours later. */
function billingWithSla(
  sla: NonNullable<OrgConfigInput['departments'][number]['sla']>,
  more: Partial<OrgConfigInput['departments'][number]> = {},
): Partial<OrgConfigInput> {
  const config = orgConfigInput();
  const [billing, ...rest] = config.departments;
  if (!billing) throw new Error('fixture changed');
  return { departments: [{ ...billing, sla, ...more }, ...rest] };
}

const berlinBusinessHours = {
  targets: { normal: { acknowledge: '2h', resolve: '3d' } },
  business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
  triage_after: '4h',
} as NonNullable<OrgConfigInput['departments'][number]['sla']>;

const leadDms = () =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.billingLead && c.response.ok);
const triagePosts = () =>
  h.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === ids.triage && String(c.args.text).includes(':rotating_light:'));

/** Runs the scheduled jobs at the clock's time and delivers what they queued. */
async function tickAt(clock: ReturnType<typeof manualClock>, iso: string) {
  clock.set(Date.parse(iso));
  await h.loop.scheduler.tick();
  await h.loop.delivery.drain();
}

describe('SLA escalation', () => {
  it('counts only business hours in the department time zone, escalates to the leads once, then to triage once, across restarts', async () => {
    // Friday 20 November 2026, 16:00 in Berlin (CET, UTC+1): one business hour left that day.
    const clock = manualClock(Date.parse('2026-11-20T15:00:00Z'));
    h = await startHarness({
      clock,
      config: billingWithSla(berlinBusinessHours, {
        commitments: [{ text: 'No complaint left waiting', measure: 'sla_breaches', target: 0 }],
      }),
    });
    await h.rep.command(Commands.feedback, 'customer says the March invoice charged twice');
    await h.loop.delivery.drain();
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'billing', severity: 'normal' });

    // Two wall-clock hours later (17:00 UTC, 18:00 Berlin): only one business hour has passed. Counting in
    // UTC instead of Berlin would put the deadline here.
    await tickAt(clock, '2026-11-20T17:00:00Z');
    await tickAt(clock, '2026-11-21T12:00:00Z'); // Saturday
    await tickAt(clock, '2026-11-23T08:59:00Z'); // Monday 09:59 Berlin: a minute early
    expect(leadDms()).toHaveLength(0);

    // The app restarts over the weekend; the deadline is Monday 10:00 Berlin = 09:00 UTC.
    await h.restart();
    await tickAt(clock, '2026-11-23T09:00:00Z');
    expect(leadDms()).toHaveLength(1);
    const dm = String(leadDms()[0]?.args.text);
    expect(dm).toContain('FB-1');
    expect(dm).toContain('should have been acknowledged');
    // The lead can open the message from the DM: a link to it, not only the channel's name.
    const postTs = String(getFeedbackItem(h.loop.db, 1)?.postTs);
    const link = `<https://test.slack.com/archives/${ids.billingChannel}/p${postTs.replace('.', '')}|See the message>`;
    expect(dm).toContain(`${link} in <#${ids.billingChannel}>`);
    expect(triagePosts()).toHaveLength(0);

    // Later ticks, and a restart (whose start-up tick runs too), send nothing twice.
    await tickAt(clock, '2026-11-23T09:01:00Z');
    await h.restart();
    await tickAt(clock, '2026-11-23T12:59:00Z'); // 13:59 Berlin: triage is due 4 business hours after 10:00
    expect(leadDms()).toHaveLength(1);
    expect(triagePosts()).toHaveLength(0);

    await tickAt(clock, '2026-11-23T13:00:00Z');
    expect(triagePosts()).toHaveLength(1);
    const triage = String(triagePosts()[0]?.args.text);
    expect(triage).toContain('FB-1');
    expect(triage).toContain('past its time to be acknowledged');
    expect(triage).toContain(`<@${ids.billingLead}>`);
    expect(triage).toContain(link);
    await h.restart();
    await tickAt(clock, '2026-11-23T15:00:00Z');
    expect(leadDms()).toHaveLength(1);
    expect(triagePosts()).toHaveLength(1);

    // Recorded once, as one breach of Billing's SLA that week (the digest and reminders read this).
    const rows = h.loop.db
      .prepare(
        'SELECT item_id, department_id, kind, level, due_at, sent_at FROM feedback_escalations ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        item_id: 1,
        department_id: 'billing',
        kind: 'acknowledge',
        level: 'leads',
        due_at: Date.parse('2026-11-23T09:00:00Z'),
        sent_at: Date.parse('2026-11-23T09:00:00Z'),
      },
      {
        item_id: 1,
        department_id: 'billing',
        kind: 'acknowledge',
        level: 'triage',
        due_at: Date.parse('2026-11-23T13:00:00Z'),
        sent_at: Date.parse('2026-11-23T13:00:00Z'),
      },
    ]);
    const week = { start: Date.parse('2026-11-23T00:00:00Z'), end: Date.parse('2026-11-30T00:00:00Z') };
    expect(teamNumbers(h.loop.db, 'billing', week).slaBreaches).toBe(1);
    // ...and the team's sla_breaches commitment is judged from it.
    const strategy = await h.driverFor({ id: ids.billingMember, name: 'bea' }).command(Commands.strategy, '');
    const [reply] = await h.standIn.waitForResponse(1, 5000, strategy.responseUrlId);
    expect(JSON.stringify(reply?.body)).toContain('missed: 1 SLA breach, target at most 0');
  });

  it('does not escalate an item acknowledged in time, and counts every hour without business hours', async () => {
    const clock = manualClock(Date.parse('2026-11-21T10:00:00Z')); // a Saturday: no business hours set
    h = await startHarness({
      clock,
      config: billingWithSla({
        targets: { normal: { acknowledge: '1h', resolve: '3h' } },
        triage_after: '1h',
      }),
    });
    await h.rep.command(Commands.feedback, 'customer says the March invoice charged twice');
    await h.loop.delivery.drain();
    await h.driverFor({ id: ids.billingMember, name: 'bea' }).clickButton({
      actionId: FeedbackActions.acknowledge,
      value: '1:1',
    });
    await h.loop.delivery.drain();
    expect(getFeedbackItem(h.loop.db, 1)?.status).toBe('acknowledged');

    await tickAt(clock, '2026-11-21T11:30:00Z'); // the acknowledge deadline passed, but it was acknowledged
    expect(leadDms()).toHaveLength(0);

    await tickAt(clock, '2026-11-21T13:00:00Z'); // 3 hours, still not resolved: the resolve deadline
    expect(leadDms()).toHaveLength(1);
    expect(String(leadDms()[0]?.args.text)).toContain('should have been resolved');
    expect(triagePosts()).toHaveLength(0);
    await tickAt(clock, '2026-11-21T14:00:00Z');
    expect(triagePosts()).toHaveLength(1);
  });

  it('still counts the breach but does not chase an item resolved before the escalation could be sent', async () => {
    const clock = manualClock(Date.parse('2026-11-21T10:00:00Z'));
    h = await startHarness({
      clock,
      config: billingWithSla({ targets: { normal: { acknowledge: '1h' } }, triage_after: '1h' }),
    });
    await h.rep.command(Commands.feedback, 'customer says the March invoice charged twice');
    await h.loop.delivery.drain();
    h.standIn.injectFault('chat.postMessage', { kind: 'http', status: 503 });
    await tickAt(clock, '2026-11-21T11:00:00Z'); // recorded and queued; Slack fails the DM, a retry is due later
    expect(leadDms()).toHaveLength(0);

    const lead = h.driverFor({ id: ids.billingLead, name: 'lou' });
    await lead.clickButton({ actionId: FeedbackActions.resolve, value: '1:1' });
    await h.standIn.waitFor({ method: 'views.open' });
    await lead.submitView({
      callbackId: Views.feedbackResolve,
      values: {
        [L.resolutionNote]: { [FormAction]: plainTextInputValue('Refunded') },
        [L.customerContacted]: { [FormAction]: checkboxesValue([]) },
      },
    });
    expect(getFeedbackItem(h.loop.db, 1)?.status).toBe('resolved');
    await tickAt(clock, '2026-11-21T12:30:00Z'); // the retry is due now; triage time has passed too
    expect(leadDms()).toHaveLength(0);
    expect(triagePosts()).toHaveLength(0);
    const day = { start: Date.parse('2026-11-21T00:00:00Z'), end: Date.parse('2026-11-22T00:00:00Z') };
    expect(teamNumbers(h.loop.db, 'billing', day).slaBreaches).toBe(1);
  });

  it('escalates nothing for a department without an SLA', async () => {
    const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
    h = await startHarness({ clock });
    await h.rep.command(Commands.feedback, 'customer says the March invoice charged twice');
    await tickAt(clock, '2026-12-23T09:00:00Z');
    expect(leadDms()).toHaveLength(0);
    expect(h.loop.db.prepare('SELECT COUNT(*) AS n FROM feedback_escalations').get()).toEqual({ n: 0 });
  });
});
