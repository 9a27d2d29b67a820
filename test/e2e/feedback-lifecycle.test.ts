import { afterEach, describe, expect, it } from 'vitest';
import { listFeedbackEvents } from '../../src/feedback/history-repo.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks as L,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import {
  checkboxesValue,
  plainTextInputValue,
  type SlackDriver,
  staticSelectValue,
} from '../support/slack-requests.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const text = (v: unknown) => JSON.stringify(v);
const member = () => h.driverFor({ id: ids.billingMember, name: 'bea' });
const lead = () => h.driverFor({ id: ids.billingLead, name: 'lou' });
const responseIdOf = (payload: { response_url?: string }) =>
  decodeURIComponent(String(payload.response_url).split('/').pop() ?? '');
const events = (itemId = 1) => listFeedbackEvents(h.loop.db, itemId).filter((e) => e.action !== 'created');

/** Files one complaint that routes to Billing and waits until its message is in the channel. */
async function fileBillingItem(words = 'customer says the March invoice charged twice') {
  await h.rep.command(Commands.feedback, words);
  await h.loop.delivery.drain();
  const item = getFeedbackItem(h.loop.db, 1);
  expect(item?.postTs).toBeDefined();
  return item;
}

/** Billing's members also come from a Slack user group with these users. */
function useBillingGroup(users: string[]) {
  const config = orgConfigInput();
  const billing = config.departments[0];
  if (!billing) throw new Error('fixture changed');
  billing.usergroup = 'S0BILLING1';
  h.writeOrgConfig(JSON.stringify(config));
  expect(h.loop.config.reload().ok).toBe(true);
  h.standIn.setHandler('usergroups.users.list', (args) =>
    args.usergroup === 'S0BILLING1' ? { ok: true, users } : { ok: false, error: 'no_such_subteam' },
  );
}

/** What the app answered a click with on its response_url (ephemeral replies). */
async function repliesTo(payload: { response_url?: string }, count = 1) {
  return h.standIn.waitForResponse(count, 5000, responseIdOf(payload));
}

async function click(driver: SlackDriver, actionId: string, value?: string) {
  const res = await driver.clickButton({ actionId, ...(value !== undefined ? { value } : {}) });
  expect(res.status).toBe(200);
  return res;
}

async function updatesOfBillingPost() {
  const item = getFeedbackItem(h.loop.db, 1);
  return h.standIn.callsTo('chat.update').filter((c) => c.args.ts === item?.postTs && c.response.ok);
}

function noteValues(note: string | null, contacted: boolean) {
  return {
    [L.resolutionNote]: { [FormAction]: plainTextInputValue(note) },
    [L.customerContacted]: {
      [FormAction]: checkboxesValue(
        contacted ? [{ text: 'The customer was contacted', value: 'contacted' }] : [],
      ),
    },
  };
}

