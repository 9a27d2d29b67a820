import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { listFeedbackEvents } from '../../src/feedback/history-repo.js';
import { getOutcomeState } from '../../src/feedback/outcome-state-repo.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { getFollowUp } from '../../src/outcomes/follow-up-repo.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  OutcomeActions,
  OutcomeBlocks,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { checkboxesValue, plainTextInputValue, staticSelectValue } from '../support/slack-requests.js';
import { digestsTo, figuresOf, strategyFigures } from '../support/surfaces.js';
import { manualClock } from '../support/temp-dir.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

// Monday 23 November 2026, 09:00 in Berlin (the fixture's time zone); follow-ups run weekdays at 10:00 Berlin.
const START = '2026-11-23T08:00:00Z';
const lead = () => h.driverFor({ id: ids.billingLead, name: 'lou' });
const member = () => h.driverFor({ id: ids.billingMember, name: 'bea' });
const responseIdOf = (payload: { response_url?: string }) =>
  decodeURIComponent(String(payload.response_url).split('/').pop() ?? '');

async function replyTo(payload: { response_url?: string }) {
  const [reply] = await h.standIn.waitForResponse(1, 5000, responseIdOf(payload));
  return reply?.body as { text?: string; replace_original?: boolean; response_type?: string };
}

async function tickAt(clock: ReturnType<typeof manualClock>, iso: string) {
  clock.set(Date.parse(iso));
  await h.loop.scheduler.tick();
  await h.loop.delivery.drain();
}

async function resolveItem(itemNumber: number, contacted = false) {
  const item = getFeedbackItem(h.loop.db, itemNumber);
  const opened = h.standIn.callsTo('views.open').length;
  await lead().clickButton({ actionId: FeedbackActions.resolve, value: `${itemNumber}:${item?.version}` });
  await h.standIn.waitFor({ method: 'views.open', count: opened + 1 });
  const done = await lead().submitView({
    callbackId: Views.feedbackResolve,
    values: {
      [L.resolutionNote]: { [FormAction]: plainTextInputValue('Refunded the second charge.') },
      [L.customerContacted]: {
        [FormAction]: checkboxesValue(
          contacted ? [{ text: 'The customer was contacted', value: 'contacted' }] : [],
        ),
      },
    },
  });
  expect(done.text).toBe('');
  await h.loop.delivery.drain();
}

const dmsToRep = () =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.rep && c.response.ok);
const threadLines = (itemNumber = 1) => {
  const item = getFeedbackItem(h.loop.db, itemNumber);
  return h.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.args.thread_ts === item?.postTs && c.response.ok)
    .map((c) => String(c.args.text));
};

