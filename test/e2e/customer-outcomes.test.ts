import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { listFeedbackEvents } from '../../src/feedback/history-repo.js';
import { getOutcomeState } from '../../src/feedback/outcome-state-repo.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { getFollowUp } from '../../src/outcomes/follow-up-repo.js';
import {
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
import { strategyFigures } from '../support/surfaces.js';
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

function withFollowUp(followUp: Record<string, unknown>, more: Partial<OrgConfigInput> = {}) {
  return {
    feedback: { follow_up: followUp, ...((more.feedback as object) ?? {}) },
    ...more,
  } as Partial<OrgConfigInput>;
}

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
