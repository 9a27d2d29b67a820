import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { FeedbackFormBlocks as B, Commands, MessageShortcuts, Views } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { formValues } from '../support/feedback-form.js';
import { ids } from '../support/org-fixture.js';
import { plainTextInputValue, staticSelectValue } from '../support/slack-requests.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const countItems = () => h.loop.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get() as number;
const postsTo = (channel: string) =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok);
const blocksText = (blocks: unknown) => JSON.stringify(blocks);

describe('/feedback inline', () => {
  it('stores the item, answers with an ephemeral receipt, and posts it in the routed department channel', async () => {
    const res = await h.rep.command(Commands.feedback, 'customer says the March invoice charged twice');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*FB-1*') });
    expect(res.text).toContain('Billing');
    expect(countItems()).toBe(1); // committed before the answer went out

    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    const blocks = blocksText(post?.args.blocks);
    expect(blocks).toContain('FB-1');
    expect(blocks).toContain('matched: invoice, charged');
    expect(blocks).toContain(`<@${ids.rep}>`);
    expect(post?.response.ok).toBe(true);

    await h.loop.delivery.drain();
    const item = getFeedbackItem(h.loop.db, 1);
    expect(item).toMatchObject({
      departmentId: 'billing',
      postChannelId: ids.billingChannel,
      postTs: expect.any(String),
    });
    expect(h.loop.delivery.counts()).toEqual({ pending: 0, sent: 1, dead: 0 });
  });

  it('sends feedback that matches no rule to triage, saying so', async () => {
    const res = await h.rep.command(Commands.feedback, 'the sofa colour is lovely');
    expect(res.text).toContain('triage');
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.triage,
    });
    expect(blocksText(post?.args.blocks)).toContain('no routing rule matched');
  });

  it('sends feedback to the department the rep names', async () => {
    await h.rep.command(Commands.feedback, 'Shipping: the invoice was in the box twice');
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.shippingChannel,
    });
    expect(blocksText(post?.args.blocks)).toContain('chosen by the reporter');
    expect(postsTo(ids.billingChannel)).toHaveLength(0);
  });

  it('refuses an unknown department, lists the valid ones, and stores nothing', async () => {
    const res = await h.rep.command(Commands.feedback, 'marketing: the ad was misleading');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(res.text).toContain('marketing');
    for (const id of ['billing', 'shipping', 'product']) expect(res.text).toContain(`\`${id}\``);
    expect(countItems()).toBe(0);
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers help with usage', async () => {
    const res = await h.rep.command(Commands.feedback, 'help');
    expect(res.text).toContain('/feedback billing:');
    expect(countItems()).toBe(0);
  });

  it('never lets a customer quote ping anyone', async () => {
    await h.rep.command(
      Commands.feedback,
      '<!channel> <!here> the invoice is wrong &amp; <@U0BOSS0001|boss> knows &lt;b&gt;',
    );
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    const all = blocksText(post?.args.blocks) + String(post?.args.text);
    expect(all).not.toMatch(/<!(channel|here|everyone)/);
    expect(all).not.toContain('<@U0BOSS0001');
    expect(all).toContain('@channel');
    expect(all).toContain('@boss');
    expect(all).toContain('knows &lt;b&gt;'); // the user's literal "<b>" shown as text, not markup
    expect(getFeedbackItem(h.loop.db, 1)?.summary).toBe(
      '@channel @here the invoice is wrong & @boss knows <b>',
    );
  });

  it('stores 20,000 characters whole and fits the Slack message within its limits', async () => {
    const text = `invoice problem ${'long complaint text '.repeat(1100)}`.slice(0, 20_000);
    const res = await h.rep.command(Commands.feedback, text);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    expect(post?.response.ok).toBe(true); // the stand-in rejects blocks over Slack's limits
    expect(blocksText(post?.args.blocks)).toContain('full text is stored with FB-1');
    expect(getFeedbackItem(h.loop.db, 1)?.details).toBe(text);
  });

  it('refuses text over the configured maximum, saying how long it was', async () => {
    const res = await h.rep.command(Commands.feedback, 'x'.repeat(20_001));
    expect(res.text).toContain('20,001');
    expect(res.text).toContain('20,000');
    expect(countItems()).toBe(0);
  });

  it('refuses a malformed command payload with 400 and stores nothing', async () => {
    const res = await h.rep.command(Commands.feedback, 'invoice wrong', { user_id: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('user_id');
    expect(countItems()).toBe(0);
  });
});