describe('told the customer', () => {
  it('the resolved DM asks, the answer is recorded with who and when, shown in the thread, and counted', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock });
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await resolveItem(1);
    const resolvedDm = dmsToRep().find((c) => String(c.args.text).includes('was resolved'));
    expect(JSON.stringify(resolvedDm?.args.blocks)).toContain(OutcomeActions.toldCustomer);
    expect(JSON.stringify(resolvedDm?.args.blocks)).toContain(OutcomeActions.couldNotReach);
    clock.set(Date.parse(START) + 60_000);
    expect((await strategyFigures(h, 'billing')).get('Told the customer')).toBe('0%');

    // Only the reporter answers for their customer.
    const stranger = await member().clickButton({ actionId: OutcomeActions.toldCustomer });
    expect((await replyTo(stranger.payload)).text).toContain(`Only <@${ids.rep}>`);
    expect(getOutcomeState(h.loop.db, 1).contactAnswer).toBeUndefined();

    clock.set(Date.parse(START) + 3_600_000);
    const told = await h.rep.clickButton({ actionId: OutcomeActions.toldCustomer });
    expect(told.status).toBe(200);
    const reply = await replyTo(told.payload);
    expect(reply).toMatchObject({ replace_original: true });
    expect(reply.text).toContain('Recorded: you told the customer about *FB-1*');
    expect(getOutcomeState(h.loop.db, 1)).toMatchObject({
      contactAnswer: 'told',
      contactAnsweredBy: ids.rep,
      contactAnsweredAt: Date.parse(START) + 3_600_000,
    });
    await h.loop.delivery.drain();
    expect(threadLines().some((l) => l.includes(`<@${ids.rep}> told the customer`))).toBe(true);
    expect((await strategyFigures(h, 'billing')).get('Told the customer')).toBe('100%');

    // A double click records nothing twice.
    const again = await h.rep.clickButton({
      actionId: OutcomeActions.toldCustomer,
      value: `1:${getFeedbackItem(h.loop.db, 1)?.resolvedAt}`,
    });
    expect((await replyTo(again.payload)).text).toContain('already recorded');
    expect(listFeedbackEvents(h.loop.db, 1).filter((e) => e.action === 'contact_told')).toHaveLength(1);
  });

  it('couldn\'t reach them counts as not told; a resolver who ticked "contacted" told them', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock });
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await fileForCustomer(h, 'Globex', 'refund never arrived on the card');
    await resolveItem(1);
    await resolveItem(2, true);
    clock.set(Date.parse(START) + 60_000);
    expect(getOutcomeState(h.loop.db, 2)).toMatchObject({
      contactAnswer: 'told',
      contactAnsweredBy: ids.billingLead,
    });
    const dm2 = dmsToRep().find(
      (c) => String(c.args.text).includes('FB-2') && String(c.args.text).includes('resolved'),
    );
    expect(JSON.stringify(dm2?.args.blocks ?? [])).not.toContain(OutcomeActions.toldCustomer);

    const res = await h.rep.clickButton({
      actionId: OutcomeActions.couldNotReach,
      value: `1:${getFeedbackItem(h.loop.db, 1)?.resolvedAt}`,
    });
    expect((await replyTo(res.payload)).text).toContain("couldn't reach the customer");
    await h.loop.delivery.drain();
    expect(threadLines(1).some((l) => l.includes(`<@${ids.rep}> couldn't reach the customer`))).toBe(true);
    expect((await strategyFigures(h, 'billing')).get('Told the customer')).toBe('50%');
  });
});

const followUpDms = () =>
  dmsToRep().filter((c) => JSON.stringify(c.args.blocks ?? []).includes(OutcomeBlocks.followUp));
const followUpRow = (id = 1) => getFollowUp(h.loop.db, id);

