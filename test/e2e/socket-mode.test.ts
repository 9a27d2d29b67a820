import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AppEnv } from '../../src/config/env.js';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { type CourtesyLoop, createCourtesyLoop } from '../../src/courtesy-loop.js';
import {
  Commands,
  FeedbackActions,
  FormAction,
  LifecycleFormBlocks,
  MessageShortcuts,
  Views,
} from '../../src/slack/ids.js';
import { getSurveyRequest } from '../../src/survey/survey-repo.js';
import { captureLogs } from '../support/log-capture.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  buttonAction,
  eventCallbackEnvelope,
  messageShortcutPayload,
  plainTextInputValue,
  slashCommandFields,
  viewSubmissionPayload,
} from '../support/slack-payloads.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { type SocketStandIn, startSocketStandIn } from '../support/socket-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { answerForm, SURVEY_SECRET, withPublicSurvey } from '../support/survey.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Socket Mode end to end: Bolt's SocketModeReceiver, pointed at the Web API stand-in, opens the WebSocket URL
 * that the stand-in's apps.connections.open hands out, and the socket stand-in sends envelopes as Slack does.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Running = {
  loop: CourtesyLoop;
  web: SlackStandIn;
  socket: SocketStandIn;
  health: string;
  logs: ReturnType<typeof captureLogs>;
};

async function startSocketApp(
  options: {
    apiUrl?: string;
    beforeStart?: (socket: SocketStandIn) => void;
    config?: Partial<OrgConfigInput>;
    surveySecret?: string;
  } = {},
): Promise<Running> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const web = await startSlackStandIn();
  cleanups.push(() => web.close());
  const socket = await startSocketStandIn(web);
  cleanups.push(() => socket.close());
  options.beforeStart?.(socket);
  const orgConfigPath = join(dir.path, 'org.yaml');
  writeFileSync(orgConfigPath, stringify(orgConfigInput(options.config)));
  const env: AppEnv = {
    surveySecret: options.surveySecret,
    botToken: 'xoxb-test-token',
    signingSecret: undefined,
    appToken: 'xapp-1-A0TESTAPP-1-test',
    slackApiUrl: options.apiUrl ?? web.apiUrl,
    port: 0,
    databasePath: join(dir.path, 'courtesy-loop.db'),
    shutdownDrainMs: 1000,
    orgConfigPath,
    logLevel: 'debug',
    mode: 'socket',
  };
  const logs = captureLogs('info');
  const loop = createCourtesyLoop({
    env,
    logger: logs.logger,
    delivery: { retryBaseMs: 40, maxDelayMs: 400, pollMs: 25 },
    reconnect: { baseMs: 50, maxMs: 200 },
  });
  const port = await loop.start();
  cleanups.push(() => loop.stop(1000));
  return { loop, web, socket, health: `http://127.0.0.1:${port}/healthz`, logs };
}

const healthStatus = async (url: string) => (await fetch(url)).status;
const waitForHealth = (url: string, status: number) =>
  pollUntil(
    async () => ((await healthStatus(url)) === status ? true : undefined),
    5000,
    () => `healthz never answered ${status}`,
  );

