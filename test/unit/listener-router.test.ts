import { App, LogLevel, type ReceiverEvent } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoltListenerTarget, createListenerRouter } from '../../src/slack/listener-router.js';
import { startHarness } from '../support/app-harness.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  buttonAction,
  eventCallbackEnvelope,
  messageShortcutPayload,
  PAYLOAD_DEFAULTS,
  slashCommandFields,
  viewSubmissionPayload,
} from '../support/slack-payloads.js';

/**
 * The listener router: features register by id, Bolt gets one listener per request type, and a request reaches
 * exactly the listener of its id through Bolt's own request path (a real Bolt app, requests handed to it as its
 * receivers hand them over). The e2e suite covers every real listener through the router.
 */

const TYPES = ['command', 'action', 'view', 'shortcut', 'event'] as const;
type RequestType = (typeof TYPES)[number];

/** A real Bolt app that needs no network: authorization answers with the test bot. */
function boltApp(errors: unknown[] = []): App {
  const app = new App({
    signingSecret: 'test-signing-secret',
    authorize: async () => ({
      botToken: 'xoxb-test',
      botId: PAYLOAD_DEFAULTS.botId,
      botUserId: PAYLOAD_DEFAULTS.botUserId,
    }),
    logLevel: LogLevel.ERROR,
    extendedErrorHandler: true,
  });
  // With extendedErrorHandler Bolt passes { error, logger, context, body } (its type for that is not exported).
  const collect = async ({ error }: { error: Error }) => {
    errors.push(error);
  };
  app.error(collect as unknown as Parameters<App['error']>[0]);
  return app;
}

/** The app, with every listener registration Bolt receives counted by request type. */
function countRegistrations(app: App): { target: BoltListenerTarget; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const target = new Proxy(app, {
    get(real, prop, receiver) {
      const value = Reflect.get(real, prop, receiver);
      if (typeof value !== 'function' || !TYPES.includes(prop as RequestType)) return value;
      return (...args: unknown[]) => {
        counts[prop as string] = (counts[prop as string] ?? 0) + 1;
        return value.apply(real, args);
      };
    },
  });
  return { target, counts };
}

/** Hands a request body to Bolt as a receiver does; says whether it was acknowledged. */
async function send(app: App, body: object): Promise<{ acked: boolean }> {
  let acked = false;
  const event: ReceiverEvent = {
    body: body as ReceiverEvent['body'],
    ack: async () => {
      acked = true;
    },
  };
  await app.processEvent(event);
  return { acked };
}

const requests = {
  command: (id: string) => slashCommandFields({ command: id }),
  action: (id: string) => blockActionsPayload({ actions: [buttonAction({ actionId: id, value: 'v' })] }),
  view: (id: string) => viewSubmissionPayload({ callbackId: id }),
  shortcut: (id: string) => messageShortcutPayload({ callbackId: id }),
  event: (id: string) => eventCallbackEnvelope({ ...appHomeOpenedEvent(PAYLOAD_DEFAULTS.user.id), type: id }),
} satisfies Record<RequestType, (id: string) => object>;

const ids = {
  command: ['/first', '/second'],
  action: ['first_action', 'second_action'],
  view: ['first_view', 'second_view'],
  shortcut: ['first_shortcut', 'second_shortcut'],
  event: ['app_home_opened', 'reaction_added'],
} satisfies Record<RequestType, [string, string]>;

/** A router with two listeners per type, each recording the id it was called for and what Bolt gave it. */
function recordingRouter() {
  const calls: { type: RequestType; id: string; args: Record<string, unknown> }[] = [];
  const router = createListenerRouter();
  for (const type of TYPES) {
    for (const id of ids[type]) {
      const listener = async (args: Record<string, unknown>) => {
        calls.push({ type, id, args });
        if (typeof args.ack === 'function') await args.ack();
      };
      (
        router[type] as unknown as (
          id: string,
          listener: (args: Record<string, unknown>) => Promise<void>,
        ) => void
      )(id, listener);
    }
  }
  return { router, calls };
}

