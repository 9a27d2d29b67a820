import type { ViewStateValue } from '@slack/bolt';
import { z } from 'zod';

/** What the page may ask of the sandbox server, validated before anything is sent to the app. */

const id = z.string().regex(/^[A-Z0-9]{2,30}$/, 'must be a Slack id');
const ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'must be a message ts');

export const stateQuery = z.object({ user: id, channel: id, since: z.string().max(100).optional() });

export const sayBody = z.object({ user: id, channel: id, text: z.string().trim().min(1).max(40_000) });

const option = z.object({ text: z.string().max(3000), value: z.string().max(2000) });
const slackOption = z.object({
  text: z.object({
    type: z.literal('plain_text'),
    text: z.string().max(3000),
    emoji: z.boolean().optional(),
  }),
  value: z.string().max(2000),
});

/** One input's value, shaped as Slack puts it in `view.state.values` (the page builds it so). */
const viewStateValue = z
  .object({
    type: z.string().max(60),
    value: z.string().max(3000).nullable().optional(),
    selected_option: slackOption.nullable().optional(),
    selected_options: z.array(slackOption).max(100).optional(),
    selected_user: z.string().max(30).nullable().optional(),
    selected_users: z.array(z.string().max(30)).max(100).optional(),
    selected_channel: z.string().max(30).nullable().optional(),
    selected_conversation: z.string().max(30).nullable().optional(),
    selected_date: z.string().max(10).nullable().optional(),
    selected_time: z.string().max(5).nullable().optional(),
  })
  .transform(
    (v): ViewStateValue => ({
      ...(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Omit<
        ViewStateValue,
        'type'
      >),
      type: v.type,
    }),
  );

export const viewState = z.record(z.string().max(255), z.record(z.string().max(255), viewStateValue));

export const actionBody = z.object({
  user: id,
  target: z.union([z.object({ channel: id, ts }), z.object({ viewId: id })]),
  action: z.object({
    type: z.enum(['button', 'static_select', 'overflow', 'users_select', 'radio_buttons', 'checkboxes']),
    actionId: z.string().min(1).max(255),
    blockId: z.string().max(255),
    value: z.string().max(2000).optional(),
    text: z.string().max(3000).optional(),
    selectedOption: option.optional(),
    selectedUser: id.optional(),
  }),
  state: viewState.optional(),
});

export const submitBody = z.object({ user: id, viewId: id, values: viewState });

export const userBody = z.object({ user: id });

export const shortcutBody = z.object({ user: id, channel: id, ts, callbackId: z.string().min(1).max(255) });

export const reactBody = z.object({
  user: id,
  channel: id,
  ts,
  emoji: z.string().regex(/^[a-z0-9_+-]{1,60}$/, 'must be an emoji name such as clap'),
  add: z.boolean(),
});

export const timeBody = z.object({ op: z.enum(['tick', 'day', 'week', 'reminders', 'digests']) });
