import { z } from 'zod';
import {
  always,
  blankAsDefault,
  channelId,
  reportDuplicates,
  stringAt,
  text,
  usergroupId,
  userId,
  wholeNumber,
} from './schema-shapes.js';

/** The kudos section: channel, allowance, caps, values, the reaction emoji and the overrides. */

const VALUE_ID_MESSAGE =
  'must be a short tag of lower-case letters, digits, dashes or underscores, starting with a letter (at most 30), like ownership';

export const kudosValueSchema = z.strictObject(
  {
    id: z.string({ error: VALUE_ID_MESSAGE }).regex(/^[a-z][a-z0-9_-]{0,29}$/, VALUE_ID_MESSAGE),
    label: text(1, 40, 'a label'),
    description: blankAsDefault(text(1, 200, 'a description').optional()),
  },
  { error: 'must be a company value: a section with `id` and `label` (and optionally `description`)' },
);

const EMOJI_MESSAGE =
  'must be an emoji name without colons, like clap or raised_hands (lower-case letters, digits, _, - and +)';

const OVERRIDE_MESSAGE =
  'must be a section with `daily_allowance` and exactly one of `user` (a user ID) or `usergroup` (a user group ID)';

export const allowanceOverrideSchema = z
  .strictObject(
    {
      user: blankAsDefault(userId.optional()),
      usergroup: blankAsDefault(usergroupId.optional()),
      daily_allowance: wholeNumber(0, 100),
    },
    { error: OVERRIDE_MESSAGE },
  )
  .refine((o) => (o.user === undefined) !== (o.usergroup === undefined), OVERRIDE_MESSAGE);

export const KUDOS_VISIBILITIES = ['channel', 'thread', 'private'] as const;

export const kudosSchema = z
  .strictObject(
    {
      channel: channelId,
      visibility: blankAsDefault(
        z
          .enum(KUDOS_VISIBILITIES, {
            error:
              'must be channel (post in the kudos channel), thread (reply under the message thanked) or private (DMs only)',
          })
          .default('channel'),
      ),
      daily_allowance: blankAsDefault(wholeNumber(1, 100).default(5)),
      per_recipient_daily_cap: blankAsDefault(wholeNumber(1, 100).default(2)),
      min_reason_length: blankAsDefault(wholeNumber(0, 500).default(10)),
      max_recipients: blankAsDefault(wholeNumber(1, 25).default(10)),
      values: blankAsDefault(
        z
          .array(kudosValueSchema, { error: 'must be a list of company values' })
          .superRefine((items, ctx) => {
            reportDuplicates(
              items,
              ctx,
              (item) => stringAt(item, 'id'),
              (item, index, first) => ({
                path: [index, 'id'],
                message: `repeats value \`${stringAt(item, 'id')}\` (already at [${first}]); list each value once`,
              }),
            );
          }, always)
          .default([]),
      ),
      require_value: blankAsDefault(z.boolean({ error: 'must be true or false' }).default(false)),
      reaction: blankAsDefault(
        z
          .string({ error: EMOJI_MESSAGE })
          .transform((s) => s.trim().replace(/^:|:$/g, ''))
          .pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, EMOJI_MESSAGE))
          .optional(),
      ),
      undo_window_minutes: blankAsDefault(wholeNumber(0, 10_080).default(60)),
      withdraw_on_message_deleted: blankAsDefault(
        z.boolean({ error: 'must be true or false' }).default(false),
      ),
      allowance_overrides: blankAsDefault(
        z
          .array(allowanceOverrideSchema, {
            error: 'must be a list of { user or usergroup, daily_allowance }',
          })
          .default([]),
      ),
    },
    { error: 'must be a section with at least `channel` (or be left out to turn kudos off)' },
  )
  .superRefine((kudos, ctx) => {
    if (kudos.require_value && kudos.values.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['require_value'],
        message: 'is true, but no `values` are listed; list the company values or set require_value: false',
      });
    }
  });

export type KudosConfig = z.output<typeof kudosSchema>;
