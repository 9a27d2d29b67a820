import { z } from 'zod';
import { nameKey } from '../text/normalize.js';
import { WEEKDAYS } from '../time/local-time.js';
import { cronSchedule } from './cron-schedule.js';
import { routingSchema } from './routing-schema.js';
import {
  blankAsDefault,
  channelId,
  stringAt,
  text,
  timeZone,
  usergroupId,
  userId,
  userIdList,
} from './schema-shapes.js';

/** A department: its channel, people, routing, role, commitments, reminder and SLA; and the managers. */
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
  reopen_percent: 'at_most',
  reassign_percent: 'at_most',
  handoffs_per_item: 'at_most',
  contacted_rate: 'at_least',
  customers_kept_rate: 'at_least',
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
    schedule: cronSchedule(),
    timezone: blankAsDefault(timeZone.optional()),
  },
  { error: 'must be a section with `schedule` (and optionally `timezone`)' },
);

/** A manager and the departments whose digest they receive ("all" for every department). */
export const managerSchema = z.strictObject(
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
export function checkDepartmentKeys(departments: readonly unknown[], ctx: z.RefinementCtx): void {
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
