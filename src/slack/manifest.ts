import { Commands, EventSubscriptions, Events, MessageShortcuts } from './ids.js';

/**
 * The Slack app manifest, built from the code's own ids so it declares exactly what the app registers, for
 * either transport. `npm run manifest` prints it; the files in manifests/ are its output for the defaults,
 * and test/unit/manifest.test.ts checks both against the registrations and the Web API methods called.
 */

export type ManifestOptions = {
  mode: 'socket' | 'http';
  /** HTTP mode: the public base URL Slack posts to (`/slack/events` is appended). */
  publicUrl?: string;
  /** `kudos.withdraw_on_message_deleted` in the org config: subscribe to message events in channels. */
  withdrawOnMessageDeleted: boolean;
};

export const PLACEHOLDER_URL = 'https://courtesy-loop.example.com';

/** Every bot scope the app asks for, and what it is for (README and `npm run doctor` show these). */
export const BOT_SCOPES = {
  'channels:history':
    'read the bot’s own recent posts in public channels, so a post is never sent twice after a crash; with kudos.withdraw_on_message_deleted, also to hear that a message was deleted',
  'channels:join': 'join public department, triage and kudos channels by itself',
  'channels:read': 'turn #channel-name in the org config into a channel id; doctor checks the channels exist',
  'chat:write': 'post and update feedback items, receipts, reminders, kudos and digests',
  commands: '/feedback, /kudos, /strategy and /loop',
  'files:write': 'upload the digest’s trend chart',
  'groups:history': 'the same as channels:history, in private channels the bot was invited to',
  'groups:read': 'the same for private channels the app was invited to',
  'im:history':
    'read the bot’s own recent posts in its DMs, so a receipt, status note or digest is never sent twice after a crash',
  'im:write': 'open the DMs that carry receipts, status notes, kudos and digests',
  'reactions:read': 'emoji-reaction kudos (reaction_added / reaction_removed)',
  'usergroups:read': 'user groups in the org config (by @handle) and their members',
  'users:read': 'time zones, and whether someone is a bot or deactivated (kudos rules)',
  'users:read.email': 'turn e-mail addresses in the org config into user ids',
} as const;

/** What each subscribed event is for. */
export const EVENT_PURPOSES = {
  app_home_opened: 'draw the Home tab when someone opens it',
  app_uninstalled: 'stop posting and tell the admins once the app is installed again',
  tokens_revoked: 'the same when the bot token is revoked',
  reaction_added: 'give a kudos with the configured emoji',
  reaction_removed: 'take a reaction kudos back within the undo window',
  'message.channels':
    'withdraw kudos whose message was deleted (only with kudos.withdraw_on_message_deleted)',
  'message.groups': 'the same, in private channels',
} as const;

const MESSAGE_SUBSCRIPTIONS: readonly string[] = EventSubscriptions[Events.message];

export function botEvents(withdrawOnMessageDeleted: boolean): string[] {
  return Object.values(Events)
    .flatMap((e) => EventSubscriptions[e])
    .filter((s) => withdrawOnMessageDeleted || !MESSAGE_SUBSCRIPTIONS.includes(s))
    .sort();
}

const COMMANDS = [
  {
    command: Commands.feedback,
    description: 'Forward customer feedback to the team that can fix it',
    usage_hint: '[department:] what the customer said — or nothing, for the form — or mine',
  },
  {
    command: Commands.loop,
    description: 'Courtesy Loop help; admins - status, config reload, team reminders',
    usage_hint: 'help | status | reload | remind <department> [preview]',
  },
  {
    command: Commands.strategy,
    description: "The company promise, your team's part in it, and how the team is doing",
    usage_hint: '[department]',
  },
  {
    command: Commands.kudos,
    description: 'Thank colleagues for what they did',
    usage_hint: '@name [@name…] for what they did #value — or nothing, for the form',
  },
];

export function buildManifest(options: ManifestOptions): Record<string, unknown> {
  const http = options.mode === 'http';
  const requestUrl = `${(options.publicUrl ?? PLACEHOLDER_URL).replace(/\/+$/, '')}/slack/events`;
  const url = http ? { request_url: requestUrl } : {};
  return {
    display_information: {
      name: 'Courtesy Loop',
      description: 'Customer feedback reaches the team that can fix it, and the loop closes.',
      long_description:
        'Courtesy Loop runs two loops that keep customers. Support reps forward what customers say with /feedback or a message shortcut; it is stored, routed to the department that can fix it, and the rep hears back. Inside the company, colleagues thank each other in public and every team is reminded of its part in the customer-service promise. Managers get a weekly digest of what customers said and how the company answered.',
      background_color: '#1d4e5f',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: 'courtesy-loop', always_online: true },
      shortcuts: [
        {
          name: 'Forward as customer feedback',
          type: 'message',
          callback_id: MessageShortcuts.forwardFeedback,
          description: 'Send this message to the team that can fix it',
        },
        {
          name: 'Give kudos for this',
          type: 'message',
          callback_id: MessageShortcuts.giveKudos,
          description: 'Thank the author of this message',
        },
      ],
      slash_commands: COMMANDS.map((c) => ({
        command: c.command,
        ...(http ? { url: requestUrl } : {}),
        description: c.description,
        usage_hint: c.usage_hint,
        should_escape: true,
      })),
    },
    oauth_config: { scopes: { bot: Object.keys(BOT_SCOPES).sort() } },
    settings: {
      event_subscriptions: { ...url, bot_events: botEvents(options.withdrawOnMessageDeleted) },
      interactivity: { is_enabled: true, ...url },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}
