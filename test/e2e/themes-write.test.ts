import { afterEach, describe, expect, it } from 'vitest';
import { FeedbackFormBlocks as B, Commands, MessageShortcuts, Views } from '../../src/slack/ids.js';
import { getTheme } from '../../src/themes/theme-repo.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer, formValues } from '../support/feedback-form.js';
import { ids } from '../support/org-fixture.js';
import { plainTextInputValue } from '../support/slack-requests.js';
import { manualClock } from '../support/temp-dir.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const themeOf = (itemId: number) =>
  h.loop.db.prepare('SELECT theme_id FROM feedback_items WHERE id = ?').pluck().get(itemId) as number | null;
const lastItem = () => h.loop.db.prepare('SELECT max(id) FROM feedback_items').pluck().get() as number;

async function fileInline(words: string): Promise<number> {
  await h.rep.command(Commands.feedback, words);
  await h.loop.delivery.drain();
  return lastItem();
}

/** The rep forwards a message with the shortcut and submits the prefilled form. */
async function fileByShortcut(text: string): Promise<number> {
  const opened = h.standIn.callsTo('views.open').length;
  await h.rep.messageShortcut(MessageShortcuts.forwardFeedback, {
    text,
    ts: '1700000123.000200',
    user: 'U0AGENT001',
  });
  await h.standIn.waitFor({ method: 'views.open', count: opened + 1 });
  await h.rep.submitView({
    callbackId: Views.feedbackForm,
    values: formValues({ [B.summary]: { value: plainTextInputValue(text) } }),
  });
  await h.loop.delivery.drain();
  return lastItem();
}

/** `/loop theme …` by a user; the ephemeral answer. */
async function renameAs(user: { id: string; name: string }, rest: string) {
  const res = await h.driverFor(user).command(Commands.loop, `theme ${rest}`);
  expect(res.status).toBe(200);
  return res.json as { response_type: string; text: string };
}

describe('themes at intake', () => {
  it('puts every item in a theme whatever its route, similar ones in one, and keeps the ids across a restart', async () => {
    h = await startHarness({ clock: manualClock(Date.parse('2026-11-02T09:00:00Z')) });
    const inline = await fileInline('billing: customer was charged twice for the March invoice');
    await fileForCustomer(h, 'ACME Corp', 'Card charged twice for one invoice');
    const form = lastItem();
    const shortcut = await fileByShortcut('She was charged twice on her invoice again');
    const triage = await fileInline('The hold music on the phone line is awful, waited forty minutes');
    expect(h.standIn.callsTo('chat.postMessage').some((c) => c.args.channel === ids.triage)).toBe(true);

    const charged = themeOf(inline);
    expect(charged).not.toBeNull();
    expect([themeOf(form), themeOf(shortcut)]).toEqual([charged, charged]);
    expect(themeOf(triage)).not.toBeNull();
    expect(themeOf(triage)).not.toBe(charged);
    expect(getTheme(h.loop.db, charged as number)).toMatchObject({ itemCount: 3, name: null });
    expect(getTheme(h.loop.db, charged as number)?.topTerms).toEqual(expect.arrayContaining(['charged']));

    await h.restart();
    await h.loop.scheduler.tick(); // after the start-up tick (its regroup pass reads the restored model)
    const after = await fileInline('billing: customer charged twice for the invoice again');
    expect(themeOf(after)).toBe(charged);
    const phone = await fileInline('Waited forty minutes on the phone line again');
    expect(themeOf(phone)).toBe(themeOf(triage));

    // The background regroup (run by the minute tick) keeps the ids and names the themes.
    await h.loop.scheduler.tick();
    for (const item of [inline, form, shortcut, after]) expect(themeOf(item)).toBe(charged);
    expect(themeOf(phone)).toBe(themeOf(triage));
    expect(getTheme(h.loop.db, charged as number)?.topTerms).toEqual(
      expect.arrayContaining(['charged', 'twice']),
    );
  });
});

describe('/loop theme', () => {
  it('lets a lead or an admin name a theme, and answers everyone else politely, only to them', async () => {
    h = await startHarness();
    const item = await fileInline('billing: customer was charged twice for the March invoice');
    const theme = themeOf(item) as number;

    const lead = { id: ids.billingLead, name: 'bea' };
    const named = await renameAs(lead, `TH-${theme} "double charges"`);
    expect(named).toEqual({
      response_type: 'ephemeral',
      text: `TH-${theme} is now called “double charges”.`,
    });
    expect(getTheme(h.loop.db, theme)?.name).toBe('double charges');

    const admin = await renameAs({ id: ids.admin, name: 'ada' }, `th-${theme} “Charged twice & <angry>”`);
    expect(admin.text).toBe(`TH-${theme} is now called “Charged twice &amp; &lt;angry&gt;”.`);
    expect(getTheme(h.loop.db, theme)?.name).toBe('Charged twice & <angry>');

    const member = await renameAs({ id: ids.billingMember, name: 'ben' }, `TH-${theme} "mine"`);
    expect(member).toMatchObject({ response_type: 'ephemeral' });
    expect(member.text).toContain('Only department leads and admins can name a theme');
    expect(getTheme(h.loop.db, theme)?.name).toBe('Charged twice & <angry>');

    expect((await renameAs(lead, `TH-999 "other"`)).text).toContain('There is no theme TH-999.');
    const missing = await renameAs(lead, `TH-${theme}`);
    expect(missing.text).toContain('To name a theme: `/loop theme TH-12 "double charges"`');
    expect((await renameAs(lead, 'double charges')).text).toContain('To name a theme');
    expect((await renameAs(lead, `TH-${theme} "${'x'.repeat(81)}"`)).text).toContain(
      'That name has 81 characters',
    );

    const help = await h.rep.command(Commands.loop, 'help');
    expect((help.json as { text: string }).text).toContain('/loop theme TH-12');
  });
});