describe('the listener router', () => {
  it('gives Bolt one listener per request type and dispatches each request to the listener of its id', async () => {
    const app = boltApp();
    const { router, calls } = recordingRouter();
    const { target, counts } = countRegistrations(app);
    router.attach(target);
    expect(counts).toEqual({ command: 1, action: 1, view: 1, shortcut: 1, event: 1 });

    for (const type of TYPES) {
      const [, second] = ids[type];
      calls.length = 0;
      const { acked } = await send(app, requests[type](second));
      expect(calls.map((c) => `${c.type} ${c.id}`)).toEqual([`${type} ${second}`]);
      expect(acked).toBe(true);
      // The listener gets Bolt's own arguments for its type.
      const args = calls[0]?.args ?? {};
      expect(args).toHaveProperty(type);
      expect(args).toHaveProperty('client');
      expect(args).toHaveProperty('context');
    }
  });

  it('leaves requests nobody registered unacknowledged, as Bolt does, and sends view_closed to no view listener', async () => {
    const app = boltApp();
    const { router, calls } = recordingRouter();
    router.attach(app);
    for (const type of ['command', 'action', 'view', 'shortcut'] as const) {
      expect(await send(app, requests[type]('nobody_has_this'))).toEqual({ acked: false });
    }
    const closed = { ...viewSubmissionPayload({ callbackId: ids.view[0] }), type: 'view_closed' };
    expect(await send(app, closed)).toEqual({ acked: false });
    await send(app, requests.event('reaction_removed'));
    expect(calls).toEqual([]);
  });

  it("keeps Bolt's self-event filter and error path", async () => {
    const errors: unknown[] = [];
    const app = boltApp(errors);
    const router = createListenerRouter();
    const seen: string[] = [];
    const failure = new Error('listener failed');
    router.event('app_home_opened', async ({ event }) => {
      seen.push(event.user);
    });
    router.command('/fails', async () => {
      throw failure;
    });
    router.attach(app);

    await send(app, eventCallbackEnvelope(appHomeOpenedEvent(PAYLOAD_DEFAULTS.botUserId)));
    await send(app, eventCallbackEnvelope(appHomeOpenedEvent(PAYLOAD_DEFAULTS.user.id)));
    expect(seen).toEqual([PAYLOAD_DEFAULTS.user.id]);

    await send(app, slashCommandFields({ command: '/fails' }));
    // Bolt's error path, as before: app.error gets the listener's error (wrapped as Bolt's UnknownError).
    expect(errors.map((e) => (e as { original?: unknown }).original)).toEqual([failure]);
  });

  it('refuses a second listener for an id of the same type, and accepts the same id for another type', () => {
    const router = createListenerRouter();
    const listener = async () => {};
    router.command('/first', listener);
    router.view('shared_id', listener);
    router.shortcut('shared_id', listener);
    expect(() => router.command('/first', listener)).toThrow(
      'Two listeners registered for the command "/first"',
    );
    expect(() => router.view('shared_id', listener)).toThrow('view callback_id "shared_id"');
    expect(() => router.attach(boltApp())).not.toThrow();
    expect(() => router.attach(boltApp())).toThrow('already attached');
  });
});

describe("the app's listeners", () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('all reach Bolt as one listener per request type', () => {
    const router = createListenerRouter();
    harness.loop.registerListeners(router);
    const { target, counts } = countRegistrations(boltApp());
    router.attach(target);
    expect(counts).toEqual({ command: 1, action: 1, view: 1, shortcut: 1, event: 1 });
  });

  it('refuse a second registration of any of their ids', () => {
    const router = createListenerRouter();
    harness.loop.registerListeners(router);
    expect(() => harness.loop.registerListeners(router)).toThrow(/^Two listeners registered for the /);
  });
});
