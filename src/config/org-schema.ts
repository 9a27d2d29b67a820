import { z } from 'zod';
import { cronProblem } from '../jobs/cron.js';
import { nameKey, tokenize } from '../text/normalize.js';
import { isTimeZone, WEEKDAYS } from '../time/local-time.js';
import { checkRetentionWindows, retentionSchema } from './retention-schema.js';
import { isSlackId, isSlackName, type RefKind } from './slack-refs.js';

/**
 * The org config file (`data/org.yaml`), as a zod schema. Every object is strict: an unknown key is
 * almost always a typo (`chanel:`), and silently ignoring it would hide a broken setting.
 * Messages are written for the admin who edits the file: they say what a valid value looks like.
 * Keys keep the file's snake_case spelling in the parsed output.
 */

// ---------------------------------------------------------------------------------------------------------------
// Slack ids and names

export const CHANNEL_ID_MESSAGE =
  'must be a channel: its name in quotes like "#billing" (unquoted, YAML reads # as a comment), or its ID like C0123ABCD';
export const USER_ID_MESSAGE =
  'must be a person: their e-mail address like ana@example.com, or their Slack user ID like U0123ABCD (profile → ⋮ More → Copy member ID)';
export const USERGROUP_ID_MESSAGE =
  'must be a user group: its handle in quotes like "@support-team", or its ID like S0123ABCD';

/** An id, or a name looked up in Slack when the config is loaded (config/slack-refs.ts). */
function slackRef(kind: RefKind, message: string) {
  return z
    .string({ error: message })
    .trim()
    .refine((v) => isSlackId(kind, v) || isSlackName(kind, v), message);
}

const channelId = slackRef('channel', CHANNEL_ID_MESSAGE);
const userId = slackRef('user', USER_ID_MESSAGE);
const usergroupId = slackRef('usergroup', USERGROUP_ID_MESSAGE);
const userIdList = z.array(userId, {
  error: 'must be a list of people (e-mail addresses or Slack user IDs), like [ana@example.com, U0456EFGH]',
});

// ---------------------------------------------------------------------------------------------------------------
// Small building blocks

/** A trimmed string of min..max characters, with one message for every way it can be wrong. */
function text(min: number, max: number, what = 'text') {
  const message = `must be ${what} of ${min} to ${max} characters`;
  return z.string({ error: message }).trim().min(min, message).max(max, message);
}

const TIMEZONE_MESSAGE = 'must be an IANA time zone like Europe/Berlin, America/New_York or UTC';
const timeZone = z.string({ error: TIMEZONE_MESSAGE }).refine(isTimeZone, TIMEZONE_MESSAGE);

/** An optional key written with nothing after it (`leads:`) counts as left out, so its default applies. */
function blankAsDefault<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

/**
 * Runs even when sibling items already failed, so every problem is reported in one go. zod still skips it
 * after an explicit abort (`abort: true`, or a list over its `.max()`), so this file uses neither.
 */
const always = { when: () => true };

/**
 * Reports every item whose key repeats an earlier one. Items may be partly invalid here (the check runs
 * despite other issues), so `keyOf` must cope with any shape and return undefined to skip an item.
 */
function reportDuplicates<T>(
  items: readonly T[],
  ctx: z.RefinementCtx,
  keyOf: (item: T) => string | undefined,
  issue: (item: T, index: number, firstIndex: number) => { path: PropertyKey[]; message: string },
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined || key === '') return;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const { path, message } = issue(item, index, first);
    ctx.addIssue({ code: 'custom', path, message });
  });
}

function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Routing rules

const WEIGHT_MESSAGE = 'must be a number from 0.1 to 100';
const weight = z
  .number({ error: WEIGHT_MESSAGE })
  .min(0.1, WEIGHT_MESSAGE)
  .max(100, WEIGHT_MESSAGE)
  .default(1);

/** `"word"` is shorthand for `{ <field>: "word", weight: 1 }`. */
function shorthand(field: 'term' | 'pattern') {
  return (value: unknown) => (typeof value === 'string' ? { [field]: value, weight: 1 } : value);
}

