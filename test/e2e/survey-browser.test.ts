import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSurveyRequest } from '../../src/survey/survey-repo.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { fileAndResolve, SURVEY_SECRET, surveyUrlOf, withPublicSurvey } from '../support/survey.js';

/**
 * The customer's survey page in a real browser (Debian's chromium, as in the sandbox browser test; CI installs it):
 * filled in and sent with JavaScript turned off, and checked with axe-core, injected into the page, for no
 * accessibility violations (the form, and the thanks page with a comment full of markup).
 */

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** axe-core's own source, as the package hands it to browser drivers. */
const AXE_SOURCE = axe.source;

type AxeResults = { violations: { id: string; impact: string; nodes: { html: string }[] }[] };

/** axe-core's violations on the page as it stands (needs a context with JavaScript and the CSP bypassed). */
async function axeViolations(page: Page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as AxeResults;
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) }));
}

describe.skipIf(!HAVE_CHROMIUM)('the survey page in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    h = await startHarness({ config: withPublicSurvey, env: { surveySecret: SURVEY_SECRET } });
    await fileAndResolve(h);
    url = surveyUrlOf(h);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('passes axe-core with no violations', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(url);
      expect(await page.title()).toBe('How did we do? · Acme Outdoor');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is filled in and sent without JavaScript; the thanks and already-answered pages pass axe-core too', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    let thanks = '';
    try {
      const page = await noScript.newPage();
      await page.goto(url);
      await page.getByLabel('4 · Satisfied').check();
      await page
        .getByLabel('Anything you would like to tell us? (optional)')
        .fill('<b>Fast</b> & *kind* <!here>');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      expect(await page.locator('blockquote').textContent()).toBe('<b>Fast</b> & *kind* <!here>');
      thanks = await page.content();
    } finally {
      await noScript.close();
    }
    expect(getSurveyRequest(h.loop.db, 1)?.answer).toMatchObject({
      score: 4,
      comment: '<b>Fast</b> & *kind* <!here>',
    });

    const checked = await browser.newContext({ bypassCSP: true });
    try {
      const page = await checked.newPage();
      await page.goto(url);
      await page.getByRole('heading', { name: 'You already answered' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.setContent(thanks);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await checked.close();
    }
  });
});
