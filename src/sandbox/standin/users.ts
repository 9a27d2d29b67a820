import { DateTime } from 'luxon';

/** What a test may say about a user; everything else gets a realistic default. */
export interface UserSpec {
  id: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  /** IANA zone; default `America/New_York`. */
  tz?: string;
  is_bot?: boolean;
  /** A workflow's bot user: Slack answers `is_bot: false`, `is_workflow_bot: true`. */
  is_workflow_bot?: boolean;
  deleted?: boolean;
  is_admin?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  title?: string;
}

export const DEFAULT_TZ = 'America/New_York';

/** Offset of `timeZone` from UTC at `at`, in seconds (as Slack's `tz_offset`). */
export function tzOffsetSeconds(timeZone: string, at: Date): number {
  return DateTime.fromJSDate(at, { zone: timeZone }).offset * 60;
}

function tzLabel(timeZone: string, at: Date): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale('en-US').offsetNameLong ?? timeZone;
}

function defaultName(id: string): string {
  return `user.${id.toLowerCase()}`;
}

/** A `users.info` user object shaped as Slack returns it. */
export function userObject(spec: UserSpec, teamId: string, at: Date): Record<string, unknown> {
  const tz = spec.tz ?? DEFAULT_TZ;
  const name = spec.name ?? defaultName(spec.id);
  const realName = spec.real_name ?? `User ${spec.id}`;
  const displayName = spec.display_name ?? name;
  const isBot = spec.is_bot ?? false;
  const avatar = `https://secure.gravatar.com/avatar/${spec.id.toLowerCase()}.jpg`;
  return {
    id: spec.id,
    team_id: teamId,
    name,
    deleted: spec.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    tz_label: tzLabel(tz, at),
    tz_offset: tzOffsetSeconds(tz, at),
    profile: {
      title: spec.title ?? '',
      phone: '',
      skype: '',
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: 'ge3b51ca72de',
      ...(isBot ? { bot_id: `B${spec.id.slice(1)}`, always_active: false } : {}),
      ...(spec.email !== undefined || !isBot ? { email: spec.email ?? `${name}@example.com` } : {}),
      image_24: avatar,
      image_32: avatar,
      image_48: avatar,
      image_72: avatar,
      image_192: avatar,
      image_512: avatar,
      team: teamId,
    },
    is_admin: spec.is_admin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: spec.is_restricted ?? false,
    is_ultra_restricted: spec.is_ultra_restricted ?? false,
    is_bot: isBot,
    ...(spec.is_workflow_bot ? { is_workflow_bot: true } : {}),
    is_app_user: false,
    updated: 1_700_000_000,
    is_email_confirmed: !isBot,
    who_can_share_contact_card: 'EVERYONE',
  };
}
