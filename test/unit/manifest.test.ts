import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Commands, EventSubscriptions, Events, MessageShortcuts } from '../../src/slack/ids.js';
import type { ListenerRegistry } from '../../src/slack/listener-router.js';
import { BOT_SCOPES, buildManifest, EVENT_PURPOSES, type ManifestOptions } from '../../src/slack/manifest.js';
import { type Harness, startHarness } from '../support/app-harness.js';

/**
 * The manifest must declare exactly what the code registers and the scopes for exactly the Web API
 * methods the code calls. Registrations are recorded from the real register functions; methods are
 * found in the source, so a new `client.x.y(` call without its scope fails here, not in production.
 */

type Manifest = {
  features: {
    slash_commands?: { command: string; should_escape?: boolean; url?: string }[];
    shortcuts?: { callback_id: string; type: 'message' | 'global'; name: string }[];
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { bot_events?: string[]; request_url?: string };
    interactivity?: { is_enabled: boolean };
  };
};

/** The committed manifests are the generator's output for the defaults (message events off). */
const COMMITTED = {
  socket: 'manifests/slack-app.socket.yaml',
  http: 'manifests/slack-app.http.yaml',
} as const;

// The real app (every feature room, built as `npm start` builds it) registers its listeners on a recorder.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

function recordRegistrations() {
  const seen = {
    commands: [] as string[],
    shortcuts: [] as string[],
    events: [] as string[],
    views: [] as string[],
    actions: [] as string[],
  };
  const id = (c: unknown) =>
    typeof c === 'string'
      ? c
      : ((c as { callback_id?: string; action_id?: string }).callback_id ??
        (c as { action_id?: string }).action_id ??
        String(c));
  const recorder: ListenerRegistry = {
    command: (name: string) => seen.commands.push(name),
    shortcut: (c: unknown) => seen.shortcuts.push(id(c)),
    event: (name: string) => seen.events.push(name),
    view: (c: unknown) => seen.views.push(id(c)),
    action: (c: unknown) => seen.actions.push(id(c)),
  };
  harness.loop.registerListeners(recorder);
  return seen;
}

/** Scope needed per Web API method the app calls. Add a line when code calls a new method. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.join': ['channels:join'],
  'conversations.open': ['im:write'],
  // Before posting again after a crash, the outbox looks for its post in channels, private channels and DMs.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
  'users.info': ['users:read'],
  'usergroups.users.list': ['usergroups:read'],
  'usergroups.list': ['usergroups:read'],
  'users.lookupByEmail': ['users:read.email'],
  'conversations.list': ['channels:read', 'groups:read'],
  'conversations.info': ['channels:read', 'groups:read'],
  'auth.test': [],
  // Socket Mode, with the app-level token (its scope, connections:write, is not a bot scope).
  'apps.connections.open': [],
  'reactions.get': ['reactions:read'],
  'files.uploadV2': ['files:write'],
};

/** Scope Slack requires to deliver each subscribed event. */
const EVENT_SCOPES: Record<string, string[]> = {
  app_home_opened: [],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  app_uninstalled: [],
  tokens_revoked: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function methodsCalled(): Set<string> {
  const methods = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z0-9]+)+)\(/g)) methods.add(m[1] as string);
  }
  return methods;
}

const VARIANTS: ManifestOptions[] = [
  { mode: 'socket', withdrawOnMessageDeleted: false },
  { mode: 'socket', withdrawOnMessageDeleted: true },
  { mode: 'http', withdrawOnMessageDeleted: false },
  { mode: 'http', withdrawOnMessageDeleted: true, publicUrl: 'https://loop.acme.test/' },
];