const KEYWORD_MESSAGE = 'must be one word, or { term: word, weight: number }';
const keywordRule = z.preprocess(
  shorthand('term'),
  z.strictObject(
    {
      term: z
        .string({ error: KEYWORD_MESSAGE })
        .trim()
        .refine(
          (term) => tokenize(term).length === 1,
          'must be exactly one word (put terms of two or more words under `phrases`)',
        ),
      weight,
    },
    { error: KEYWORD_MESSAGE },
  ),
);

const PHRASE_MESSAGE = 'must be a phrase of two or more words, or { term: phrase, weight: number }';
const phraseRule = z.preprocess(
  shorthand('term'),
  z.strictObject(
    {
      term: z
        .string({ error: PHRASE_MESSAGE })
        .trim()
        .refine(
          (term) => tokenize(term).length >= 2,
          'must be two or more words (put single words under `keywords`)',
        ),
      weight,
    },
    { error: PHRASE_MESSAGE },
  ),
);

/** Why a pattern is unusable, or undefined when it is fine. Patterns are compiled with flags "iu". */
export function patternProblem(source: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(source, 'giu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `is not a valid regular expression (${reason})`;
  }
  // A pattern that can match zero characters "matches" every message, which would hijack routing.
  const samples = ['', 'a', 'Order 1234, please!'];
  for (const sample of samples) {
    for (const match of sample.matchAll(re)) {
      if (match[0] === '') {
        return 'can match an empty string, so it would match every message; make it require at least one character';
      }
    }
  }
  return undefined;
}

const PATTERN_MESSAGE = 'must be a regular expression, or { pattern: regex, weight: number }';
const patternRule = z.preprocess(
  shorthand('pattern'),
  z.strictObject(
    {
      pattern: z
        .string({ error: PATTERN_MESSAGE })
        .min(1, PATTERN_MESSAGE)
        .superRefine((source, ctx) => {
          const problem = patternProblem(source);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
      weight,
    },
    { error: PATTERN_MESSAGE },
  ),
);

function ruleList<T extends z.ZodType>(
  rule: T,
  field: 'term' | 'pattern',
  label: string,
  fold: (s: string) => string,
) {
  return z
    .array(rule, { error: `must be a list of ${label}` })
    .superRefine((items, ctx) => {
      reportDuplicates(
        items,
        ctx,
        (item) => {
          const value = stringAt(item, field);
          return value === undefined ? undefined : fold(value);
        },
        (item, index, first) => ({
          path: [index],
          message: `repeats \`${stringAt(item, field)}\` (already at [${first}]); list each one once`,
        }),
      );
    }, always)
    .default([]);
}

export const routingSchema = z
  .strictObject(
    {
      keywords: blankAsDefault(ruleList(keywordRule, 'term', 'keywords', nameKey)),
      phrases: blankAsDefault(ruleList(phraseRule, 'term', 'phrases', nameKey)),
      patterns: blankAsDefault(ruleList(patternRule, 'pattern', 'patterns', (s) => s)),
    },
    { error: 'must be a section with `keywords`, `phrases` and/or `patterns`' },
  )
  .prefault({});

// ---------------------------------------------------------------------------------------------------------------
// SLA (per department)

const DURATION_MESSAGE = 'must be a duration like 90m, 4h, 2d or 1h30m (minutes, hours, days; at least 1m)';
const DURATION_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** "1h30m" -> 5400000; undefined when it is not a duration of whole minutes, hours and days. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(?:\d+[dhm])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+)([dhm])/g))
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
  return total >= 60_000 ? total : undefined;
}

const duration = z.string({ error: DURATION_MESSAGE }).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: DURATION_MESSAGE });
    return z.NEVER;
  }
  return ms;
});

const CLOCK_MESSAGE = 'must be a time of day like 09:00 or 17:30 (24-hour clock)';
const clockTime = z
  .string({ error: CLOCK_MESSAGE })
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, CLOCK_MESSAGE)
  .transform((value) => {
    const [h, m] = value.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  });

const WEEKDAY_MESSAGE = `must be a list of days among ${WEEKDAYS.join(', ')}`;

