import { afterEach, describe, expect, it } from 'vitest';
import {
  Commands,
  FeedbackActions,
  FormAction,
  KudosFormBlocks as KB,
  LifecycleFormBlocks as L,
  ResolvedDmActions,
  Views,
} from '../../src/slack/ids.js';
import type { Harness } from '../support/app-harness.js';
import {
  activeLedger,
  closeKudosWorkspaces,
  KUDOS_CHANNEL,
  LI,
  startKudosWorkspace,
} from '../support/kudos-workspace.js';
import { ids } from '../support/org-fixture.js';
import {
  checkboxesValue,
  multiUsersSelectValue,
  plainTextInputValue,
  staticSelectValue,
} from '../support/slack-requests.js';

/** The reporter's "resolved" DM offers to thank the people who fixed the item, with the kudos form filled in. */
let h: Harness;
afterEach(closeKudosWorkspaces);

const LEAD = { id: ids.billingLead, name: 'lou' };

/** The rep files a billing complaint; Li acknowledges it and the lead resolves it. */
async function fileAndFix(harness: Harness, acknowledger: { id: string; name: string } = LI) {
  await harness.rep.command(Commands.feedback, 'billing: the March invoice charged the customer twice');
  await harness.loop.idle();
  await harness.driverFor(acknowledger).clickButton({ actionId: FeedbackActions.acknowledge });
  await harness.loop.idle();
  const lead = harness.driverFor(LEAD);
  await lead.clickButton({ actionId: FeedbackActions.resolve });
  await harness.standIn.waitFor({ method: 'views.open' });
  const done = await lead.submitView({
    callbackId: Views.feedbackResolve,
    values: {
      [L.resolutionNote]: { [FormAction]: plainTextInputValue('Refunded the second charge.') },
      [L.customerContacted]: { [FormAction]: checkboxesValue([]) },
    },
  });
  expect(done.status).toBe(200);
  expect(done.text).toBe('');
  await harness.loop.idle();
}

const resolvedDm = (harness: Harness) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .map((c) => c.args)
    .find((m) => m.channel === ids.rep && String(m.text).includes('was resolved by'));
const lastViewOpened = (harness: Harness) =>
  JSON.stringify(harness.standIn.callsTo('views.open').at(-1)?.args.view);

describe('Thank the people who fixed it', () => {
  it('opens the kudos form with whoever acknowledged and resolved the item, and the kudos links to the item', async () => {
    ({ h } = await startKudosWorkspace());
    await fileAndFix(h);
    expect(JSON.stringify(resolvedDm(h)?.blocks)).toContain('Thank the people who fixed it');

    const click = await h.rep.clickButton({ actionId: ResolvedDmActions.thankFixers });
    expect(click.status).toBe(200);
    await h.standIn.waitFor({ method: 'views.open', count: 2 });
    const view = lastViewOpened(h);
    expect(view).toContain(Views.kudosForm);
    expect(view).toContain(`"initial_users":["${LI.id}","${LEAD.id}"]`);
    expect(view).toContain('Thanking the people who fixed *FB-1*');

    await h.rep.submitView({
      callbackId: Views.kudosForm,
      values: {
        [KB.recipients]: { [FormAction]: multiUsersSelectValue([LI.id, LEAD.id]) },
        [KB.reason]: { [FormAction]: plainTextInputValue('for sorting the double charge the same day') },
        [KB.value]: { [FormAction]: staticSelectValue(null) },
      },
    });
    await h.loop.idle();
    expect(activeLedger(h).map((r) => [r.giver_id, r.recipient_id])).toEqual([
      [ids.rep, LI.id],
      [ids.rep, LEAD.id],
    ]);
    const [post] = h.standIn.messagesIn(KUDOS_CHANNEL);
    const item = h.loop.db.prepare('SELECT post_ts FROM feedback_items WHERE id = 1').get() as {
      post_ts: string;
    };
    // The kudos links to the item's department message.
    expect(JSON.stringify(post?.blocks)).toContain(`p${item.post_ts.replace('.', '')}`);
  });

  it('leaves the reporter out of the people to thank', async () => {
    ({ h } = await startKudosWorkspace({ billingMembers: [ids.rep] }));
    await fileAndFix(h, { id: ids.rep, name: 'rep' });
    await h.rep.clickButton({ actionId: ResolvedDmActions.thankFixers });
    await h.standIn.waitFor({ method: 'views.open', count: 2 });
    expect(lastViewOpened(h)).toContain(`"initial_users":["${LEAD.id}"]`);
  });

  it('is not offered when kudos are off', async () => {
    ({ h } = await startKudosWorkspace({ config: { kudos: undefined } }));
    await fileAndFix(h);
    expect(resolvedDm(h)).toBeDefined();
    // Other rooms' blocks (told the customer) may be there; the thank-the-fixers button is not.
    expect(JSON.stringify(resolvedDm(h)?.blocks ?? [])).not.toContain(ResolvedDmActions.thankFixers);
  });

  it('answers someone other than the reporter politely, and opens nothing', async () => {
    ({ h } = await startKudosWorkspace());
    await fileAndFix(h);
    const click = await h.driverFor(LI).clickButton({ actionId: ResolvedDmActions.thankFixers, value: '1' });
    const responseId = decodeURIComponent(String(click.payload.response_url).split('/').pop() ?? '');
    const [answer] = await h.standIn.waitForResponse(1, 5000, responseId);
    expect(JSON.stringify(answer)).toContain('This button is for the person who filed *FB-1*');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1); // the resolve form only
  });
});
