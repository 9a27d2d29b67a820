import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import {
  FeedbackFormBlocks as B,
  Commands,
  FeedbackActions,
  FormAction,
  KudosFormBlocks as KB,
  LifecycleFormBlocks as L,
  MessageShortcuts,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { messageMrkdwn, midLineQuoteMarkers } from '../support/mrkdwn-lines.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import {
  appHomeOpenedEvent,
  checkboxesValue,
  multiUsersSelectValue,
  plainTextInputValue,
  staticSelectValue,
} from '../support/slack-requests.js';
import { manualClock } from '../support/temp-dir.js';

/**
 * Every surface, driven as Slack drives it, with text that holds no `>` of its own: any quote marker found
 * mid-line in what the app sent comes from a template, and Slack would show it as a literal "> ".
 */

const LI = { id: 'U0LI000001', name: 'li' };
const MANAGER = 'U0MANAGER1';
const KUDOS_CHANNEL = 'C0KUDOS001';
const MIN = 60_000;

function tourConfig(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    kudos: {
      channel: KUDOS_CHANNEL,
      reaction: 'clap',
      values: [{ id: 'ownership', label: 'Ownership' }],
      withdraw_on_message_deleted: true,
    } as OrgConfigInput['kudos'],
    managers: [{ user: MANAGER, departments: 'all' as const }],
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? {
            ...d,
            members: [ids.billingMember, LI.id],
            role: 'Every customer pays exactly what they owe.',
            commitments: [
              { text: 'Acknowledge within 4 hours', measure: 'median_hours_to_acknowledge', target: 4 },
              'Explain every charge in plain words',
            ],
            sla: { targets: { high: { acknowledge: '1h', resolve: '1d' } }, triage_after: '2h' },
          }
        : d,
    ),
  } as Partial<OrgConfigInput>;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Everything the app sent: Web API calls, response_url posts and the bodies it answered requests with. */
function everythingSent(harness: Harness, answers: unknown[]): string[] {
  const texts: string[] = [];
  for (const call of harness.standIn.calls) {
    if (call.method.startsWith('chat.') || call.method.startsWith('views.'))
      texts.push(...messageMrkdwn(call.args));
  }
  for (const r of harness.standIn.responses) texts.push(...messageMrkdwn(r.body));
  for (const a of answers) texts.push(...messageMrkdwn(a));
  return texts;
}