const businessHoursSchema = z
  .strictObject(
    {
      days: blankAsDefault(
        z
          .array(z.enum(WEEKDAYS, { error: WEEKDAY_MESSAGE }), { error: WEEKDAY_MESSAGE })
          .min(1, WEEKDAY_MESSAGE)
          .default(['mon', 'tue', 'wed', 'thu', 'fri']),
      ),
      start: clockTime,
      end: clockTime,
    },
    { error: 'must be a section with `start` and `end` (and optionally `days`)' },
  )
  .refine((h) => h.end > h.start, { message: 'must end after it starts (`end` later than `start`)' });

const slaTargetSchema = z.strictObject(
  { acknowledge: blankAsDefault(duration.optional()), resolve: blankAsDefault(duration.optional()) },
  {
    error:
      'must be a section with `acknowledge` and/or `resolve` durations, like { acknowledge: 4h, resolve: 2d }',
  },
);

export const slaSchema = z.strictObject(
  {
    /** Per severity; a severity left out has no SLA. */
    targets: z.strictObject(
      {
        low: blankAsDefault(slaTargetSchema.optional()),
        normal: blankAsDefault(slaTargetSchema.optional()),
        high: blankAsDefault(slaTargetSchema.optional()),
        urgent: blankAsDefault(slaTargetSchema.optional()),
      },
      { error: 'must be a section keyed by severity: low, normal, high, urgent' },
    ),
    /** When set, SLA time only runs inside these hours, in the department's time zone. */
    business_hours: blankAsDefault(businessHoursSchema.optional()),
    /** Still open this long after the deadline (same clock as the targets): escalate to the triage channel. */
    triage_after: blankAsDefault(duration.prefault('4h')),
  },
  { error: 'must be a section with `targets` (and optionally `business_hours`, `triage_after`)' },
);

// ---------------------------------------------------------------------------------------------------------------
// Departments

/**
 * A commitment is a sentence; it may also name a measure the data can check, so reminders can say
 * "kept" or "missed" instead of leaving it to memory.
 */
export const COMMITMENT_MEASURES = {
  median_hours_to_acknowledge: 'at_most',
  median_hours_to_resolve: 'at_most',
  sla_breaches: 'at_most',
  resolved_percent: 'at_least',
  kudos_to_other_teams: 'at_least',
} as const;
export type CommitmentMeasure = keyof typeof COMMITMENT_MEASURES;
const MEASURE_MESSAGE = `must be one of ${Object.keys(COMMITMENT_MEASURES).join(', ')}`;

const commitmentSchema = z
  .union(
    [
      text(1, 200, 'a commitment'),
      z.strictObject({
        text: text(1, 200, 'a commitment'),
        measure: z.enum(Object.keys(COMMITMENT_MEASURES) as [CommitmentMeasure, ...CommitmentMeasure[]], {
          error: MEASURE_MESSAGE,
        }),
        target: z
          .number({ error: 'must be a number (hours, a count or a percentage, as the measure says)' })
          .min(0),
      }),
    ],
    { error: 'must be a sentence, or { text, measure, target } to have it checked against the numbers' },
  )
  .transform((c) => (typeof c === 'string' ? { text: c } : c));

