import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadEnv } from '../../src/config/env.js';
import { createCourtesyLoop } from '../../src/courtesy-loop.js';
import { Commands, FormAction, SurveyActions, SurveyBlocks, Views } from '../../src/slack/ids.js';
import { getSurveyRequest } from '../../src/survey/survey-repo.js';
import { signSurveyToken } from '../../src/survey/survey-token.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileForCustomer } from '../support/feedback-form.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import { plainTextInputValue } from '../support/slack-requests.js';
import {
  answerForm,
  fileAndResolve,
  PUBLIC_URL,
  resolvedDm,
  resolveFirstItem,
  SURVEY_SECRET,
  surveyUrlOf,
  withPublicSurvey,
} from '../support/survey.js';
import { manualClock, silentLogger, tempDir } from '../support/temp-dir.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const start = (clock?: ReturnType<typeof manualClock>) =>
  startHarness({
    config: withPublicSurvey,
    env: { surveySecret: SURVEY_SECRET },
    ...(clock ? { clock } : {}),
  });
const posts = (where: (args: Record<string, unknown>) => boolean) =>
  h.standIn.callsTo('chat.postMessage').filter((c) => where(c.args));
const threadNotes = () =>
  posts(
    (a) => a.channel === ids.billingChannel && a.thread_ts !== undefined && String(a.text).includes('/ 5'),
  );
const leadDms = () => posts((a) => a.channel === ids.billingLead && String(a.text).includes('/ 5'));
const answerDms = () => posts((a) => a.channel === ids.rep && String(a.text).includes('/ 5'));

