import cronstrue from 'cronstrue';
import type { OrgConfig } from '../config/org-schema.js';
import { occurrenceAfter } from '../jobs/cron.js';
import type { Check } from './report.js';

/** A cron schedule in words, with its next run in its own time zone: "At 09:00, only on Monday (Europe/Berlin)". */
export function describeSchedule(schedule: string, timezone: string, now: number): string {
  const words = cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
  const next = occurrenceAfter(schedule, timezone, now);
  const when =
    next === undefined
      ? 'never'
      : new Intl.DateTimeFormat('en-GB', {
          timeZone: timezone,
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }).format(next);
  return `${words} (${timezone}); next: ${when}`;
}

export function scheduleChecks(config: OrgConfig, now: number): Check[] {
  const checks: Check[] = config.departments.map((d) =>
    d.reminder
      ? {
          status: 'ok',
          what: `${d.name} reminder: ${describeSchedule(d.reminder.schedule, d.reminder.timezone, now)}`,
        }
      : { status: 'ok', what: `${d.name}: no team reminder (add reminder.schedule to send one)` },
  );
  checks.push(
    config.managers.length > 0
      ? {
          status: 'ok',
          what: `Manager digests (${config.managers.length}, each in the manager's time zone): ${describeSchedule(config.digest.schedule, config.digest.timezone, now)}`,
        }
      : { status: 'ok', what: 'Manager digests: nobody listed under managers, so none are sent' },
  );
  return checks;
}
