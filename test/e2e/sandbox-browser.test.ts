import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/demo/people.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

/**
 * The sandbox page in a real browser (Debian's chromium driven by playwright-core): a person files feedback,
 * the department acknowledges and resolves it through the modal, kudos go out by command and by reaction,
 * the Home tab opens, and a manager opens a digest with its chart. Screenshots go to test-output/screenshots/
 * (`npm run screenshots` copies them to docs/screenshots/).
 */

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const SCREENSHOTS = join('test-output', 'screenshots');

if (!HAVE_CHROMIUM && !IN_CI) {
  process.stderr.write(
    `\nSKIPPED the sandbox browser test: no ${CHROMIUM}. Install it with: sudo apt-get install -y chromium\n\n`,
  );
}

describe('CI runs the browser test', () => {
  it.runIf(IN_CI)('has Chromium (CI=true: .ci/run installs it)', () => {
    expect(HAVE_CHROMIUM, `${CHROMIUM} is missing; run: apt-get install -y chromium`).toBe(true);
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the sandbox page in Chromium', () => {
  const dir = tempDir();
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox({
      logger: silentLogger,
      port: 0,
      databasePath: join(dir.path, 'sandbox.db'),
      weeks: 2,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(sandbox.pageUrl);
    await page.locator('.msg').first().waitFor();
  }, 60_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await shot(`failed-${task.name.replace(/\W+/g, '-')}`);
    expect(pageErrors, 'errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    dir.remove();
  });

  const actAs = (userId: string) => page.selectOption('#who', userId);
  const open = (channelName: string) => page.click(`.nav:text-is("# ${channelName}")`);
  const say = async (text: string) => {
    await page.fill('#say', text);
    await page.press('#say', 'Enter');
  };
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const noPlaceholders = async () => expect(await page.locator('.bk-unknown').count()).toBe(0);
  /** Scroll a message into view; the page redraws a message in place when the app updates it, so try again. */
  const scrollTo = async (message: ReturnType<typeof page.locator>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await message.scrollIntoViewIfNeeded({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt >= 5 || !String(error).includes('not attached')) throw error;
      }
    }
  };

  it('files feedback, and the department acknowledges and resolves it through the modal', async () => {
    await open('support');
    // The receipt is the ephemeral that appears after the command (the demo history may show older ones).
    const shown = await page.locator('.msg.ephemeral').count();
    await say('/feedback Parcel never arrived, tracking stuck at the depot for ORD-77120');
    const receipt = page.locator('.msg.ephemeral').nth(shown);
    await receipt.waitFor();
    const ref = /FB-\d+/.exec(await receipt.innerText())?.[0] ?? '';
    expect(ref).toMatch(/^FB-\d+$/);

    await actAs(PEOPLE.shippingLead);
    await open('shipping');
    const item = page.locator('.msg', { has: page.locator('.bk-header', { hasText: ref }) });
    await item.locator('.bk-button', { hasText: 'Acknowledge' }).click();
    await item.locator('.bk-fields', { hasText: 'Acknowledged' }).waitFor();
    // The acknowledgement's history line arrives in the thread just after the update: wait for it, so the
    // message is not redrawn again while the page scrolls to it.
    await item.locator('.thread summary').waitFor();
    await noPlaceholders();
    await scrollTo(item);
    await shot('department-channel');

    await item.locator('.bk-button', { hasText: 'Resolve' }).click();
    const modal = page.locator('.modal');
    const note = modal.locator('textarea, input.bk-input').first();
    await modal.waitFor();
    await modal.locator('.modal-submit').click();
    await modal.locator('.bk-error', { hasText: 'Please complete this required field' }).waitFor();
    await note.fill('Sent a replacement by express courier; it arrives tomorrow.');
    await modal.locator('input[type=checkbox]').first().check();
    expect(await modal.locator('.bk-error').count()).toBe(0);
    await noPlaceholders();
    await shot('resolve-modal');
    await note.fill('   ');
    await modal.locator('.modal-submit').click();
    await modal.locator('.bk-has-error .bk-error', { hasText: 'Please write what was done' }).waitFor();
    await note.fill('Sent a replacement by express courier; it arrives tomorrow.');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await item.locator('.bk-fields', { hasText: 'Resolved' }).waitFor();
    await item.locator('.thread summary').waitFor();
  });

  it('gives kudos by command and by reaction', async () => {
    await actAs(PEOPLE.rep);
    await open('general');
    await say('/kudos @sam for getting the lost parcel replaced the same day #customer-first');
    await open('kudos');
    await page.locator('.msg', { hasText: 'getting the lost parcel replaced' }).waitFor();

    await open('general');
    const chat = page.locator('.msg', { hasText: 'new size chart' });
    await chat.hover();
    await chat.locator('.tool-react').click();
    await page.locator('#popup button', { hasText: ':clap:' }).click();
    await chat.locator('.reaction.mine').waitFor();
    await page.locator('.msg.ephemeral', { hasText: 'Your kudos to @Paul Dubois is on its way' }).waitFor();
    await open('kudos');
    await page.locator('.msg', { hasText: 'gave kudos to @Paul Dubois for a message' }).waitFor();
    await noPlaceholders();
  });

  it('forwards any message as customer feedback with the message shortcut', async () => {
    await actAs(PEOPLE.rep);
    await open('general');
    const chat = page.locator('.msg', { hasText: 'courier strike is over' });
    await chat.hover();
    await chat.locator('.tool-more').click();
    await page.locator('#popup button', { hasText: 'Forward as customer feedback' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    const prefilled = await modal
      .locator('textarea, input.bk-input')
      .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value).join('\n'));
    expect(prefilled).toContain('courier strike is over');
    await noPlaceholders();
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.click('#apps .nav');
    await page.click('#tabs button[data-tab="messages"]');
    await page.locator('.msg', { hasText: 'courier strike is over' }).last().waitFor();
  });

  it('opens the Home tab', async () => {
    await actAs(PEOPLE.rep);
    await page.click('#apps .nav');
    await page.click('#tabs button[data-tab="home"]');
    await page.locator('#home .bk-header').first().waitFor();
    expect(await page.locator('#home').innerText()).toMatch(/kudos/i);
    await noPlaceholders();
    await shot('home-tab');
    const select = (option: string) =>
      page.locator('#home select.bk-select', { has: page.locator('option', { hasText: option }) });
    await select('All time').selectOption({ label: 'All time' });
    await page.locator('#home', { hasText: 'Leaderboard · all time' }).waitFor();
    await select('Every department').selectOption({ label: 'Billing' });
    await page.locator('#home', { hasText: 'Leaderboard · all time · Billing' }).waitFor();
  });

  it("runs the weekly digests and shows the manager's digest with its chart", async () => {
    await actAs(PEOPLE.manager);
    await page.click('#apps .nav');
    await page.click('#tabs button[data-tab="messages"]');
    const before = await page.locator('#messages .file img').count();
    await page.click('[data-time="digests"]');
    await expect
      .poll(() => page.locator('#messages .file img').count(), { timeout: 15_000 })
      .toBeGreaterThan(before);
    const chart = page.locator('#messages .file img').last();
    await chart.evaluate((img) => img.closest('.msg')?.scrollIntoView({ block: 'start' }));
    await expect
      .poll(() =>
        chart.evaluate(
          (img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0,
        ),
      )
      .toBe(true);
    expect(await page.locator('#messages').innerText()).toMatch(/digest/i);
    await noPlaceholders();
    await shot('manager-digest');
  });

  it("shows a message Slack refused for breaking a Block Kit limit, with Slack's error", async () => {
    const client = new WebClient('xoxb-sandbox', {
      slackApiUrl: sandbox.standIn.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(
      client.chat.postMessage({
        channel: CHANNELS.triage,
        text: 'too long',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }),
    ).rejects.toThrow(/invalid_blocks/);
    await actAs(PEOPLE.admin);
    await open('triage');
    const refusal = page.locator('.refusal', { hasText: 'Slack refused chat.postMessage: invalid_blocks' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    );
  });
});