/** When a department's reminder is posted: a 5-field cron schedule in the department's time zone. */
const reminderSchema = z.strictObject(
  {
    schedule: z
      .string({ error: 'must be a cron schedule in quotes, like "0 9 * * 1" (Mondays at 09:00)' })
      .superRefine((value, ctx) => {
        const problem = cronProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    timezone: blankAsDefault(timeZone.optional()),
  },
  { error: 'must be a section with `schedule` (and optionally `timezone`)' },
);

/** A manager and the departments whose digest they receive ("all" for every department). */
const managerSchema = z.strictObject(
  {
    user: userId,
    departments: z.union(
      [z.literal('all'), z.array(z.string(), { error: 'must be a list of department ids, or all' })],
      {
        error: 'must be a list of department ids, or all',
      },
    ),
    timezone: blankAsDefault(timeZone.optional()),
  },
  { error: 'must be a manager: { user, departments } (and optionally timezone)' },
);

const SLUG_MESSAGE =
  'must be a short id of lower-case letters, digits and dashes, starting with a letter or digit (at most 40), like customer-success';

export const departmentSchema = z.strictObject(
  {
    id: z.string({ error: SLUG_MESSAGE }).regex(/^[a-z0-9][a-z0-9-]{0,39}$/, SLUG_MESSAGE),
    name: text(1, 60, 'a name').refine(
      (name) => name === '' || nameKey(name) !== '',
      'must contain letters or digits',
    ),
    channel: channelId,
    timezone: blankAsDefault(timeZone.optional()),
    leads: blankAsDefault(userIdList.default([])),
    members: blankAsDefault(userIdList.default([])),
    usergroup: blankAsDefault(usergroupId.optional()),
    role: blankAsDefault(text(1, 1000, 'a role statement').optional()),
    commitments: blankAsDefault(
      z
        .array(commitmentSchema, { error: 'must be a list of short commitments' })
        // Not .max(3): zod stops all further checks on an oversized list, which would hide other problems.
        .refine((list) => list.length <= 3, 'must have at most 3 commitments (keep them memorable)')
        .default([]),
    ),
    routing: blankAsDefault(routingSchema),
    sla: blankAsDefault(slaSchema.optional()),
    reminder: blankAsDefault(reminderSchema.optional()),
  },
  { error: 'must be a department: a section with at least `id`, `name` and `channel`' },
);

/**
 * Ids and names share one look-up space (findDepartment matches either, case- and accent-insensitively),
 * so no id or name may collide with another department's id or name.
 */
function checkDepartmentKeys(departments: readonly unknown[], ctx: z.RefinementCtx): void {
  const owners = new Map<string, { index: number; what: string }>();
  departments.forEach((department, index) => {
    const id = stringAt(department, 'id');
    const name = stringAt(department, 'name');
    const keys: { field: 'id' | 'name'; value: string; key: string }[] = [];
    if (id !== undefined) keys.push({ field: 'id', value: id, key: nameKey(id) });
    if (name !== undefined && (id === undefined || nameKey(name) !== nameKey(id))) {
      keys.push({ field: 'name', value: name, key: nameKey(name) });
    }
    for (const { field, value, key } of keys) {
      if (key === '') continue;
      const owner = owners.get(key);
      if (owner === undefined) {
        owners.set(key, { index, what: `${field} \`${value}\`` });
      } else if (owner.index !== index) {
        ctx.addIssue({
          code: 'custom',
          path: [index, field],
          message: `duplicate department ${field} \`${value}\`: departments[${owner.index}] already uses ${owner.what}; ids and names must be unique (case and accents ignored)`,
        });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Kudos

function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

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
export type KudosValue = KudosConfig['values'][number];

// ---------------------------------------------------------------------------------------------------------------
// The whole file

export const orgConfigSchema = z
  .strictObject(
    {
      company: z.strictObject(
        {
          name: text(1, 80, 'a name'),
          promise: text(1, 300, 'one sentence'),
        },
        { error: 'must be a section with `name` and `promise`' },
      ),
      timezone: blankAsDefault(timeZone.default('UTC')),
      triage: z.strictObject(
        { channel: channelId },
        { error: 'must be a section with `channel` (where unrouted feedback goes)' },
      ),
      admins: blankAsDefault(userIdList.default([])),
      feedback: blankAsDefault(
        z
          .strictObject(
            {
              max_details_length: z
                .number({ error: 'must be a whole number from 100 to 100000' })
                .int('must be a whole number from 100 to 100000')
                .min(100, 'must be a whole number from 100 to 100000')
                .max(100_000, 'must be a whole number from 100 to 100000')
                .default(20_000),
              similarity: blankAsDefault(
                z
                  .strictObject(
                    {
                      threshold: z
                        .number({ error: 'must be a number from 0.05 to 1' })
                        .min(0.05, 'must be a number from 0.05 to 1')
                        .max(1, 'must be a number from 0.05 to 1')
                        .default(0.5),
                      window_days: z
                        .number({ error: 'must be a whole number of days from 1 to 365' })
                        .int('must be a whole number of days from 1 to 365')
                        .min(1, 'must be a whole number of days from 1 to 365')
                        .max(365, 'must be a whole number of days from 1 to 365')
                        .default(14),
                    },
                    { error: 'must be a section with `threshold` and/or `window_days`' },
                  )
                  .prefault({}),
              ),
              at_risk: blankAsDefault(
                z
                  .strictObject(
                    {
                      complaints: z
                        .number({ error: 'must be a whole number from 2 to 100' })
                        .int('must be a whole number from 2 to 100')
                        .min(2, 'must be a whole number from 2 to 100')
                        .max(100, 'must be a whole number from 2 to 100')
                        .default(3),
                      days: z
                        .number({ error: 'must be a whole number of days from 1 to 365' })
                        .int('must be a whole number of days from 1 to 365')
                        .min(1, 'must be a whole number of days from 1 to 365')
                        .max(365, 'must be a whole number of days from 1 to 365')
                        .default(30),
                    },
                    { error: 'must be a section with `complaints` and/or `days`' },
                  )
                  .prefault({}),
              ),
            },
            { error: 'must be a section (or be left out for the defaults)' },
          )
          .prefault({}),
      ),
      retention: blankAsDefault(retentionSchema),
      kudos: blankAsDefault(kudosSchema.optional()),
      reminders: blankAsDefault(
        z
          .strictObject(
            {
              catch_up_minutes: z
                .number({ error: 'must be a whole number of minutes from 0 to 10080 (a week)' })
                .int('must be a whole number of minutes from 0 to 10080 (a week)')
                .min(0, 'must be a whole number of minutes from 0 to 10080 (a week)')
                .max(10_080, 'must be a whole number of minutes from 0 to 10080 (a week)')
                .default(180),
            },
            { error: 'must be a section (or be left out for the defaults)' },
          )
          .prefault({}),
      ),
      delivery: blankAsDefault(
        z
          .strictObject(
            {
              retry_hours: z
                .number({ error: 'must be a number of hours from 0.1 to 720 (30 days)' })
                .min(0.1, 'must be a number of hours from 0.1 to 720 (30 days)')
                .max(720, 'must be a number of hours from 0.1 to 720 (30 days)')
                .default(24),
              per_channel_interval_ms: z
                .number({ error: 'must be a whole number of milliseconds from 0 (no pacing) to 60000' })
                .int('must be a whole number of milliseconds from 0 (no pacing) to 60000')
                .min(0, 'must be a whole number of milliseconds from 0 (no pacing) to 60000')
                .max(60_000, 'must be a whole number of milliseconds from 0 (no pacing) to 60000')
                .default(1000),
              per_channel_burst: z
                .number({ error: 'must be a whole number from 1 to 20' })
                .int('must be a whole number from 1 to 20')
                .min(1, 'must be a whole number from 1 to 20')
                .max(20, 'must be a whole number from 1 to 20')
                .default(3),
              max_per_second: z
                .number({ error: 'must be a whole number from 0 (no cap) to 1000' })
                .int('must be a whole number from 0 (no cap) to 1000')
                .min(0, 'must be a whole number from 0 (no cap) to 1000')
                .max(1000, 'must be a whole number from 0 (no cap) to 1000')
                .default(20),
            },
            { error: 'must be a section (or be left out for the defaults)' },
          )
          .prefault({}),
      ),
      managers: blankAsDefault(
        z
          .array(managerSchema, { error: 'must be a list of managers: { user, departments }' })
          .superRefine((managers, ctx) => {
            const seen = new Map<string, number>();
            managers.forEach((m, index) => {
              const first = seen.get(m.user);
              if (first !== undefined) {
                ctx.addIssue({
                  code: 'custom',
                  path: [index, 'user'],
                  message: `repeats manager ${m.user} (already at [${first}]); list each manager once with all their departments`,
                });
              } else seen.set(m.user, index);
            });
          }, always)
          .default([]),
      ),
      digest: blankAsDefault(
        z
          .strictObject(
            {
              schedule: z
                .string({ error: 'must be a cron schedule in quotes, like "0 9 * * 1" (Mondays at 09:00)' })
                .superRefine((value, ctx) => {
                  const problem = cronProblem(value);
                  if (problem) ctx.addIssue({ code: 'custom', message: problem });
                })
                .default('0 9 * * 1'),
              timezone: blankAsDefault(timeZone.optional()),
              unrecognised_weeks: z
                .number({ error: 'must be a whole number of weeks from 1 to 52' })
                .int('must be a whole number of weeks from 1 to 52')
                .min(1, 'must be a whole number of weeks from 1 to 52')
                .max(52, 'must be a whole number of weeks from 1 to 52')
                .default(4),
              catch_up_hours: z
                .number({ error: 'must be a number of hours from 0 to 168' })
                .min(0, 'must be a number of hours from 0 to 168')
                .max(168, 'must be a number of hours from 0 to 168')
                .default(48),
              charts: z.boolean({ error: 'must be true or false' }).default(true),
            },
            { error: 'must be a section (or be left out for the defaults)' },
          )
          .prefault({}),
      ),
      departments: z
        .array(departmentSchema, { error: 'must be a list of departments' })
        .min(1, 'must list at least one department')
        .max(
          100,
          'can list at most 100 departments: Slack menus (the department pickers) show at most 100 options',
        )
        .superRefine(checkDepartmentKeys, always),
    },
    {
      error: 'must be a YAML mapping with company, triage and departments (start from data/org.example.yaml)',
    },
  )
  .superRefine((config, ctx) => {
    checkRetentionWindows(config, ctx);
    const ids = new Set(config.departments.map((d) => d.id));
    config.managers.forEach((m, index) => {
      if (m.departments === 'all') return;
      m.departments.forEach((id, j) => {
        if (!ids.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['managers', index, 'departments', j],
            message: `is not a department id; known ids: ${[...ids].join(', ')}`,
          });
        }
      });
    });
  })
  .transform((config) => ({
    ...config,
    digest: { ...config.digest, timezone: config.digest.timezone ?? config.timezone },
    managers: config.managers.map((m) => ({
      user: m.user,
      departments:
        m.departments === 'all' ? config.departments.map((d) => d.id) : [...new Set(m.departments)],
      timezone: m.timezone ?? config.digest.timezone ?? config.timezone,
    })),
    departments: config.departments.map((department) => {
      const timezone = department.timezone ?? config.timezone;
      return {
        ...department,
        timezone,
        reminder: department.reminder
          ? { schedule: department.reminder.schedule, timezone: department.reminder.timezone ?? timezone }
          : undefined,
      };
    }),
  }));

export type OrgConfigInput = z.input<typeof orgConfigSchema>;
export type OrgConfig = z.output<typeof orgConfigSchema>;
export type Department = OrgConfig['departments'][number];
export type Manager = OrgConfig['managers'][number];
export type Routing = Department['routing'];
export type TermRule = Routing['keywords'][number];
export type PatternRule = Routing['patterns'][number];
export type Sla = NonNullable<Department['sla']>;

// ---------------------------------------------------------------------------------------------------------------
// Schema introspection for friendlier errors

/** The keys a strict object at `path` accepts (for "did you mean" hints), or [] when unknown. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = orgConfigSchema;
  for (const segment of path) {
    schema = unwrapToContainer(schema);
    if (schema instanceof z.ZodObject && typeof segment === 'string') {
      schema = (schema.shape as Record<string, z.ZodType>)[segment];
    } else if (schema instanceof z.ZodArray && typeof segment === 'number') {
      schema = schema.element as z.ZodType;
    } else {
      return [];
    }
  }
  schema = unwrapToContainer(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrapToContainer(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; depth < 10 && current !== undefined; depth++) {
    if (current instanceof z.ZodObject || current instanceof z.ZodArray) return current;
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // A preprocess is pipe(transform, schema); a .transform() is pipe(schema, transform).
      const inner = current.in instanceof z.ZodTransform ? current.out : current.in;
      current = inner as z.ZodType;
    } else {
      return undefined;
    }
  }
  return undefined;
}
