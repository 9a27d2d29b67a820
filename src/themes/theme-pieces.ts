import { FULL_OPEN_MS } from './impact.js';

/**
 * How a period is read from the running totals (theme-totals.ts): whole UTC days from the totals (whole epoch
 * weeks from the week rows), and the part of a day the period only covers partly either read item by item or,
 * when fewer items lie outside it, as the whole day minus the items outside. Open items' impact grows with age
 * until FULL_OPEN_MS: a day's open items are summed exactly while all of them are younger than that or all
 * older, so the one day that straddles that age takes its items and fixed impact from the totals and its open
 * items one by one. Pure: `itemsIn` says how many items a span holds (an index count), which only chooses the
 * cheaper side; either side gives the same result.
 */

export const DAY_MS = 86_400_000;

type Phase = 'growing' | 'full';
type Span = { start: number; end: number };
export type Piece =
  | { kind: 'days' | 'weeks'; from: number; to: number; phase: Phase }
  /** The straddling day: its items and fixed impact from the totals, its open items' part read one by one. */
  | { kind: 'closed-days'; from: number; to: number }
  | ({ kind: 'open-items' } & Span)
  | ({ kind: 'items'; sign: 1 | -1 } & Span);

/** Whole epoch weeks (week rows) inside a run of days, and the days before and after them (day rows). */
function byWeeks(from: number, to: number, phase: Phase): Piece[] {
  const firstWeek = Math.ceil(from / 7);
  const endWeek = Math.floor(to / 7);
  if (firstWeek >= endWeek) return [{ kind: 'days', from, to, phase }];
  const pieces: Piece[] = [
    { kind: 'days', from, to: firstWeek * 7, phase },
    { kind: 'weeks', from: firstWeek, to: endWeek, phase },
    { kind: 'days', from: endWeek * 7, to, phase },
  ];
  return pieces.filter((p) => p.kind !== 'days' || p.from < p.to);
}

/** Whole days [from, to): split where open items stop growing (`now` undefined: counts only, no split). */
function wholeDays(from: number, to: number, now: number | undefined): Piece[] {
  if (from >= to) return [];
  if (now === undefined) return [{ kind: 'days', from, to, phase: 'growing' }];
  const straddle = Math.floor((now - FULL_OPEN_MS) / DAY_MS);
  const pieces: Piece[] = [...byWeeks(from, Math.min(to, straddle), 'full')];
  if (straddle >= from && straddle < to) {
    pieces.push({ kind: 'closed-days', from: straddle, to: straddle + 1 });
    pieces.push({ kind: 'open-items', start: straddle * DAY_MS, end: (straddle + 1) * DAY_MS });
  }
  pieces.push(...byWeeks(Math.max(from, straddle + 1), to, 'growing'));
  return pieces.filter((p) => (p.kind === 'days' || p.kind === 'weeks' ? p.from < p.to : true));
}

const nonEmpty = (s: Span) => s.start < s.end;

export function planPieces(range: Span, now: number | undefined, itemsIn: (span: Span) => number): Piece[] {
  if (!nonEmpty(range)) return [];
  const firstDay = Math.floor(range.start / DAY_MS);
  const endDay = Math.ceil(range.end / DAY_MS);
  const pieces: Piece[] = [];
  let from = firstDay;
  let to = endDay;
  // The partly covered first and last days: inside by item, or the whole day less what lies outside.
  const edges =
    endDay - firstDay === 1
      ? [
          {
            inside: range,
            outside: [
              { start: firstDay * DAY_MS, end: range.start },
              { start: range.end, end: endDay * DAY_MS },
            ],
            first: true,
            last: true,
          },
        ]
      : [
          {
            inside: { start: range.start, end: (firstDay + 1) * DAY_MS },
            outside: [{ start: firstDay * DAY_MS, end: range.start }],
            first: true,
            last: false,
          },
          {
            inside: { start: (endDay - 1) * DAY_MS, end: range.end },
            outside: [{ start: range.end, end: endDay * DAY_MS }],
            first: false,
            last: true,
          },
        ];
  for (const edge of edges) {
    const outside = edge.outside.filter(nonEmpty);
    if (outside.length === 0) continue;
    const counts = outside.map(itemsIn);
    const outsideItems = counts.reduce((n, c) => n + c, 0);
    // Nothing outside (the rest of today, for a period that ends now): no count inside, and no empty read.
    if (outsideItems === 0 || outsideItems <= itemsIn(edge.inside)) {
      outside.forEach((s, i) => {
        if ((counts[i] as number) > 0) pieces.push({ kind: 'items', sign: -1, ...s });
      });
    } else {
      pieces.push({ kind: 'items', sign: 1, ...edge.inside });
      if (edge.first) from += 1;
      if (edge.last && !(edge.first && endDay - firstDay === 1)) to -= 1;
    }
  }
  pieces.push(...wholeDays(from, to, now));
  return pieces;
}
