import { z } from 'zod';
import { THEME_LANGUAGES } from '../text/languages.js';
import { cronSchedule } from './cron-schedule.js';
import { checkDepartmentKeys, departmentSchema, managerSchema } from './department-schema.js';
import { kudosSchema } from './kudos-schema.js';
import { followUpSection, reopenWithinDays } from './outcomes-schema.js';
import { checkRetentionWindows, retentionSchema } from './retention-schema.js';
import {
  always,
  blankAsDefault,
  channelId,
  numberIn,
  section,
  text,
  timeZone,
  userIdList,
  wholeNumber,
} from './schema-shapes.js';
import { surveySchema } from './survey-schema.js';

/**
 * The org config file (`data/org.yaml`), as a zod schema. Every object is strict: an unknown key is
 * almost always a typo (`chanel:`), and silently ignoring it would hide a broken setting.
 * Messages are written for the admin who edits the file: they say what a valid value looks like.
 * Keys keep the file's snake_case spelling in the parsed output.
 */

// ---------------------------------------------------------------------------------------------------------------
// The whole file

const WEEK_MINUTES_MESSAGE = 'must be a whole number of minutes from 0 to 10080 (a week)';
const SECTION_DEFAULTS = 'must be a section (or be left out for the defaults)';

const feedbackSection = section(
  {
    max_details_length: wholeNumber(100, 100_000).default(20_000),
    similarity: section(
      {
        threshold: numberIn(0.05, 1, 'must be a number from 0.05 to 1').default(0.5),
        window_days: wholeNumber(1, 365, 'must be a whole number of days from 1 to 365').default(14),
      },
      'must be a section with `threshold` and/or `window_days`',
    ),
    at_risk: section(
      {
        complaints: wholeNumber(2, 100).default(3),
        days: wholeNumber(1, 365, 'must be a whole number of days from 1 to 365').default(30),
      },
      'must be a section with `complaints` and/or `days`',
    ),
    follow_up: followUpSection,
    reopen_within_days: reopenWithinDays,
  },
  SECTION_DEFAULTS,
);

const deliverySection = section(
  {
    retry_hours: numberIn(0.1, 720, 'must be a number of hours from 0.1 to 720 (30 days)').default(24),
    per_channel_interval_ms: wholeNumber(
      0,
      60_000,
      'must be a whole number of milliseconds from 0 (no pacing) to 60000',
    ).default(1000),
    per_channel_burst: wholeNumber(1, 20).default(3),
    max_per_second: wholeNumber(0, 1000, 'must be a whole number from 0 (no cap) to 1000').default(20),
  },
  SECTION_DEFAULTS,
);

const managersSection = blankAsDefault(
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
);

const digestSection = section(
  {
    schedule: cronSchedule().default('0 9 * * 1'),
    timezone: blankAsDefault(timeZone.optional()),
    unrecognised_weeks: wholeNumber(1, 52, 'must be a whole number of weeks from 1 to 52').default(4),
    catch_up_hours: numberIn(0, 168, 'must be a number of hours from 0 to 168').default(48),
    charts: z.boolean({ error: 'must be true or false' }).default(true),
  },
  SECTION_DEFAULTS,
);

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
      language: blankAsDefault(
        z
          .enum(THEME_LANGUAGES, {
            error: `must be one of ${THEME_LANGUAGES.join(', ')} (the feedback's language)`,
          })
          .default('en'),
      ),
      triage: z.strictObject(
        { channel: channelId },
        { error: 'must be a section with `channel` (where unrouted feedback goes)' },
      ),
      admins: blankAsDefault(userIdList.default([])),
      feedback: feedbackSection,
      retention: blankAsDefault(retentionSchema),
      survey: blankAsDefault(surveySchema),
      kudos: blankAsDefault(kudosSchema.optional()),
      reminders: section(
        { catch_up_minutes: wholeNumber(0, 10_080, WEEK_MINUTES_MESSAGE).default(180) },
        SECTION_DEFAULTS,
      ),
      delivery: deliverySection,
      managers: managersSection,
      digest: digestSection,
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
