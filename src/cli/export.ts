import { z } from 'zod';
import { exportCsv } from '../export/csv-export.js';
import { openDatabase } from '../store/db.js';
import { isTimeZone, type LocalDate } from '../time/local-time.js';
import { runTool, UsageError } from './run-tool.js';

const USAGE = 'npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR] [--tz Area/City]';

const date = z
  .string({ error: 'is missing' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-01')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'is not a calendar date',
  )
  .transform((v): LocalDate => {
    const [year, month, day] = v.split('-').map(Number) as [number, number, number];
    return { year, month, day };
  });
const argsSchema = z
  .object({
    from: date,
    to: date,
    out: z.string().min(1).default('export'),
    tz: z.string().refine(isTimeZone, 'must be an IANA time zone like Europe/Berlin').default('UTC'),
  })
  .refine(
    (a) =>
      a.from.year * 10_000 + a.from.month * 100 + a.from.day <=
      a.to.year * 10_000 + a.to.month * 100 + a.to.day,
    { message: 'is before --from', path: ['to'] },
  );

/** `npm run export`: CSV of feedback items, their history, and kudos between two dates (safe while the app runs). */
runTool(
  {
    usage: USAGE,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      tz: { type: 'string' },
    },
  },
  (ctx) => {
    const parsed = argsSchema.safeParse(ctx.values);
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('\n'));
    }
    const { from, to, out, tz } = parsed.data;
    const db = openDatabase(ctx.databasePath, { readonly: true });
    try {
      const { files } = exportCsv(db, { from, to, zone: tz }, out);
      for (const f of files) ctx.out(`${f.path}: ${f.rows} row${f.rows === 1 ? '' : 's'}`);
    } finally {
      db.close();
    }
  },
);