describe('department message buttons', () => {
  it('shows Acknowledge, Resolve and Reassign on a new item, each carrying the item and its version', async () => {
    h = await startHarness();
    await fileBillingItem();
    const post = h.standIn.callsTo('chat.postMessage').find((c) => c.args.channel === ids.billingChannel);
    const blocks = text(post?.args.blocks);
    for (const a of [FeedbackActions.acknowledge, FeedbackActions.resolve, FeedbackActions.reassign]) {
      expect(blocks).toContain(a);
    }
    expect(blocks).not.toContain(FeedbackActions.reopen);
    expect(blocks).toContain('"value":"1:1"');
  });

  it('Acknowledge: updates the message in place, replies in its thread, DMs the reporter, records who and when', async () => {
    h = await startHarness();
    const item = await fileBillingItem();
    const res = await click(member(), FeedbackActions.acknowledge);
    expect(res.text).toBe('');
    // Persisted before the answer went back to Slack.
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'acknowledged', version: 2 });
    expect(events()).toMatchObject([
      { actorId: ids.billingMember, action: 'acknowledge', fromStatus: 'new', toStatus: 'acknowledged' },
    ]);

    const [update] = await h.standIn.waitFor({
      method: 'chat.update',
      where: (c) => c.args.ts === item?.postTs,
    });
    expect(update?.response.ok).toBe(true);
    const updated = text(update?.args.blocks);
    expect(updated).toContain('Acknowledged');
    expect(updated).not.toContain(FeedbackActions.acknowledge);
    expect(updated).toContain(FeedbackActions.resolve);
    expect(updated).toContain('"value":"1:2"');
    expect(updated).toContain(`<@${ids.billingMember}> acknowledged`);

    const [thread] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.thread_ts === item?.postTs,
    });
    expect(thread?.args.channel).toBe(ids.billingChannel);
    expect(String(thread?.args.text)).toContain(`<@${ids.billingMember}> acknowledged (New → Acknowledged)`);

    const [dm] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.rep,
    });
    expect(String(dm?.args.text)).toContain('FB-1');
    expect(String(dm?.args.text)).toContain(`acknowledged by <@${ids.billingMember}>`);
  });

  it('Resolve: opens a modal with the trigger id, refuses an empty note, then resolves with the note and tells the reporter', async () => {
    h = await startHarness();
    await fileBillingItem();
    const res = await click(lead(), FeedbackActions.resolve);
    const [open] = await h.standIn.waitFor({ method: 'views.open' });
    expect(open?.args.trigger_id).toBe(res.payload.trigger_id);
    expect(open?.response.ok).toBe(true);
    expect(text(open?.args.view)).toContain(Views.feedbackResolve);

    const empty = await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('   ', false),
    });
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { [L.resolutionNote]: expect.any(String) },
    });
    const missing = await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues(null, false),
    });
    expect(missing.json).toMatchObject({ response_action: 'errors' });
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'new', version: 1 });

    const done = await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Refunded the second charge; card statement will show it in 3 days.', true),
    });
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({
      status: 'resolved',
      resolutionNote: 'Refunded the second charge; card statement will show it in 3 days.',
      customerContacted: true,
    });
    expect(events()).toMatchObject([
      { actorId: ids.billingLead, action: 'resolve', fromStatus: 'new', toStatus: 'resolved' },
    ]);

    const [dm] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.rep && String(c.args.text).includes('resolved'),
    });
    expect(String(dm?.args.text)).toContain('Refunded the second charge');
    expect(String(dm?.args.text)).toContain('already contacted the customer');

    await h.loop.delivery.drain();
    const [update] = await updatesOfBillingPost();
    const blocks = text(update?.args.blocks);
    expect(blocks).toContain('Resolved');
    expect(blocks).toContain('Refunded the second charge');
    expect(blocks).toContain(FeedbackActions.reopen);
    expect(blocks).not.toContain(FeedbackActions.resolve);
  });

  it('escapes the resolution note everywhere it is posted, so it pings nobody', async () => {
    h = await startHarness();
    const item = await fileBillingItem();
    await click(lead(), FeedbackActions.resolve);
    await h.standIn.waitFor({ method: 'views.open' });
    await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Called them <!here> & <@U0EVIL0001> *done*', false),
    });
    await h.loop.delivery.drain();
    const escaped = '&lt;!here&gt; &amp; &lt;@U0EVIL0001&gt;';
    const dm = h.standIn
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === ids.rep)
      .at(-1);
    const thread = h.standIn.callsTo('chat.postMessage').find((c) => c.args.thread_ts === item?.postTs);
    const [update] = await updatesOfBillingPost();
    for (const posted of [String(dm?.args.text), String(thread?.args.text), text(update?.args.blocks)]) {
      expect(posted).toContain(escaped);
      expect(posted).not.toContain('<!here>');
      expect(posted).not.toContain('<@U0EVIL0001>');
    }
  });

  it('Reopen: puts a resolved item back in play with a new SLA clock', async () => {
    h = await startHarness();
    await fileBillingItem();
    await click(member(), FeedbackActions.resolve);
    await h.standIn.waitFor({ method: 'views.open' });
    await member().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Refund sent', false),
    });
    await h.loop.delivery.drain();
    await click(member(), FeedbackActions.reopen);
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'reopened', version: 3 });
    await h.loop.delivery.drain();
    const updates = await updatesOfBillingPost();
    const last = text(updates.at(-1)?.args.blocks);
    expect(last).toContain('Reopened');
    expect(last).toContain(FeedbackActions.acknowledge);
    expect(last).toContain('"value":"1:3"');
    const dms = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.rep);
    expect(String(dms.at(-1)?.args.text)).toContain('reopened');
  });

  it('Reassign: of two forms opened at once, the second is refused once the item has moved', async () => {
    // Bea belongs to Billing and Shipping, so only the move itself can stop her second form.
    const config = orgConfigInput();
    for (const d of config.departments) if (d.id === 'shipping') d.members = [ids.billingMember];
    h = await startHarness({ config });
    await fileBillingItem();
    await click(member(), FeedbackActions.reassign);
    await click(member(), FeedbackActions.reassign);
    const opened = await h.standIn.waitFor({ method: 'views.open', count: 2 });
    const viewIds = opened.map((c) => String((c.response as { view?: { id?: string } }).view?.id));
    const to = (dept: string) => ({
      [L.reassignTo]: { [FormAction]: staticSelectValue({ text: dept, value: dept }) },
    });
    const first = await member().submitView({
      viewId: viewIds[0] as string,
      callbackId: Views.feedbackReassign,
      values: to('shipping'),
    });
    expect(first.text).toBe('');
    const second = await member().submitView({
      viewId: viewIds[1] as string,
      callbackId: Views.feedbackReassign,
      values: to('product'),
    });
    expect(second.json).toMatchObject({ response_action: 'errors' });
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'shipping' });
    expect(events().filter((e) => e.action === 'reassign')).toHaveLength(1);
  });

  it('Reassign: a form opened before someone else moved the item says first that it moved, where and by whom', async () => {
    h = await startHarness({
      beforeStart: (s) => s.setUser({ id: ids.billingLead, name: 'lou', display_name: 'Lou Park' }),
    });
    await fileBillingItem();
    await click(member(), FeedbackActions.reassign); // Bea (Billing only) opens the form...
    await click(lead(), FeedbackActions.reassign); // ...and so does Lou, who is quicker
    const opened = await h.standIn.waitFor({ method: 'views.open', count: 2 });
    const [beaView, louView] = opened.map((c) => String((c.response as { view?: { id?: string } }).view?.id));
    const to = (dept: string) => ({
      [L.reassignTo]: { [FormAction]: staticSelectValue({ text: dept, value: dept }) },
    });
    await lead().submitView({
      viewId: louView as string,
      callbackId: Views.feedbackReassign,
      values: to('shipping'),
    });
    const late = await member().submitView({
      viewId: beaView as string,
      callbackId: Views.feedbackReassign,
      values: to('product'),
    });
    expect(late.json).toMatchObject({
      response_action: 'errors',
      errors: { [L.reassignTo]: expect.stringContaining('FB-1 was already moved to Shipping by @Lou Park') },
    });
    expect(text(late.json)).not.toContain('Only members');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'shipping' });
  });

  it('Reassign: moves the item, the old message says where it went, the new channel gets it with the history', async () => {
    h = await startHarness();
    const item = await fileBillingItem();
    await click(member(), FeedbackActions.acknowledge);
    await h.loop.delivery.drain();
    const res = await click(member(), FeedbackActions.reassign);
    const [open] = await h.standIn.waitFor({ method: 'views.open' });
    expect(open?.args.trigger_id).toBe(res.payload.trigger_id);
    expect(text(open?.args.view)).not.toContain('"value":"billing"'); // the current department is not offered

    const selectValues = (dept: string) => ({
      [L.reassignTo]: { [FormAction]: staticSelectValue({ text: dept, value: dept }) },
    });
    const same = await member().submitView({
      callbackId: Views.feedbackReassign,
      values: selectValues('billing'),
    });
    expect(same.json).toMatchObject({
      response_action: 'errors',
      errors: { [L.reassignTo]: expect.stringContaining('already with') },
    });
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'billing', version: 2 });

    const moved = await member().submitView({
      callbackId: Views.feedbackReassign,
      values: selectValues('shipping'),
    });
    expect(moved.text).toBe('');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'shipping', status: 'new' });
    await h.loop.delivery.drain();

    // The old message links the new one, so it is updated once the new one is posted.
    const [old] = await h.standIn.waitFor({
      method: 'chat.update',
      where: (c) => c.args.ts === item?.postTs && text(c.args.blocks).includes('Reassigned to'),
    });
    const oldBlocks = text(old?.args.blocks);
    expect(oldBlocks).toContain('Reassigned to *Shipping*');
    expect(oldBlocks).not.toContain('"type":"actions"');
    // ...and links the message that is followed up now.
    const newTs = String(getFeedbackItem(h.loop.db, 1)?.postTs).replace('.', '');
    expect(oldBlocks).toContain(
      `It is followed up in <#${ids.shippingChannel}>: <https://test.slack.com/archives/${ids.shippingChannel}/p${newTs}|see the message>`,
    );
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) =>
        c.args.thread_ts === item?.postTs &&
        String(c.args.text).includes('reassigned from *Billing* to *Shipping*'),
    });

    const fresh = h.standIn.callsTo('chat.postMessage').find((c) => c.args.channel === ids.shippingChannel);
    const freshBlocks = text(fresh?.args.blocks);
    expect(freshBlocks).toContain('FB-1');
    expect(freshBlocks).toContain(`<@${ids.billingMember}> acknowledged`);
    expect(freshBlocks).toContain('reassigned from *Billing* to *Shipping*');
    expect(freshBlocks).toContain(FeedbackActions.acknowledge);
    // Who moved it is a mention Slack renders, not escaped text that shows as a literal <@U…>.
    expect(freshBlocks).toContain(`reassigned by <@${ids.billingMember}>`);
    expect(freshBlocks).not.toContain('&lt;@');
    expect(getFeedbackItem(h.loop.db, 1)?.postChannelId).toBe(ids.shippingChannel);

    // Billing may no longer change it: it belongs to Shipping now.
    const late = await member().clickButton({
      actionId: FeedbackActions.acknowledge,
      messageTs: fresh?.response.ts as string,
    });
    const [reply] = await repliesTo(late.payload);
    expect(text(reply?.body)).toContain('Only members and leads of *Shipping*');
  });
});

