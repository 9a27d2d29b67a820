import type { FeedbackKind, Severity } from '../../feedback/types.js';
import {
  COMPLAINT_KINDS,
  CONTEXT_AFTER,
  CONTEXT_BEFORE,
  CUSTOMERS,
  type DepartmentId,
  ONE_OFFS,
  PRAISE,
  PRODUCTS,
  QUESTIONS,
} from './month-kinds.js';
import { random } from './seed.js';

/**
 * A realistic month of customer feedback, generated deterministically (the same seed gives the same month):
 * what each item says, for whom, how severe, and when the department acknowledges and resolves it. Pure: the
 * driver (month.ts) files it through the real app.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEVERITY_ORDER: readonly Severity[] = ['low', 'normal', 'high', 'urgent'];

export type MonthItem = {
  /** Milliseconds after the month's start when the rep files it. */
  at: number;
  /** What it really is: a complaint kind's id, `one-off`, `praise` or `question` (for tests, never sent). */
  truth: string;
  kind: FeedbackKind;
  severity: Severity;
  customer: string;
  /** The department the rep picks in the form; undefined lets the app route it from the words. */
  department: DepartmentId | undefined;
  summary: string;
  /** When the department acknowledges it (ms after `at`), if it does within the month. */
  acknowledgeAfter: number | undefined;
  /** When it is resolved (ms after `at`), if it is within the month. */
  resolveAfter: number | undefined;
};

export type MonthOptions = {
  days: number;
  perWeekday: number;
  seed?: number;
  /** The first day's weekday, 0 for Monday to 6 for Sunday: weekends are quieter. */
  firstWeekday?: number;
};

type Rng = ReturnType<typeof random>;

/** Swaps two neighbouring letters of one longer word, as fast typing does. */
function typo(text: string, rng: Rng): string {
  const words = text.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[a-z]{6,}$/.test(w));
  if (long.length === 0) return text;
  const [word, index] = rng.pick(long);
  const at = rng.int(1, word.length - 3);
  words[index] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

function fill(template: string, rng: Rng): string {
  return template
    .replaceAll('{order}', `ORD-${rng.int(40_000, 49_999)}`)
    .replaceAll('{product}', rng.pick(PRODUCTS))
    .replaceAll('{days}', String(rng.int(3, 9)));
}

/** The rep's wording: the customer's words, sometimes with context around them or a typo. */
function wording(template: string, rng: Rng): string {
  let text = fill(template, rng);
  if (rng.next() < 0.25) text = `${rng.pick(CONTEXT_BEFORE)} ${text[0]?.toLowerCase()}${text.slice(1)}`;
  if (rng.next() < 0.25) text = `${text}${rng.pick(CONTEXT_AFTER).replace(/^(?!,)/, ' ')}`;
  if (rng.next() < 0.12) text = typo(text, rng);
  return text.slice(0, 150);
}

function weightedKind(rng: Rng) {
  const total = COMPLAINT_KINDS.reduce((sum, k) => sum + k.weight, 0);
  let roll = rng.next() * total;
  for (const kind of COMPLAINT_KINDS) {
    roll -= kind.weight;
    if (roll < 0) return kind;
  }
  return COMPLAINT_KINDS[0] as (typeof COMPLAINT_KINDS)[number];
}

function shiftSeverity(severity: Severity, rng: Rng): Severity {
  const roll = rng.next();
  const step = roll < 0.15 ? 1 : roll < 0.25 ? -1 : 0;
  const index = Math.min(3, Math.max(0, SEVERITY_ORDER.indexOf(severity) + step));
  return SEVERITY_ORDER[index] ?? severity;
}

type Said = Pick<MonthItem, 'truth' | 'kind' | 'severity' | 'department' | 'summary'>;

/** One piece of feedback: mostly recurring complaints, a few one-offs (each said once), praise, questions. */
function said(rng: Rng, unusedOneOffs: (typeof ONE_OFFS)[number][]): Said {
  const roll = rng.next();
  if (roll < 0.05 && unusedOneOffs.length > 0) {
    const one = unusedOneOffs.splice(rng.int(0, unusedOneOffs.length - 1), 1)[0] as (typeof ONE_OFFS)[number];
    return { truth: 'one-off', kind: 'complaint', ...one, summary: one.text };
  }
  if (roll < 0.12)
    return {
      truth: 'praise',
      kind: 'praise',
      severity: 'low',
      department: 'support',
      summary: rng.pick(PRAISE),
    };
  if (roll < 0.18) {
    const q = rng.pick(QUESTIONS);
    return {
      truth: 'question',
      kind: 'question',
      severity: 'low',
      department: q.department,
      summary: q.text,
    };
  }
  const kind = weightedKind(rng);
  return {
    truth: kind.id,
    kind: 'complaint',
    severity: shiftSeverity(kind.severity, rng),
    // Half the time the rep picks the department; otherwise the app routes from the words.
    department: rng.next() < 0.5 ? kind.department : undefined,
    summary: wording(rng.pick(kind.wordings), rng),
  };
}

/** One of a few hundred occasional customers: a first name and a last name from the list. */
function someone(rng: Rng): string {
  const names = CUSTOMERS.slice(3).map((c) => c.split(' '));
  return `${rng.pick(names)[0]} ${rng.pick(names)[1]}`;
}

/** What happens after filing: most items acknowledged within hours, many resolved within days, in the month. */
function followUp(rng: Rng, at: number, end: number) {
  const acknowledgeAfter = rng.next() < 0.8 ? rng.int(1, 8) * HOUR : undefined;
  const resolveAfter =
    acknowledgeAfter !== undefined && rng.next() < 0.6 ? acknowledgeAfter + rng.int(1, 6) * DAY : undefined;
  return {
    acknowledgeAfter:
      acknowledgeAfter !== undefined && at + acknowledgeAfter < end ? acknowledgeAfter : undefined,
    resolveAfter: resolveAfter !== undefined && at + resolveAfter < end ? resolveAfter : undefined,
  };
}

export function generateMonth(options: MonthOptions): MonthItem[] {
  const rng = random(options.seed ?? 2026);
  const unusedOneOffs = [...ONE_OFFS];
  const end = options.days * DAY;
  const items: MonthItem[] = [];
  for (let day = 0; day < options.days; day++) {
    const weekend = ((options.firstWeekday ?? 0) + day) % 7 >= 5;
    const count = weekend ? Math.round(options.perWeekday / 4) : options.perWeekday + rng.int(-2, 2);
    for (let n = 0; n < count; n++) {
      const at = day * DAY + rng.int(0, 9 * 60) * 60_000;
      const what = said(rng, unusedOneOffs);
      // A few customers complain again and again, so they become at risk; most appear once or twice.
      const customer =
        what.kind === 'complaint' && rng.next() < 0.15 ? rng.pick(CUSTOMERS.slice(0, 3)) : someone(rng);
      items.push({ at, customer, ...what, ...followUp(rng, at, end) });
    }
  }
  return items.sort((a, b) => a.at - b.at);
}