describe('the survey link in the resolved DM', () => {
  it('gives the reporter a short signed link that opens the survey in the company name, with no customer data', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    expect(url.length - h.baseUrl.length).toBeLessThan(60);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('How did Acme Outdoor do?');
    expect(html).toContain('<legend>');
    expect(html).toContain('<form method="post"');
    expect(html).not.toContain('<script');
    for (const secret of ['ACME', 'invoice', 'FB-1', 'Refunded', 'Billing'])
      expect(html).not.toContain(secret);
  });

  it('stores a valid answer once, thanks the customer and DMs the reporter; a 4 stays out of the thread', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    const res = await answerForm(url, { score: '4', comment: 'Quick and kind, thank you.' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('4 out of 5');
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toMatchObject({
      score: 4,
      comment: 'Quick and kind, thank you.',
      via: 'page',
    });
    await h.loop.idle();
    const [dm] = answerDms();
    expect(String(dm?.args.text)).toContain('*4 / 5*');
    expect(String(dm?.args.text)).toContain('Quick and kind, thank you.');
    expect(threadNotes()).toEqual([]);
    expect(leadDms()).toEqual([]);
  });

  it('a reused link says it was answered already and stores nothing', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    expect((await answerForm(url, { score: '5', comment: 'first' })).status).toBe(200);
    const again = await answerForm(url, { score: '1', comment: 'second' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('You already answered');
    const opened = await fetch(url);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('You already answered');
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toMatchObject({ score: 5, comment: 'first' });
    await h.loop.idle();
    expect(answerDms()).toHaveLength(1);
  });

  it('an expired link answers 410 with a page that says so, and stores nothing', async () => {
    const clock = manualClock();
    h = await start(clock);
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    clock.advance(13 * DAY);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(1 * DAY);
    const opened = await fetch(url);
    expect(opened.status).toBe(410);
    expect(await opened.text()).toContain('This survey has closed');
    expect((await answerForm(url, { score: '3' })).status).toBe(410);
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toBeUndefined();
  });

  it('forged, altered, unknown and malformed tokens get 404 and store nothing', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    const token = url.split('/s/')[1] ?? '';
    const [publicId = '', expiry = ''] = token.split('.');
    const expiresAt = Number.parseInt(expiry, 36) * 1000;
    const bad = [
      signSurveyToken('another-secret-of-at-least-32-characters', publicId, expiresAt),
      signSurveyToken(SURVEY_SECRET, publicId, expiresAt + 86_400_000),
      signSurveyToken(SURVEY_SECRET, 'AAAAAAAAAAAA', expiresAt),
      `${token.slice(0, -2)}xx`,
      'not-a-token',
    ];
    for (const forged of bad) {
      const res = await answerForm(`${h.baseUrl}/s/${forged}`, { score: '1' });
      expect(res.status, forged).toBe(404);
      expect(await res.text()).toContain('Survey not found');
    }
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toBeUndefined();
  });

  it('a low score with a comment full of mrkdwn and HTML: escaped on the page, in the thread and to the reporter; leads get the score and a link only', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    const comment = '<script>alert(1)</script> <!here> *never* again <@U0EVIL0001> & <b>bold</b> "quoted"';
    const res = await answerForm(url, { score: '1', comment });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(getSurveyRequest(h.loop.db, 1)?.answer?.comment).toBe(comment);
    await h.loop.idle();

    const escaped = '&lt;!here&gt; *never* again &lt;@U0EVIL0001&gt; &amp; &lt;b&gt;bold&lt;/b&gt;';
    const [note] = threadNotes();
    expect(note?.args.thread_ts).toBeDefined();
    expect(String(note?.args.text)).toContain('*1 / 5*');
    expect(String(note?.args.text)).toContain(escaped);
    expect(String(note?.args.text)).not.toContain('<!here>');
    const [dm] = answerDms();
    expect(String(dm?.args.text)).toContain(escaped);

    const [lead] = leadDms();
    const text = String(lead?.args.text);
    expect(text).toContain('*1 / 5*');
    expect(text).toMatch(/<https?:\/\/[^|]+\|FB-1>/);
    expect(text).not.toContain('never');
    expect(text).not.toContain('script');
  });

  it('refuses a form without a score with the form again (400), a body over the limit (413), and JSON (415)', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    const empty = await answerForm(url, { comment: 'forgot the score' });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('forgot the score');
    const huge = await answerForm(url, { score: '3', comment: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score":5}',
    });
    expect(json.status).toBe(415);
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toBeUndefined();
  });

  it('answers more than 10 requests a minute from one address with 429 and Retry-After', async () => {
    h = await start();
    await fileAndResolve(h);
    const url = surveyUrlOf(h);
    for (let i = 0; i < 10; i++) expect((await fetch(url)).status).toBe(200);
    const limited = await fetch(url);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await answerForm(url, { score: '5' })).status).toBe(429);
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toBeUndefined();
  });

  it('links to the public address from the config', async () => {
    h = await start();
    await fileAndResolve(h);
    expect(surveyUrlOf(h)).toMatch(/\/s\/[A-Za-z0-9_-]{12}\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(PUBLIC_URL).toBe('https://survey.acme.test');
  });
});