describe('who may change an item, and clicks that cannot change anything', () => {
  it('refuses a non-member politely and changes nothing', async () => {
    h = await startHarness();
    await fileBillingItem();
    const res = await click(h.rep, FeedbackActions.acknowledge);
    const [reply] = await repliesTo(res.payload);
    expect(reply?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(text(reply?.body)).toContain('Only members and leads of *Billing* can change *FB-1*');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'new', version: 1 });
    expect(events()).toEqual([]);
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.update')).toEqual([]);
  });

  it("lets admins and any department lead pick up triage items, but not change a department's items", async () => {
    h = await startHarness();
    await fileBillingItem(); // FB-1, Billing
    await h.rep.command(Commands.feedback, 'the weather was nice today'); // FB-2, triage
    await h.loop.delivery.drain();
    expect(getFeedbackItem(h.loop.db, 2)?.departmentId).toBeUndefined();
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });

    const refused = await click(admin, FeedbackActions.acknowledge, '1:1');
    const [reply] = await repliesTo(refused.payload);
    expect(text(reply?.body)).toContain('Only members and leads of *Billing*');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'new', version: 1 });

    await click(admin, FeedbackActions.acknowledge, '2:1');
    expect(getFeedbackItem(h.loop.db, 2)).toMatchObject({ status: 'acknowledged', version: 2 });
    await click(lead(), FeedbackActions.reopen, '2:2'); // not resolved: refused as an invalid change
    expect(getFeedbackItem(h.loop.db, 2)?.version).toBe(2);
    const outsider = await click(member(), FeedbackActions.acknowledge, '2:2');
    const [no] = await repliesTo(outsider.payload);
    expect(text(no?.body)).toContain('Only department leads and Courtesy Loop admins');
  });

  it('also refuses a non-member the resolve modal: no modal, no change', async () => {
    h = await startHarness();
    await fileBillingItem();
    const res = await click(h.rep, FeedbackActions.resolve);
    const [reply] = await repliesTo(res.payload);
    expect(text(reply?.body)).toContain('Only members and leads');
    expect(h.standIn.callsTo('views.open')).toEqual([]);
  });

  it('accepts a member of the department user group (looked up in Slack)', async () => {
    h = await startHarness();
    useBillingGroup(['U0GROUPMEM']);
    await fileBillingItem();
    await click(h.driverFor({ id: 'U0GROUPMEM', name: 'gus' }), FeedbackActions.acknowledge);
    expect(getFeedbackItem(h.loop.db, 1)?.status).toBe('acknowledged');
  });

  it('turns two people clicking at once into one change; the other hears who did it', async () => {
    h = await startHarness();
    useBillingGroup(['U0GROUPAA1', 'U0GROUPBB2']);
    await fileBillingItem();
    // Slack holds the membership answer both clicks wait on (the directory asks once for both), so both pass
    // every check before either writes.
    h.standIn.injectFault('usergroups.users.list', { kind: 'timeout', ms: 300 }, 2);
    const [a, b] = await Promise.all([
      click(h.driverFor({ id: 'U0GROUPAA1', name: 'ann' }), FeedbackActions.acknowledge),
      click(h.driverFor({ id: 'U0GROUPBB2', name: 'ben' }), FeedbackActions.acknowledge),
    ]);
    expect(h.standIn.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(events()).toHaveLength(1);
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'acknowledged', version: 2 });
    const winner = events()[0]?.actorId;
    const loser = winner === 'U0GROUPAA1' ? b : a;
    const [reply] = await repliesTo(loser?.payload ?? {});
    expect(text(reply?.body)).toContain(`*FB-1* was already acknowledged by <@${winner}>`);
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.rep)).toHaveLength(1);
  });

  it('turns a double click into one change', async () => {
    h = await startHarness();
    await fileBillingItem();
    await click(member(), FeedbackActions.acknowledge);
    const second = await click(member(), FeedbackActions.acknowledge, '1:1');
    const [reply] = await repliesTo(second.payload);
    expect(text(reply?.body)).toContain(`already acknowledged by <@${ids.billingMember}>`);
    expect(events()).toHaveLength(1);
  });

  it('accepts a resolve form submitted after a harmless change, but not after someone else resolved it', async () => {
    h = await startHarness({
      beforeStart: (s) => s.setUser({ id: ids.billingMember, name: 'bea', display_name: 'Bea Stone' }),
    });
    await fileBillingItem();
    await click(lead(), FeedbackActions.resolve, '1:1'); // the lead starts writing a note (form at version 1)
    await h.standIn.waitFor({ method: 'views.open' });
    await click(member(), FeedbackActions.acknowledge, '1:1'); // meanwhile: version 2
    const done = await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Refund sent', true),
    });
    expect(done.text).toBe('');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'resolved', version: 3 });
    expect(events().map((e) => e.action)).toEqual(['acknowledge', 'resolve']);

    await click(member(), FeedbackActions.reopen, '1:3'); // version 4
    await click(lead(), FeedbackActions.resolve, '1:4');
    await click(member(), FeedbackActions.resolve, '1:4');
    await h.standIn.waitFor({ method: 'views.open', count: 3 });
    await member().submitView({ callbackId: Views.feedbackResolve, values: noteValues('Fixed', false) });
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'resolved', version: 5 });
    const late = await lead().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Also fixed', false),
    });
    expect(late.json).toMatchObject({
      response_action: 'errors',
      // Slack shows field errors as plain text: the person by name, never a raw id.
      errors: { [L.resolutionNote]: expect.stringContaining('already resolved by @Bea Stone') },
    });
    expect(text(late.json)).not.toContain(ids.billingMember);
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ version: 5, resolutionNote: 'Fixed' });
  });

  it('refuses a stale button from an old version of the message', async () => {
    h = await startHarness();
    await fileBillingItem();
    await click(member(), FeedbackActions.resolve);
    await h.standIn.waitFor({ method: 'views.open' });
    await member().submitView({
      callbackId: Views.feedbackResolve,
      values: noteValues('Refund sent', false),
    });
    // The Acknowledge button from the first version of the message (1:1) is clicked after the resolve.
    const stale = await click(member(), FeedbackActions.acknowledge, '1:1');
    const [reply] = await repliesTo(stale.payload);
    expect(text(reply?.body)).toContain('That message was out of date: *FB-1* is now *Resolved*');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'resolved', version: 2 });
  });

  it('answers a click on an item that does not exist, and one with a garbled value', async () => {
    h = await startHarness();
    await fileBillingItem();
    const gone = await click(member(), FeedbackActions.acknowledge, '999:1');
    expect(text((await repliesTo(gone.payload))[0]?.body)).toContain("can't find that feedback item");
    const garbled = await click(member(), FeedbackActions.acknowledge, 'not-an-id');
    expect(text((await repliesTo(garbled.payload))[0]?.body)).toContain('did not say which feedback item');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ status: 'new', version: 1 });
  });
});