describe('follow-up: did we keep the customer?', () => {
  it('asks the reporter 30 days after the resolution, once; Still a customer is recorded, threaded and counted', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await fileForCustomer(h, 'Initech', 'idea: a yearly invoice', { kind: 'suggestion' });
    await h.rep.command('/feedback', 'the invoice PDF is blank (no customer named)');
    await h.loop.delivery.drain();
    await resolveItem(1);
    await resolveItem(2);
    await resolveItem(3);

    await tickAt(clock, '2026-12-22T09:00:00Z'); // 29 days: not yet
    expect(followUpDms()).toHaveLength(0);
    await tickAt(clock, '2026-12-23T09:00:00Z'); // 30 days, the next 10:00 Berlin run
    const [dm] = followUpDms();
    expect(followUpDms()).toHaveLength(1); // the suggestion and the item without a customer are not followed
    expect(String(dm?.args.text)).toContain('*FB-1*');
    expect(String(dm?.args.text)).toContain('*ACME Corp*');
    await tickAt(clock, '2026-12-23T09:01:00Z');
    await h.restart();
    await tickAt(clock, '2026-12-23T09:02:00Z');
    expect(followUpDms()).toHaveLength(1);

    const kept = await h.rep.clickButton({ actionId: OutcomeActions.stillCustomer });
    expect((await replyTo(kept.payload)).text).toContain('Recorded for *FB-1*: still a customer');
    expect(followUpRow()).toMatchObject({ outcome: 'kept', recordedBy: ids.rep, departmentId: 'billing' });
    await h.loop.delivery.drain();
    expect(threadLines().some((l) => l.includes('followed up: still a customer'))).toBe(true);
    const again = await h.rep.clickButton({ actionId: OutcomeActions.left });
    expect((await replyTo(again.payload)).text).toContain('already answered (still a customer)');

    clock.set(Date.parse('2026-12-24T09:00:00Z'));
    const figures = await strategyFigures(h, 'billing');
    expect(figures.get('Customers kept')).toBe('1');
    expect(figures.get('Customers kept rate')).toBe('100%');
    expect(figures.get('Customers lost')).toBe('0');
  });

  it('Came back within reopen_within_days reopens the item and says so', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({
      clock,
      config: { feedback: { follow_up: { after_days: 7 } } } as Partial<OrgConfigInput>,
    });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await resolveItem(1);
    await tickAt(clock, '2026-11-30T09:00:00Z');
    const back = await h.rep.clickButton({ actionId: OutcomeActions.cameBack });
    expect((await replyTo(back.payload)).text).toContain('Reopened *FB-1*');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'reopened' });
    expect(followUpRow()).toMatchObject({ outcome: 'came_back' });
    await h.loop.delivery.drain();
    expect(threadLines().some((l) => l.includes(`<@${ids.rep}> reopened (Resolved → Reopened)`))).toBe(true);
  });

  it('Came back long after closing files a new item, linked to the old one, with the same department', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await resolveItem(1);
    await tickAt(clock, '2026-12-23T09:00:00Z'); // 30 days and an hour: more than reopen_within_days
    const back = await h.rep.clickButton({ actionId: OutcomeActions.cameBack });
    expect((await replyTo(back.payload)).text).toContain('so I filed *FB-2*, linked to it');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'resolved' });
    expect(getFeedbackItem(h.loop.db, 2)).toMatchObject({
      departmentId: 'billing',
      customer: 'ACME Corp',
      summary: 'Came back with the same problem as FB-1: the March invoice charged twice',
    });
    expect(followUpRow()).toMatchObject({ outcome: 'came_back', linkedItemId: 2 });
    await h.loop.delivery.drain();
    expect(threadLines(1).some((l) => l.includes('filed as FB-2'))).toBe(true);
    expect(getFeedbackItem(h.loop.db, 2)?.postTs).toBeDefined();
  });

  it('Left opens a form with the configured reasons; the reason and note are recorded and counted', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({
      clock,
      config: {
        feedback: { follow_up: { leave_reasons: ['price', 'moved abroad'] } },
      } as Partial<OrgConfigInput>,
    });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await resolveItem(1);
    await tickAt(clock, '2026-12-23T09:00:00Z');
    const opened = h.standIn.callsTo('views.open').length;
    await h.rep.clickButton({ actionId: OutcomeActions.left });
    const open = (await h.standIn.waitFor({ method: 'views.open', count: opened + 1 })).at(-1);
    expect(JSON.stringify(open?.args.view)).toContain('moved abroad');
    const values = (reason: string) => ({
      [OutcomeBlocks.leaveReason]: { [FormAction]: staticSelectValue({ text: reason, value: reason }) },
      [OutcomeBlocks.leaveNote]: { [FormAction]: plainTextInputValue('Went to <!channel> Globex *cheaper*') },
    });
    const bad = await h.rep.submitView({ callbackId: Views.outcomeLeft, values: values('weather') });
    expect(bad.json).toMatchObject({ response_action: 'errors' });
    expect(followUpRow()?.outcome).toBeUndefined();
    const done = await h.rep.submitView({ callbackId: Views.outcomeLeft, values: values('price') });
    expect(done.text).toBe('');
    expect(followUpRow()).toMatchObject({
      outcome: 'lost',
      reason: 'price',
      note: 'Went to <!channel> Globex *cheaper*',
    });
    await h.loop.delivery.drain();
    const line = threadLines().find((l) => l.includes('the customer left'));
    expect(line).toContain('price: Went to &lt;!channel&gt; Globex');

    clock.set(Date.parse('2026-12-24T09:00:00Z'));
    const figures = await strategyFigures(h, 'billing');
    expect(figures.get('Customers lost')).toBe('1');
    expect(figures.get('Top reasons for leaving')).toBe('price 1');
    expect(figures.get('Customers kept rate')).toBe('0%');

    // Erasing the customer on request takes the rep's note with their other words; the reason and counts stay.
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    expect((await admin.command(Commands.loop, 'forget ACME Corp')).text).toContain('1 feedback item');
    expect(followUpRow()).toMatchObject({ outcome: 'lost', reason: 'price', note: undefined });
    const history = listFeedbackEvents(h.loop.db, 1).filter((e) => e.action === 'outcome_lost');
    expect(history.map((e) => e.note)).toEqual(['price']);
    expect((await strategyFigures(h, 'billing')).get('Top reasons for leaving')).toBe('price 1');
  });

  it('unanswered: one reminder, then recorded as unknown; a reopened item is not followed up', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await fileForCustomer(h, 'Globex', 'refund never arrived on the card');
    await resolveItem(1);
    await resolveItem(2);
    await lead().clickButton({
      actionId: FeedbackActions.reopen,
      value: `2:${getFeedbackItem(h.loop.db, 2)?.version}`,
    });
    await tickAt(clock, '2026-12-23T09:00:00Z');
    expect(followUpDms()).toHaveLength(1);
    await tickAt(clock, '2026-12-29T09:00:00Z'); // six days: no reminder yet
    expect(followUpDms()).toHaveLength(1);
    await tickAt(clock, '2026-12-30T09:00:00Z');
    expect(followUpDms()).toHaveLength(2);
    expect(String(followUpDms()[1]?.args.text)).toContain('A reminder');
    expect(followUpRow()?.outcome).toBeUndefined();
    await tickAt(clock, '2027-01-06T09:00:00Z');
    expect(followUpDms()).toHaveLength(2);
    expect(followUpRow()).toMatchObject({ outcome: 'unknown', recordedBy: undefined });
    clock.set(Date.parse('2027-01-07T09:00:00Z'));
    expect((await strategyFigures(h, 'billing')).get('Customers unknown')).toBe('1');
  });
});