describe.each(VARIANTS)(
  'Slack app manifest ($mode, message events: $withdrawOnMessageDeleted)',
  (options) => {
    let registered: ReturnType<typeof recordRegistrations>;
    beforeAll(() => {
      registered = recordRegistrations();
    });
    const manifest = buildManifest(options) as Manifest;

    it('declares exactly the slash commands the code registers, with escaped mentions', () => {
      const declared = (manifest.features.slash_commands ?? []).map((c) => c.command).sort();
      expect(declared).toEqual([...new Set(registered.commands)].sort());
      expect(declared).toEqual(Object.values(Commands).sort());
      for (const c of manifest.features.slash_commands ?? []) expect(c.should_escape, c.command).toBe(true);
    });

    it('declares exactly the shortcuts the code registers', () => {
      const declared = (manifest.features.shortcuts ?? []).map((s) => s.callback_id).sort();
      expect(declared).toEqual([...registered.shortcuts].sort());
      expect(declared).toEqual(Object.values(MessageShortcuts).sort());
      for (const s of manifest.features.shortcuts ?? []) {
        if ((Object.values(MessageShortcuts) as string[]).includes(s.callback_id))
          expect(s.type).toBe('message');
      }
    });

    it('subscribes to exactly the events the code listens for (message events only when withdrawing on delete)', () => {
      const declared = [...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort();
      const listened = options.withdrawOnMessageDeleted
        ? registered.events
        : registered.events.filter((e) => e !== Events.message);
      const subscriptionsFor = (events: readonly string[]) =>
        [...new Set(events)]
          .flatMap((e) => EventSubscriptions[e as keyof typeof EventSubscriptions] ?? [e])
          .sort();
      expect(declared).toEqual(subscriptionsFor(listened));
      expect(declared.some((e) => e.startsWith('message.'))).toBe(options.withdrawOnMessageDeleted);
      expect([...new Set(registered.events)].sort()).toEqual(Object.values(Events).sort());
      for (const e of declared) expect(EVENT_PURPOSES, `say what ${e} is for`).toHaveProperty([e]);
    });

    it('points Slack at /slack/events in HTTP mode, and has no URL at all in Socket Mode', () => {
      const m = manifest as unknown as {
        settings: { socket_mode_enabled: boolean; interactivity: { request_url?: string } };
      };
      const urls = [
        manifest.settings.event_subscriptions?.request_url,
        m.settings.interactivity.request_url,
        ...(manifest.features.slash_commands ?? []).map((c) => c.url),
      ];
      expect(m.settings.socket_mode_enabled).toBe(options.mode === 'socket');
      if (options.mode === 'socket') expect(urls.filter(Boolean)).toEqual([]);
      else for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+(\/[^/]+)*\/slack\/events$/);
      if (options.publicUrl) expect(urls[0]).toBe('https://loop.acme.test/slack/events');
    });

    it('enables the Home tab exactly when the app publishes one', () => {
      expect(manifest.features.app_home?.home_tab_enabled ?? false).toBe(
        methodsCalled().has('views.publish'),
      );
      expect(registered.events).toContain(Events.appHomeOpened);
    });

    it('enables interactivity when the code handles shortcuts, views or actions', () => {
      const interactive =
        registered.shortcuts.length + registered.views.length + registered.actions.length > 0;
      expect(manifest.settings.interactivity?.is_enabled ?? false).toBe(interactive);
    });

    it('asks for exactly the scopes the code needs', () => {
      const needed = new Set<string>();
      const unknown: string[] = [];
      for (const method of methodsCalled()) {
        const scopes = METHOD_SCOPES[method];
        if (scopes === undefined) unknown.push(method);
        else for (const s of scopes) needed.add(s);
      }
      expect(unknown, 'add these Web API methods to METHOD_SCOPES').toEqual([]);
      for (const subscription of manifest.settings.event_subscriptions?.bot_events ?? []) {
        const scopes = EVENT_SCOPES[subscription];
        expect(scopes, `add the event ${subscription} to EVENT_SCOPES`).toBeDefined();
        for (const s of scopes ?? []) needed.add(s);
      }
      if (registered.commands.length > 0) needed.add('commands');
      expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
      expect(Object.keys(BOT_SCOPES).sort()).toEqual([...needed].sort());
    });

    it("keeps within the manifest's documented limits", () => {
      const m = manifest as unknown as {
        display_information: {
          name: string;
          description?: string;
          long_description?: string;
          background_color?: string;
        };
        features: { bot_user: { display_name: string } };
      };
      expect(m.display_information.name.length).toBeLessThanOrEqual(35);
      expect((m.display_information.description ?? '').length).toBeLessThanOrEqual(140);
      const long = m.display_information.long_description ?? '';
      expect(long.length).toBeGreaterThanOrEqual(174);
      expect(long.length).toBeLessThanOrEqual(4000);
      expect(m.display_information.background_color).toMatch(/^#(?:[\da-fA-F]{3}){1,2}$/);
      // Slack allows only a-z, 0-9, -, _ and . in the bot's display name
      expect(m.features.bot_user.display_name).toMatch(/^[\w\-.]{1,80}$/);
      for (const c of manifest.features.slash_commands ?? [])
        expect(c.command.length).toBeLessThanOrEqual(32);
      for (const s of manifest.features.shortcuts ?? []) {
        expect(s.callback_id.length).toBeLessThanOrEqual(255);
        expect(((s as { description?: string }).description ?? '').length).toBeLessThanOrEqual(150);
      }
    });

    it('is what is committed in manifests/ (for the defaults) and what `npm run manifest` prints', () => {
      if (options.withdrawOnMessageDeleted || options.publicUrl) return;
      const committed = readFileSync(COMMITTED[options.mode], 'utf8');
      expect(parse(committed)).toEqual(manifest);
      const printed = execFileSync(
        process.execPath,
        [
          '--import',
          import.meta.resolve('tsx'),
          'src/cli/manifest.ts',
          '--mode',
          options.mode,
          '--config',
          'none',
        ],
        { encoding: 'utf8' },
      );
      expect(printed).toBe(committed);
    });

    it('finds the method calls it checks (the scan itself works)', () => {
      expect(methodsCalled()).toContain('chat.postMessage');
      expect(methodsCalled()).toContain('views.open');
    });
  },
);
