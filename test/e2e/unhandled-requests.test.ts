import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/app-harness.js';
import { captureLogs, LEVEL, type LogLine } from '../support/log-capture.js';
import { JSON_CONTENT_TYPE, randomEventId } from '../support/slack-requests.js';

/**
 * Signed requests the app has no listener for: Slack must get a 200 at once (not Bolt's 404 after 3 s, which
 * counts as a failed delivery and can get event subscriptions disabled), and operators a warn line.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start() {
  const { logger, lines } = captureLogs();
  h = await startHarness({ logger });
  return { h, lines };
}

const warnings = (lines: LogLine[]) =>
  lines.filter((l) => l.level === LEVEL.warn && l.module === 'unhandled-request');
const errors = (lines: LogLine[]) => lines.filter((l) => l.level >= LEVEL.error);

describe('signed requests the app does not handle', () => {
  it('answers app_rate_limited (no inner event) with 200 and logs the minute Slack started limiting', async () => {
    const { h, lines } = await start();
    // Slack's documented payload: the whole body, no event_callback envelope.
    const body = {
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      type: 'app_rate_limited',
      team_id: h.standIn.identity.teamId,
      minute_rate_limited: 1518467820,
      api_app_id: h.standIn.identity.appId,
    };
    const res = await h.rep.post(JSON.stringify(body), JSON_CONTENT_TYPE);
    expect(res.status).toBe(200);
    expect(warnings(lines)).toEqual([
      expect.objectContaining({
        minuteRateLimited: 1518467820,
        since: '2018-02-12T20:37:00.000Z',
        team: h.standIn.identity.teamId,
      }),
    ]);
    expect(errors(lines)).toEqual([]);
  });

  it('answers an event of a type it does not listen to with 200 and a warn line', async () => {
    const { h, lines } = await start();
    const res = await h.rep.sendEvent(
      {
        type: 'member_joined_channel',
        user: 'U0NEWPERSN',
        channel: 'C0SUPPORT1',
        channel_type: 'C',
        team: h.standIn.identity.teamId,
        event_ts: '1700000000.000100',
      },
      { eventId: randomEventId() },
    );
    expect(res.status).toBe(200);
    expect(warnings(lines)).toEqual([expect.objectContaining({ event: 'member_joined_channel' })]);
    expect(errors(lines)).toEqual([]);
  });

  it('answers a button, a form, a shortcut and a command it has no listener for with 200 at once', async () => {
    const { h, lines } = await start();
    const button = await h.rep.clickButton({ actionId: 'retired_button', value: '1:1' });
    expect(button.status).toBe(200);
    const form = await h.rep.submitView({ callbackId: 'retired_form', values: {} });
    expect(form.status).toBe(200);
    const shortcut = await h.rep.messageShortcut('retired_shortcut', { text: 'hello', user: 'U0SOMEONE1' });
    expect(shortcut.status).toBe(200);
    const command = await h.rep.command('/retired', 'anything');
    expect(command.status).toBe(200);
    expect(
      warnings(lines).map(({ actionIds, callbackId, command }) => ({ actionIds, callbackId, command })),
    ).toEqual([
      { actionIds: ['retired_button'], callbackId: undefined, command: undefined },
      { actionIds: undefined, callbackId: 'retired_form', command: undefined },
      { actionIds: undefined, callbackId: 'retired_shortcut', command: undefined },
      { actionIds: undefined, callbackId: undefined, command: '/retired' },
    ]);
    expect(errors(lines)).toEqual([]);
  });

  it('still dispatches what it handles: no warn line for a command it knows', async () => {
    const { h, lines } = await start();
    const res = await h.rep.command('/feedback', 'help');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Forward customer feedback');
    expect(warnings(lines)).toEqual([]);
  });
});