describe('without a public URL: the rep records the score', () => {
  const scoreValues = (score: string | null, comment: string | null) => ({
    [SurveyBlocks.score]: {
      [FormAction]: {
        type: 'radio_buttons',
        selected_option:
          score === null ? null : { text: { type: 'plain_text' as const, text: score }, value: score },
      },
    },
    [SurveyBlocks.comment]: { [FormAction]: plainTextInputValue(comment) },
  });

  it('offers a button in the resolved DM; the modal records a low score that reaches thread, leads and reporter', async () => {
    h = await startHarness();
    await fileAndResolve(h);
    const blocks = JSON.stringify(resolvedDm(h)?.args.blocks);
    expect(blocks).toContain(SurveyActions.recordScore);
    expect(blocks).not.toContain('/s/');

    const click = await h.rep.clickButton({ actionId: SurveyActions.recordScore });
    expect(click.status).toBe(200);
    const [open] = await h.standIn.waitFor({
      method: 'views.open',
      where: (c) => JSON.stringify(c.args.view).includes(Views.surveyScore),
    });
    expect(open?.args.trigger_id).toBe(click.payload.trigger_id);
    expect(JSON.stringify(open?.args.view)).toContain(Views.surveyScore);

    const missing = await h.rep.submitView({
      callbackId: Views.surveyScore,
      values: scoreValues(null, null),
    });
    expect(missing.json).toMatchObject({
      response_action: 'errors',
      errors: { [SurveyBlocks.score]: expect.any(String) },
    });
    const done = await h.rep.submitView({
      callbackId: Views.surveyScore,
      values: scoreValues('2', 'Said the refund took <!channel> *ages*'),
    });
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toMatchObject({
      score: 2,
      via: 'rep',
      recordedBy: ids.rep,
    });
    await h.loop.idle();

    const [note] = threadNotes();
    expect(String(note?.args.text)).toContain('*2 / 5*');
    expect(String(note?.args.text)).toContain('&lt;!channel&gt; *ages*');
    expect(String(note?.args.text)).toContain(`recorded by <@${ids.rep}>`);
    expect(String(leadDms()[0]?.args.text)).not.toContain('ages');
    expect(String(answerDms()[0]?.args.text)).toContain(`<@${ids.rep}> recorded the customer's score`);

    const again = await h.rep.submitView({ callbackId: Views.surveyScore, values: scoreValues('5', null) });
    expect(again.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(again.json)).toContain('already recorded');
    expect(getSurveyRequest(h.loop.db, 1)?.answer?.score).toBe(2);
  });

  it('lets only the reporter record it, and says why to anyone else', async () => {
    h = await startHarness();
    await fileAndResolve(h);
    const other = h.driverFor({ id: ids.billingMember, name: 'bea' });
    const click = await other.clickButton({ actionId: SurveyActions.recordScore });
    const [reply] = await h.standIn.waitForResponse(
      1,
      5000,
      decodeURIComponent(String(click.payload.response_url).split('/').pop() ?? ''),
    );
    expect(JSON.stringify(reply)).toContain('can record the customer');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1); // the resolve modal only
    const forged = await other.submitView({
      callbackId: Views.surveyScore,
      values: scoreValues('1', null),
      privateMetadata: JSON.stringify({ requestId: 1 }),
    });
    expect(forged.json).toMatchObject({ response_action: 'errors' });
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toBeUndefined();
  });
});

describe('retention', () => {
  it("removes the customer's survey comment with the item's details, and keeps the score", async () => {
    h = await start();
    await fileForCustomer(h, 'Initech Ltd', 'Initech cannot log in');
    await resolveFirstItem(h);
    expect((await answerForm(surveyUrlOf(h), { score: '2', comment: 'Initech is unhappy' })).status).toBe(
      200,
    );
    const admin = h.driverFor({ id: ids.admin, name: 'ada' });
    expect((await admin.command(Commands.loop, 'forget Initech Ltd')).text).toContain('1 feedback item');
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toMatchObject({ score: 2, comment: undefined });
  });
});

describe('SURVEY_SECRET', () => {
  it('is required when survey.public_url is set: the app refuses to start and says what to do', () => {
    const dir = tempDir();
    try {
      const orgConfigPath = join(dir.path, 'org.yaml');
      writeFileSync(orgConfigPath, stringify(orgConfigInput(withPublicSurvey)));
      const env = loadEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        DATABASE_PATH: join(dir.path, 'db.sqlite'),
        ORG_CONFIG: orgConfigPath,
      });
      if (!env.ok) throw new Error(env.problems.join('\n'));
      expect(() => createCourtesyLoop({ env: env.env, logger: silentLogger })).toThrow(
        /SURVEY_SECRET is missing: the org config sets survey\.public_url \(https:\/\/survey\.acme\.test\)/,
      );
      expect(
        loadEnv({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1', SURVEY_SECRET: 'short' }),
      ).toEqual({
        ok: false,
        problems: ['SURVEY_SECRET must be at least 32 characters (generate one with: openssl rand -hex 32)'],
      });
    } finally {
      dir.remove();
    }
  });
});