describe('follow-up of an at-risk customer', () => {
  it('follows up every item of a customer at risk, whatever its kind', async () => {
    const clock = manualClock(Date.parse(START));
    h = await startHarness({
      clock,
      config: { feedback: { follow_up: { after_days: 1 } } } as Partial<OrgConfigInput>,
    });
    clock.set(Date.parse(START) + 60_000); // the first tick marked where follow-ups start
    for (const summary of ['charged twice', 'charged three times', 'invoice wrong again']) {
      await fileForCustomer(h, 'ACME Corp', summary);
    }
    await fileForCustomer(h, 'ACME Corp', 'how do I download my invoices?', { kind: 'question' });
    await fileForCustomer(h, 'Globex', 'how do I download my invoices?', { kind: 'question' });
    await resolveItem(4);
    await resolveItem(5);
    await tickAt(clock, '2026-11-24T09:00:00Z');
    expect(followUpDms().map((c) => /\*FB-(\d+)\*/.exec(String(c.args.text))?.[1])).toEqual(['4']);
  });
});

describe('waiting on the customer', () => {
  const withSla = (): Partial<OrgConfigInput> => {
    const config = orgConfigInput();
    const [billing, ...rest] = config.departments;
    if (!billing) throw new Error('fixture changed');
    const sla = { targets: { normal: { acknowledge: '1h', resolve: '3d' } }, triage_after: '4h' };
    return { departments: [{ ...billing, sla } as typeof billing, ...rest] };
  };
  const MIN = 60_000;
  const at = (minutes: number) => new Date(Date.parse(START) + minutes * MIN).toISOString();
  const leadDms = () =>
    h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.billingLead && c.response.ok);

  it('pauses the SLA clock until the customer answers, shown on the message, in the thread and in the DM', async () => {
    const clock = manualClock(Date.parse(START) + MIN);
    h = await startHarness({ clock, config: withSla() });
    await h.rep.command('/feedback', 'customer says the March invoice charged twice');
    await h.loop.delivery.drain();
    clock.set(Date.parse(at(11)));
    const wait = await member().clickButton({ actionId: OutcomeActions.waitOnCustomer });
    expect(wait.text).toBe('');
    expect(getOutcomeState(h.loop.db, 1).waitingSince).toBe(Date.parse(at(11)));
    await h.loop.delivery.drain();
    const item = getFeedbackItem(h.loop.db, 1);
    const update = h.standIn
      .callsTo('chat.update')
      .filter((c) => c.args.ts === item?.postTs)
      .at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain(OutcomeActions.resume);
    expect(JSON.stringify(update?.args.blocks)).toContain('Waiting on the customer');
    expect(threadLines().some((l) => l.includes(`<@${ids.billingMember}> is waiting on the customer`))).toBe(
      true,
    );
    const dm = dmsToRep().find((c) => String(c.args.text).includes('is waiting on the customer'));
    expect(JSON.stringify(dm?.args.blocks)).toContain(OutcomeActions.customerAnswered);

    await tickAt(clock, at(120)); // past the 1 h deadline in wall time, but the clock is paused
    expect(leadDms()).toHaveLength(0);
    clock.set(Date.parse(at(180)));
    const answered = await h.rep.clickButton({ actionId: OutcomeActions.customerAnswered });
    expect((await replyTo(answered.payload)).text).toContain('the customer answered about *FB-1*');
    expect(getOutcomeState(h.loop.db, 1)).toMatchObject({ waitingSince: undefined, slaPausedMs: 169 * MIN });
    await h.loop.delivery.drain();
    expect(threadLines().some((l) => l.includes("recorded the customer's answer"))).toBe(true);

    await tickAt(clock, at(229)); // deadline: filed at 1 + 60 min + 169 min paused = 230
    expect(leadDms()).toHaveLength(0);
    await tickAt(clock, at(230));
    expect(leadDms()).toHaveLength(1);
  });

  it('the department resumes it; only its members may, and the reporter hears of both changes', async () => {
    const clock = manualClock(Date.parse(START) + MIN);
    h = await startHarness({ clock, config: withSla() });
    await h.rep.command('/feedback', 'customer says the March invoice charged twice');
    await h.loop.delivery.drain();
    const outsider = await h.rep.clickButton({ actionId: OutcomeActions.waitOnCustomer });
    expect((await replyTo(outsider.payload)).text).toContain('Only members and leads of *Billing*');
    await member().clickButton({ actionId: OutcomeActions.waitOnCustomer });
    await h.loop.delivery.drain();
    const resume = await lead().clickButton({ actionId: OutcomeActions.resume });
    expect(resume.text).toBe('');
    expect(getOutcomeState(h.loop.db, 1).waitingSince).toBeUndefined();
    await h.loop.delivery.drain();
    expect(
      dmsToRep().some((c) => String(c.args.text).includes(`<@${ids.billingLead}> in *Billing* resumed`)),
    ).toBe(true);
    const late = await h.rep.clickButton({ actionId: OutcomeActions.customerAnswered });
    expect((await replyTo(late.payload)).text).toContain('is not waiting on the customer');
  });
});