describe('mrkdwn templates', () => {
  it('never put a quote marker (or other line-start syntax) after other text on a line', async () => {
    const clock = manualClock(Date.parse('2026-11-23T08:00:00Z'));
    h = await startHarness({ config: tourConfig(), clock });
    const answers: unknown[] = [];
    const said = async (p: Promise<{ json?: unknown }>) => {
      const res = await p;
      answers.push(res.json);
      return res;
    };
    const member = h.driverFor({ id: ids.billingMember, name: 'bea' });
    const lead = h.driverFor({ id: ids.billingLead, name: 'lou' });
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    const li = h.driverFor(LI);

    // Feedback: help, inline, the form (three times for one customer: similar reports, at risk), mine.
    await said(h.rep.command(Commands.feedback, 'help'));
    await said(h.rep.command(Commands.feedback, 'nowhere: customer asked something'));
    await said(
      h.rep.command(Commands.feedback, 'customer says the March invoice charged twice\nand again in April'),
    );
    const form = (summary: string) => ({
      [B.customer]: { [FormAction]: plainTextInputValue('Dana Reyes, acct 48213') },
      [B.contactChannel]: { [FormAction]: staticSelectValue({ text: 'Phone', value: 'phone' }) },
      [B.kind]: { [FormAction]: staticSelectValue({ text: 'Complaint', value: 'complaint' }) },
      [B.severity]: { [FormAction]: staticSelectValue({ text: 'High', value: 'high' }) },
      [B.department]: { [FormAction]: staticSelectValue(null) },
      [B.summary]: { [FormAction]: plainTextInputValue(summary) },
      [B.details]: { [FormAction]: plainTextInputValue('Two identical charges.\nShe called twice.') },
    });
    for (let i = 1; i <= 3; i++) {
      await said(h.rep.command(Commands.feedback, ''));
      await h.standIn.waitFor({ method: 'views.open', count: i });
      await said(
        h.rep.submitView({ callbackId: Views.feedbackForm, values: form('Charged twice for the invoice') }),
      );
    }
    await said(
      h.rep.messageShortcut(MessageShortcuts.forwardFeedback, { text: 'the refund never came', user: LI.id }),
    );
    await h.standIn.waitFor({ method: 'views.open', count: 4 });
    await h.loop.delivery.drain();

    // The lifecycle of FB-2: acknowledge, resolve with a note, reopen, reassign; refusals on the way.
    await said(member.clickButton({ actionId: FeedbackActions.acknowledge, value: '2:1' }));
    await said(member.clickButton({ actionId: FeedbackActions.acknowledge, value: '2:1' }));
    await said(h.rep.clickButton({ actionId: FeedbackActions.acknowledge, value: '3:1' }));
    await said(lead.clickButton({ actionId: FeedbackActions.resolve, value: '2:2' }));
    await h.standIn.waitFor({ method: 'views.open', count: 5 });
    const note = {
      [L.resolutionNote]: {
        [FormAction]: plainTextInputValue('Refunded the second charge.\nCalled her back.'),
      },
      [L.customerContacted]: { [FormAction]: checkboxesValue([]) },
    };
    await said(lead.submitView({ callbackId: Views.feedbackResolve, values: note }));
    await said(lead.clickButton({ actionId: FeedbackActions.reopen, value: '2:3' }));
    await said(lead.clickButton({ actionId: FeedbackActions.reassign, value: '2:4' }));
    await h.standIn.waitFor({ method: 'views.open', count: 6 });
    const to = {
      [L.reassignTo]: { [FormAction]: staticSelectValue({ text: 'Shipping', value: 'shipping' }) },
    };
    await said(lead.submitView({ callbackId: Views.feedbackReassign, values: to }));
    await h.loop.delivery.drain();
    clock.advance(MIN); // the old message waited for the new one, to link it
    await h.loop.delivery.drain();
    await h.standIn.waitFor({
      method: 'chat.update',
      where: (c) => JSON.stringify(c.args.blocks).includes('Reassigned to'),
    });
    await said(h.rep.command(Commands.feedback, 'mine'));
    await said(h.driverFor({ id: 'U0NOBODY01', name: 'nobody' }).command(Commands.feedback, 'mine'));

    // SLA escalation of the high-severity items still in Billing: the leads, then triage.
    clock.advance(61 * MIN);
    await h.loop.scheduler.tick();
    clock.advance(3 * 60 * MIN);
    await h.loop.scheduler.tick();
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.postMessage').some((c) => c.args.channel === ids.triage)).toBe(true);

    // Kudos: help, a command, refusals, the form, a reaction, a deleted message, the Home tab.
    await said(h.rep.command(Commands.kudos, 'help'));
    await said(
      h.rep.command(Commands.kudos, `<@${LI.id}|li> for answering the customer so patiently #ownership`),
    );
    await said(h.rep.command(Commands.kudos, `<@${h.rep.user.id}|rita> for myself`));
    await said(h.rep.messageShortcut(MessageShortcuts.giveKudos, { text: 'the fix is live', user: LI.id }));
    await h.standIn.waitFor({
      method: 'views.open',
      where: (c) => JSON.stringify(c.args).includes(Views.kudosForm),
    });
    await said(
      h.rep.submitView({
        callbackId: Views.kudosForm,
        values: {
          [KB.recipients]: { [FormAction]: multiUsersSelectValue([LI.id]) },
          [KB.reason]: { [FormAction]: plainTextInputValue('for shipping the fix\nbefore the weekend') },
          [KB.value]: { [FormAction]: staticSelectValue({ text: 'Ownership', value: 'ownership' }) },
        },
      }),
    );
    const reacted = { type: 'message', channel: 'C0SUPPORT1', ts: '1700000100.000100' };
    const reaction = (type: string, user: string) => ({
      type,
      user,
      reaction: 'clap',
      item_user: LI.id,
      item: reacted,
      event_ts: `${Math.floor(clock.now() / 1000)}.000100`,
    });
    await member.sendEvent(reaction('reaction_added', ids.billingMember));
    await h.standIn.waitFor({
      method: 'chat.postEphemeral',
      where: (c) => c.args.user === ids.billingMember,
    });
    await li.sendEvent(reaction('reaction_added', LI.id));
    await h.loop.delivery.drain();
    await h.rep.sendEvent({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: reacted.channel,
      deleted_ts: reacted.ts,
      ts: '1700000300.000100',
      event_ts: '1700000300.000100',
      previous_message: { type: 'message', user: LI.id, text: 'the fix is live', ts: reacted.ts },
    });
    await li.sendEvent(appHomeOpenedEvent(LI.id));
    await h.loop.delivery.drain();
    expect(h.standIn.homeView(LI.id)).toBeDefined();

    // Strategy, admin verbs, a reminder and the manager's digest.
    await said(li.command(Commands.strategy, ''));
    await said(li.command(Commands.strategy, 'shipping'));
    await said(admin.command(Commands.loop, 'help'));
    await said(admin.command(Commands.loop, 'status'));
    await said(admin.command(Commands.loop, 'remind billing preview'));
    await said(admin.command(Commands.loop, 'remind billing'));
    await said(h.driverFor({ id: MANAGER, name: 'max' }).command(Commands.loop, 'digest'));
    await said(li.command(Commands.loop, 'digest'));
    await h.standIn.waitForResponse(1, 5000);
    await h.loop.delivery.drain();

    const texts = everythingSent(h, answers);
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.join('\n')).toContain('&gt; '); // quotes were rendered, at the start of their lines
    expect(getFeedbackItem(h.loop.db, 2)?.departmentId).toBe('shipping');
    expect(texts.flatMap(midLineQuoteMarkers)).toEqual([]);
  });
});