describe('Socket Mode', () => {
  it('connects with the app-level token, serves /healthz on PORT, and answers a slash command by its envelope', async () => {
    const { web, socket, health } = await startSocketApp();
    await socket.waitForConnections(1);
    const open = web.lastCall('apps.connections.open');
    expect(open?.token).toBe('xapp-1-A0TESTAPP-1-test');
    await waitForHealth(health, 200);
    expect(await (await fetch(health)).json()).toMatchObject({
      status: 'ok',
      mode: 'socket',
      connected: true,
    });

    const ack = await socket.send(
      'slash_commands',
      slashCommandFields({
        command: Commands.feedback,
        text: 'billing: customer was charged twice',
        user_id: ids.rep,
        channel_id: 'C0SUPPORT1',
        response_url: web.responseUrl(),
      }),
    );
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('FB-1') });
    const [post] = await web.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    expect(JSON.stringify(post?.args.blocks)).toContain('charged twice');
  });

  it('serves the customer survey page on PORT beside /healthz: a resolved item links to it and it takes the answer', async () => {
    const { web, socket, health, loop } = await startSocketApp({
      config: withPublicSurvey,
      surveySecret: SURVEY_SECRET,
    });
    await socket.waitForConnections(1);
    const file = slashCommandFields({
      command: Commands.feedback,
      text: 'billing: customer was charged twice',
      user_id: ids.rep,
      response_url: web.responseUrl(),
    });
    await socket.send('slash_commands', file);
    await web.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === ids.billingChannel });
    const lead = { id: ids.billingLead, name: 'lou' };
    const click = buttonAction({ actionId: FeedbackActions.resolve, value: '1:1' });
    await socket.send(
      'interactive',
      blockActionsPayload({ user: lead, actions: [click], triggerId: web.issueTriggerId() }),
    );
    const [open] = await web.waitFor({ method: 'views.open' });
    const view = open?.args.view as { private_metadata: string };
    const values = {
      [LifecycleFormBlocks.resolutionNote]: { [FormAction]: plainTextInputValue('Refunded.') },
      [LifecycleFormBlocks.customerContacted]: { [FormAction]: { type: 'checkboxes', selected_options: [] } },
    };
    await socket.send(
      'interactive',
      viewSubmissionPayload({
        user: lead,
        callbackId: Views.feedbackResolve,
        privateMetadata: view.private_metadata,
        values,
      }),
    );
    const [dm] = await web.waitFor({
      method: 'chat.postMessage',
      where: (c) =>
        c.args.channel === ids.rep && JSON.stringify(c.args.blocks ?? '').includes('survey.acme.test'),
    });
    const path = /https:\/\/survey\.acme\.test(\/s\/[A-Za-z0-9_.-]+)/.exec(
      JSON.stringify(dm?.args.blocks),
    )?.[1];
    const url = health.replace('/healthz', path ?? '/s/missing');
    expect((await fetch(url)).status).toBe(200);
    expect((await answerForm(url, { score: '5' })).status).toBe(200);
    expect(getSurveyRequest(loop.db, 1)?.answer).toMatchObject({ score: 5, via: 'page' });
    expect((await fetch(health.replace('/healthz', '/s/forged.token'))).status).toBe(404);
  });

  it('handles interactive and events_api envelopes: a message shortcut opens the form, Home is published', async () => {
    const { web, socket } = await startSocketApp();
    await socket.waitForConnections(1);
    const shortcut = messageShortcutPayload({
      callbackId: MessageShortcuts.forwardFeedback,
      triggerId: web.issueTriggerId(),
      message: { text: 'The parcel never arrived' },
    });
    await socket.send('interactive', shortcut);
    const [open] = await web.waitFor({ method: 'views.open' });
    expect(open?.response.ok).toBe(true);

    await socket.send('events_api', eventCallbackEnvelope(appHomeOpenedEvent(ids.rep)));
    await web.waitFor({ method: 'views.publish', where: (c) => c.args.user_id === ids.rep });
  });

  it('reconnects when Slack sends disconnect, and reports 503 while the socket is down', async () => {
    const { web, socket, health } = await startSocketApp();
    await socket.waitForConnections(1);
    await waitForHealth(health, 200);

    socket.requestReconnect('refresh_requested');
    await socket.waitForConnections(2);
    await waitForHealth(health, 200);
    expect(web.callsTo('apps.connections.open')).toHaveLength(2);

    socket.refuseConnections('internal_error');
    socket.dropConnections();
    await waitForHealth(health, 503);
    expect(await (await fetch(health)).json()).toMatchObject({ status: 'unhealthy', connected: false });
    socket.refuseConnections(undefined);
    await socket.waitForConnections(3);
    await waitForHealth(health, 200);
    const ack = await socket.send(
      'slash_commands',
      slashCommandFields({
        command: Commands.feedback,
        text: 'help',
        user_id: ids.rep,
        response_url: web.responseUrl(),
      }),
    );
    expect(ack.payload?.text).toBeDefined();
  });

  it('when Slack cannot be reached: 503, one clear error per attempt naming the URL with a hint, backing off', async () => {
    const closed = await unusedPort();
    const apiUrl = `http://127.0.0.1:${closed}/api/`;
    const { health, logs, loop } = await startSocketApp({ apiUrl });
    const failures = await pollUntil(
      () => {
        const lines = logs.lines.filter((l) => String(l.msg).startsWith('Socket Mode not connected'));
        return lines.length >= 3 ? lines : undefined;
      },
      5000,
      () => 'fewer than 3 connection failures logged',
    );
    expect(failures[0]?.msg).toContain(`cannot reach Slack at ${apiUrl}apps.connections.open`);
    expect(failures[0]?.msg).toContain('ECONNREFUSED');
    expect(String(failures[0]?.hint)).toContain('outbound HTTPS');
    expect(failures.map((l) => l.retryInMs)).toEqual([50, 100, 200]);
    expect(await healthStatus(health)).toBe(503);
    await loop.stop(1000);
  });

  it('names a refused app-level token and what to do', async () => {
    const { logs, health } = await startSocketApp({
      beforeStart: (s) => s.refuseConnections('invalid_auth'),
    });
    const line = await pollUntil(
      () => logs.lines.find((l) => String(l.msg).startsWith('Socket Mode not connected')),
      5000,
      () => 'no connection failure logged',
    );
    expect(line.msg).toContain('Slack refused the app-level token (invalid_auth)');
    expect(String(line.hint)).toContain('SLACK_APP_TOKEN');
    // Never connected yet: a load balancer or container health check sees 503.
    expect(await (await fetch(health)).json()).toMatchObject({ status: 'unhealthy', connected: false });
    expect(await healthStatus(health)).toBe(503);
  });
});

/** A port nothing listens on (bound, read, released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
