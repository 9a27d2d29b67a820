import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { Events } from './ids.js';

/**
 * Signed requests the app has no listener for get HTTP 200 at once, with a warn line, instead of Bolt's 404
 * after its 3-second unhandled-request timeout. Slack counts slow or failed event deliveries and disables
 * subscriptions that keep failing (5% in 60 minutes), and a person clicking a button from an older version of
 * the app should not wait 3 s for an error.
 * - `app_rate_limited` (sent without an inner event, exactly when the app is already being limited): answered
 *   before dispatch and logged with the minute Slack started limiting.
 * - events of a type the app does not listen to: answered before dispatch.
 * - anything else no listener acknowledged (unknown action, callback or command): answered as soon as the
 *   dispatch is over, which is when Bolt knows that no listener matched.
 */

const LISTENED_EVENTS: ReadonlySet<string> = new Set(Object.values(Events));

const rateLimited = z
  .object({
    type: z.literal('app_rate_limited'),
    team_id: z.string().optional(),
    api_app_id: z.string().optional(),
    minute_rate_limited: z.number().int().nonnegative(),
  })
  .loose();

const described = z
  .object({
    type: z.string().optional(),
    team_id: z.string().optional(),
    team: z.object({ id: z.string() }).loose().optional(),
    command: z.string().optional(),
    callback_id: z.string().optional(),
    event: z.object({ type: z.string() }).loose().optional(),
    view: z.object({ callback_id: z.string().optional() }).loose().optional(),
    actions: z.array(z.object({ action_id: z.string().optional() }).loose()).optional(),
  })
  .loose();

/** What a request was, for the warn line: never its text or user data. */
function describe(body: unknown): Record<string, unknown> {
  const b = described.safeParse(body);
  if (!b.success) return {};
  const d = b.data;
  return {
    type: d.type,
    team: d.team_id ?? d.team?.id,
    ...(d.event ? { event: d.event.type } : {}),
    ...(d.command ? { command: d.command } : {}),
    ...(d.callback_id ? { callbackId: d.callback_id } : {}),
    ...(d.view?.callback_id ? { callbackId: d.view.callback_id } : {}),
    ...(d.actions ? { actionIds: d.actions.map((a) => a.action_id) } : {}),
  };
}

/** The answer due before dispatch, if the body alone says no listener can handle it. */
function answerBeforeDispatch(body: Record<string, unknown>, log: Logger): boolean {
  const limited = body.type === 'app_rate_limited' ? rateLimited.safeParse(body) : undefined;
  if (limited?.success) {
    const { team_id: team, api_app_id: appId, minute_rate_limited: minute } = limited.data;
    log.warn(
      { team, appId, minuteRateLimited: minute, since: new Date(minute * 1000).toISOString() },
      'Slack is rate-limiting event deliveries to this app (app_rate_limited): events from this workspace are being dropped',
    );
    return true;
  }
  const event = body.event as { type?: unknown } | undefined;
  if (body.type === 'event_callback' && typeof event?.type === 'string') {
    if (LISTENED_EVENTS.has(event.type)) return false;
    log.warn(describe(body), 'event of a type the app does not listen to; answered 200 and ignored');
    return true;
  }
  return false;
}

/**
 * Wrap the app's dispatch (HTTP and Socket Mode receivers both call `processEvent`). `beforeAnswer` runs before
 * Bolt dispatches, and so before it answers an event (it answers events before their listener runs); if it
 * throws, Slack is not answered 200 and sends the request again.
 */
export function answerUnhandledRequests(
  app: App,
  logger: Logger,
  beforeAnswer?: (body: unknown) => void | Promise<void>,
): void {
  const log = logger.child({ module: 'unhandled-request' });
  const dispatch = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent): Promise<void> => {
    if (answerBeforeDispatch(event.body, log)) {
      await event.ack();
      return;
    }
    await beforeAnswer?.(event.body);
    let acknowledged = false;
    await dispatch({
      ...event,
      ack: async (response?: unknown) => {
        acknowledged = true;
        await event.ack(response);
      },
    });
    if (!acknowledged) {
      await event.ack();
      log.warn(describe(event.body), 'no listener handles this request; answered 200 and ignored');
    }
  };
}