describe('customers kept and lost in the digest, the team reminder and /strategy', () => {
  it('show the same hand-counted figures, each with its change against the previous period', async () => {
    const MANAGER = 'U0MANAGER1';
    const config = orgConfigInput({
      feedback: { follow_up: { after_days: 1 } },
      managers: [{ user: MANAGER, departments: ['billing', 'shipping'] }],
    } as Partial<OrgConfigInput>);
    config.departments = config.departments.map((d) => ({
      ...d,
      reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' },
      ...(d.id === 'billing'
        ? { commitments: [{ text: 'Keep our customers', measure: 'customers_kept_rate', target: 60 }] }
        : {}),
    }));
    const clock = manualClock(Date.parse(START));
    h = await startHarness({ clock, config });
    clock.set(Date.parse(START) + 60_000);
    // This week (Mon 23 to Mon 30 Nov): three Billing complaints with customers, one Shipping.
    await fileForCustomer(h, 'ACME Corp', 'the March invoice charged twice');
    await fileForCustomer(h, 'Globex', 'refund never arrived on the card');
    await fileForCustomer(h, 'Initech', 'charged for a cancelled plan');
    await fileForCustomer(h, 'Umbrella', 'the parcel never arrived', { department: 'shipping' });
    for (const n of [1, 2, 3]) await resolveItem(n);
    await h.rep.clickButton({
      actionId: OutcomeActions.toldCustomer,
      value: `1:${getFeedbackItem(h.loop.db, 1)?.resolvedAt}`,
    });
    await h.rep.clickButton({
      actionId: OutcomeActions.toldCustomer,
      value: `2:${getFeedbackItem(h.loop.db, 2)?.resolvedAt}`,
    });
    await h.rep.clickButton({
      actionId: OutcomeActions.couldNotReach,
      value: `3:${getFeedbackItem(h.loop.db, 3)?.resolvedAt}`,
    });
    await tickAt(clock, '2026-11-24T09:00:00Z'); // a day later: the three follow-ups are asked
    expect(followUpDms()).toHaveLength(3);
    const followUpValue = (n: number) => String(n);
    await h.rep.clickButton({ actionId: OutcomeActions.stillCustomer, value: followUpValue(1) });
    const opened = h.standIn.callsTo('views.open').length;
    await h.rep.clickButton({ actionId: OutcomeActions.left, value: followUpValue(2) });
    await h.standIn.waitFor({ method: 'views.open', count: opened + 1 });
    await h.rep.submitView({
      callbackId: Views.outcomeLeft,
      values: {
        [OutcomeBlocks.leaveReason]: { [FormAction]: staticSelectValue({ text: 'price', value: 'price' }) },
      },
    });
    await h.rep.clickButton({ actionId: OutcomeActions.stillCustomer, value: followUpValue(3) });

    await tickAt(clock, '2026-11-30T08:00:00Z'); // Monday 09:00 Berlin: digests and reminders
    const digest = digestsTo(h, MANAGER).at(-1); // the first, at start-up, was last week's
    const d = figuresOf(digest?.args.blocks);
    expect(d.get('Customers kept')).toBe('2');
    expect(d.get('Customers lost')).toBe('1');
    expect(d.get('Customers unknown')).toBe('0');
    expect(d.get('Customers kept rate')).toBe('67%');
    expect(d.get('Told the customer')).toBe('67%');
    expect(d.get('Top reasons for leaving')).toBe('price 1');
    const digestText = JSON.stringify(digest?.args.blocks);
    expect(digestText).toContain('2 (▲ 2 vs last week)');
    expect(digestText).toContain('*Billing*: kept 2, lost 1 (price 1), unknown 0, told the customer 67%');
    expect(digestText).toContain('*Shipping*: kept 0, lost 0, unknown 0, told the customer —');
    expect(digestText).not.toContain('ACME');

    const reminder = h.standIn
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          c.args.channel === ids.billingChannel && String(c.args.text).includes('our part in the promise'),
      )
      .at(-1);
    const r = figuresOf(reminder?.args.blocks);
    for (const key of [
      'Customers kept',
      'Customers lost',
      'Customers kept rate',
      'Told the customer',
      'Top reasons for leaving',
    ]) {
      expect(r.get(key), key).toBe(d.get(key));
    }
    expect(JSON.stringify(reminder?.args.blocks)).toContain('Keep our customers');
    expect(JSON.stringify(reminder?.args.blocks)).toContain('67% customers kept, target at least 60%');
    const s = await strategyFigures(h, 'billing');
    for (const key of ['Customers kept', 'Customers lost', 'Customers kept rate', 'Told the customer']) {
      expect(s.get(key), key).toBe(d.get(key));
    }
  });
});
