import type { KnownBlock } from '@slack/types';
import type { Department } from '../config/org-schema.js';
import { addSatisfaction, type Period, type SatisfactionCounts, satisfaction } from '../metrics/numbers.js';
import { satisfactionText } from '../metrics/satisfaction-text.js';
import { section } from '../slack/blocks.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';

/** Customer satisfaction in a manager's digest: all their departments together, and each one's, vs last week. */
export type DigestSatisfaction = {
  current: SatisfactionCounts;
  previous: SatisfactionCounts;
  departments: { department: Department; current: SatisfactionCounts; previous: SatisfactionCounts }[];
};

const none: SatisfactionCounts = { answers: 0, scoreSum: 0, satisfied: 0 };

export function digestSatisfaction(
  db: Parameters<typeof satisfaction>[0],
  departments: readonly Department[],
  period: Period,
  previousPeriod: Period,
): DigestSatisfaction {
  const ids = departments.map((d) => d.id);
  const now = satisfaction(db, ids, period);
  const before = satisfaction(db, ids, previousPeriod);
  return {
    current: addSatisfaction([...now.values()]),
    previous: addSatisfaction([...before.values()]),
    departments: departments.map((department) => ({
      department,
      current: now.get(department.id) ?? none,
      previous: before.get(department.id) ?? none,
    })),
  };
}

/** "Customer satisfaction: 4.2 / 5 from 5 answers, 80% satisfied (4-5) (▲ 0.5 vs last week)", then per department. */
export function satisfactionDigestBlock(s: DigestSatisfaction): KnownBlock {
  const lines = [`*Customer satisfaction:* ${satisfactionText(s.current, s.previous, 'last week')}`];
  if (s.departments.length > 1) {
    for (const d of s.departments) {
      if (d.current.answers === 0 && d.previous.answers === 0) continue;
      lines.push(
        `• ${escapeMrkdwn(d.department.name)}: ${satisfactionText(d.current, d.previous, 'last week')}`,
      );
    }
  }
  return section(lines.join('\n'));
}