describe('/feedback form', () => {
  it('opens the modal for an empty command and files the submitted form with a DM receipt', async () => {
    const res = await h.rep.command(Commands.feedback, '');
    expect(res.status).toBe(200);
    const [open] = await h.standIn.waitFor({ method: 'views.open' });
    expect(open?.response.ok).toBe(true);
    expect(open?.args.trigger_id).toBe(res.payload.trigger_id);

    const submit = await h.rep.submitView({ callbackId: Views.feedbackForm, values: formValues() });
    expect(submit.status).toBe(200);
    expect(submit.text).toBe('');
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    const blocks = blocksText(post?.args.blocks);
    for (const expected of [
      'FB-1',
      'Complaint',
      'High',
      'Dana Reyes, acct 48213',
      'Phone',
      'matched: invoice, charged',
    ]) {
      expect(blocks).toContain(expected);
    }
    const [dm] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.rep,
    });
    expect(String(dm?.args.text)).toContain('FB-1');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({
      source: 'modal',
      severity: 'high',
      customer: 'Dana Reyes, acct 48213',
    });
  });

  it('returns validation errors to the modal, keyed by block, and stores nothing', async () => {
    await h.rep.command(Commands.feedback, '');
    await h.standIn.waitFor({ method: 'views.open' });
    const res = await h.rep.submitView({
      callbackId: Views.feedbackForm,
      values: formValues({
        [B.summary]: { value: plainTextInputValue('   ') },
        [B.kind]: { value: staticSelectValue(null) },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { [B.summary]: expect.any(String), [B.kind]: expect.any(String) },
    });
    expect(countItems()).toBe(0);
  });

  it('files a submission only once even when Slack delivers it twice', async () => {
    await h.rep.command(Commands.feedback, '');
    await h.standIn.waitFor({ method: 'views.open' });
    await h.rep.submitView({ callbackId: Views.feedbackForm, values: formValues() });
    await h.rep.submitView({ callbackId: Views.feedbackForm, values: formValues() });
    expect(countItems()).toBe(1);
    await h.loop.delivery.drain();
    expect(postsTo(ids.billingChannel)).toHaveLength(1);
  });

  it('routes to the department picked in the form', async () => {
    await h.rep.command(Commands.feedback, '');
    await h.standIn.waitFor({ method: 'views.open' });
    await h.rep.submitView({
      callbackId: Views.feedbackForm,
      values: formValues({
        [B.department]: { value: staticSelectValue({ text: 'Shipping', value: 'shipping' }) },
      }),
    });
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.shippingChannel,
    });
  });

  it('apologises through the response_url when the form cannot be opened', async () => {
    h.standIn.injectFault('views.open', { kind: 'error', error: 'expired_trigger_id' });
    const res = await h.rep.command(Commands.feedback, '');
    expect(res.status).toBe(200);
    const [reply] = await h.standIn.waitForResponse(1, 5000, res.responseUrlId);
    expect(JSON.stringify(reply?.body)).toContain('could not open the feedback form');
  });
});

describe('"Forward as customer feedback" message shortcut', () => {
  it('prefills the form from the message and keeps a permalink to it', async () => {
    const res = await h.rep.messageShortcut(MessageShortcuts.forwardFeedback, {
      text: 'Customer on the phone: my parcel never arrived &amp; nobody called back <!here>',
      ts: '1700000123.000200',
      user: 'U0AGENT001',
    });
    expect(res.status).toBe(200);
    const [open] = await h.standIn.waitFor({ method: 'views.open' });
    const view = JSON.stringify(open?.args.view);
    expect(view).toContain('my parcel never arrived & nobody called back @here');
    expect(view).not.toContain('<!here>');

    await h.rep.submitView({
      callbackId: Views.feedbackForm,
      values: formValues({
        [B.summary]: { value: plainTextInputValue('Parcel never arrived') },
        [B.details]: { value: plainTextInputValue('my parcel never arrived & nobody called back') },
      }),
    });
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.shippingChannel,
    });
    expect(h.standIn.callsTo('chat.getPermalink')[0]?.args).toMatchObject({
      message_ts: '1700000123.000200',
    });
    expect(blocksText(post?.args.blocks)).toContain('/p1700000123000200');
    expect(getFeedbackItem(h.loop.db, 1)).toMatchObject({
      source: 'shortcut',
      sourceMessageTs: '1700000123.000200',
      sourcePermalink: expect.stringContaining('p1700000123000200'),
    });
  });
});