describe('reassigning with nowhere to go', () => {
  it('refuses ephemerally, opens no modal and changes nothing when the org has one department', async () => {
    const only = orgConfigInput().departments[0];
    if (!only) throw new Error('fixture changed');
    h = await startHarness({ config: { departments: [only] } });
    await fileBillingItem();
    const res = await click(member(), FeedbackActions.reassign);
    const [reply] = await repliesTo(res.payload);
    expect(text(reply?.body)).toContain('no other department');
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({ departmentId: 'billing', version: 1 });
  });
});

describe('/feedback mine', () => {
  it("lists the caller's open items with their status, and not resolved or other people's items", async () => {
    h = await startHarness();
    await fileBillingItem();
    await h.rep.command(Commands.feedback, 'the parcel never arrived');
    await member().command(Commands.feedback, 'the app logs me out every hour');
    await click(member(), FeedbackActions.acknowledge, '1:1');
    await h.rep.command(Commands.feedback, 'billing: refund for the <b>damaged</b> tent');
    await click(lead(), FeedbackActions.resolve, '4:1');
    await h.standIn.waitFor({ method: 'views.open' });
    await lead().submitView({ callbackId: Views.feedbackResolve, values: noteValues('Refunded', false) });
    expect(getFeedbackItem(h.loop.db, 4)?.status).toBe('resolved');
    await h.rep.command(Commands.feedback, 'billing: customer wrote <!channel> & asked about VAT');
    const res = await h.rep.command(Commands.feedback, 'mine');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(res.text).toContain('*FB-1* · Acknowledged · Billing');
    expect(res.text).toContain('*FB-2* · New · Shipping');
    expect(res.text).not.toContain('FB-3'); // someone else's
    expect(res.text).not.toContain('FB-4'); // resolved
    // The caller's own words are escaped: nobody is pinged.
    expect(res.text).toContain('*FB-5* · New · Billing');
    expect(res.text).toContain('@channel &amp; asked');
    expect(res.text).not.toContain('<!channel>');
    const none = await h.driverFor({ id: 'U0NOBODY01', name: 'nobody' }).command(Commands.feedback, 'mine');
    expect(none.text).toContain('You have not forwarded any customer feedback yet');
    expect(none.text).not.toContain('resolved');
    // Someone whose items are all resolved is told so.
    await lead().command(Commands.feedback, 'billing: customer asked for the VAT number');
    await click(lead(), FeedbackActions.resolve, '6:1');
    await h.standIn.waitFor({ method: 'views.open', count: 2 });
    await lead().submitView({ callbackId: Views.feedbackResolve, values: noteValues('Sent it', true) });
    expect(getFeedbackItem(h.loop.db, 6)?.status).toBe('resolved');
    const resolved = await lead().command(Commands.feedback, 'mine');
    expect(resolved.text).toContain('Everything you forwarded has been resolved');
  });
});
