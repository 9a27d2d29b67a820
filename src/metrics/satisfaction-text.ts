import { averageScore, type SatisfactionCounts, satisfiedShare } from './numbers.js';

/**
 * Customer satisfaction as one line of text, the same in the digest, the team reminder and `/strategy`:
 * "4.3 / 5 from 6 answers, 83% satisfied (4-5) (▲ 0.4 vs last week)". The numbers are `satisfaction`,
 * `averageScore` and `satisfiedShare`; this only words them. Arrows state the direction of a change, not
 * whether it is good.
 */

const answersWord = (n: number) => `${n} answer${n === 1 ? '' : 's'}`;

export function satisfactionText(
  current: SatisfactionCounts,
  previous: SatisfactionCounts,
  previousLabel: string,
): string {
  const now = averageScore(current);
  const before = averageScore(previous);
  const then =
    before === undefined
      ? `no answers ${previousLabel}`
      : `${before.toFixed(1)} / 5 from ${answersWord(previous.answers)} ${previousLabel}`;
  if (now === undefined) return `no survey answers (${then})`;
  const share = Math.round(100 * (satisfiedShare(current) ?? 0));
  const line = `${now.toFixed(1)} / 5 from ${answersWord(current.answers)}, ${share}% satisfied (4-5)`;
  if (before === undefined) return `${line} (${then})`;
  const diff = Math.round((now - before) * 10) / 10;
  if (diff === 0) return `${line} (= ${previousLabel})`;
  return `${line} (${diff > 0 ? '▲' : '▼'} ${Math.abs(diff).toFixed(1)} vs ${previousLabel})`;
}
