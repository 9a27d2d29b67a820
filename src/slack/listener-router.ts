import type {
  App,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

/**
 * What the feature rooms register their listeners on: the Bolt calls they use, with the same listener arguments,
 * each keyed by one string id from ids.ts (command name, action_id, view callback_id, shortcut callback_id,
 * event type). A view listener gets view submissions only, as Bolt's `app.view(callbackId)` does.
 */
export type ListenerRegistry = {
  command(name: string, listener: Middleware<SlackCommandMiddlewareArgs>): void;
  action(actionId: string, listener: Middleware<SlackActionMiddlewareArgs>): void;
  view(callbackId: string, listener: Middleware<SlackViewMiddlewareArgs>): void;
  shortcut(callbackId: string, listener: Middleware<SlackShortcutMiddlewareArgs>): void;
  event<EventType extends string>(
    type: EventType,
    listener: Middleware<SlackEventMiddlewareArgs<EventType>>,
  ): void;
};

/** The Bolt calls the router makes (a real `App`, or a test's recorder around one). */
export type BoltListenerTarget = Pick<App, 'command' | 'action' | 'view' | 'shortcut' | 'event'>;

export type ListenerRouter = ListenerRegistry & {
  /**
   * Registers one Bolt listener per request type that has listeners; each finds the listener for the request's
   * id in a Map. Bolt otherwise runs every registration's own matcher chain for every request. Once only.
   */
  attach(app: BoltListenerTarget): void;
};

/** Lets every request of a type through Bolt's own matcher: the router's Map does the matching. */
const EVERY_NAME = /(?:)/;

type Table<Args> = { kind: string; byId: Map<string, Middleware<Args>> };

function table<Args>(kind: string): Table<Args> {
  return { kind, byId: new Map() };
}

/** One listener per id: a second one would silently never run (or both would), so start-up fails instead. */
function add<Args>({ kind, byId }: Table<Args>, id: string, listener: Middleware<Args>): void {
  if (byId.has(id)) {
    throw new Error(`Two listeners registered for the ${kind} "${id}": each ${kind} must have exactly one.`);
  }
  byId.set(id, listener);
}

export function createListenerRouter(): ListenerRouter {
  const commands = table<SlackCommandMiddlewareArgs>('command');
  const actions = table<SlackActionMiddlewareArgs>('action_id');
  const views = table<SlackViewMiddlewareArgs>('view callback_id');
  const shortcuts = table<SlackShortcutMiddlewareArgs>('shortcut callback_id');
  const events = table<SlackEventMiddlewareArgs>('event type');
  let attached = false;
  return {
    command: (name, listener) => add(commands, name, listener),
    action: (actionId, listener) => add(actions, actionId, listener),
    view: (callbackId, listener) => add(views, callbackId, listener),
    shortcut: (callbackId, listener) => add(shortcuts, callbackId, listener),
    event: (type, listener) => add(events, type, listener as Middleware<SlackEventMiddlewareArgs>),
    attach(app) {
      if (attached) throw new Error('The listener router is already attached to a Bolt app.');
      attached = true;
      if (commands.byId.size > 0)
        app.command(EVERY_NAME, async (args) => {
          await commands.byId.get(args.command.command)?.(args);
        });
      if (actions.byId.size > 0)
        app.action({}, async (args: Parameters<Middleware<SlackActionMiddlewareArgs>>[0]) => {
          // Bolt's action_id constraint: only payloads that carry one (block actions).
          const { action_id: id } = args.payload as { action_id?: unknown };
          if (typeof id === 'string') await actions.byId.get(id)?.(args);
        });
      if (views.byId.size > 0)
        app.view({ type: 'view_submission' }, async (args) => {
          await views.byId.get(args.view.callback_id)?.(args);
        });
      if (shortcuts.byId.size > 0)
        app.shortcut({}, async (args: Parameters<Middleware<SlackShortcutMiddlewareArgs>>[0]) => {
          await shortcuts.byId.get(args.shortcut.callback_id)?.(args);
        });
      if (events.byId.size > 0)
        app.event(EVERY_NAME, async (args) => {
          await events.byId.get(args.event.type)?.(args);
        });
    },
  };
}
