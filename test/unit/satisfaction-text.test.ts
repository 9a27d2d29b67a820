import { describe, expect, it } from 'vitest';
import { satisfactionText } from '../../src/metrics/satisfaction-text.js';

const counts = (answers: number, scoreSum: number, satisfied: number) => ({ answers, scoreSum, satisfied });

describe('satisfactionText', () => {
  it('words the average, the answers and the share of 4s and 5s, with the change', () => {
    expect(satisfactionText(counts(3, 11, 2), counts(2, 5, 0), 'last week')).toBe(
      '3.7 / 5 from 3 answers, 67% satisfied (4-5) (▲ 1.2 vs last week)',
    );
    expect(satisfactionText(counts(2, 5, 0), counts(3, 11, 2), 'last week')).toBe(
      '2.5 / 5 from 2 answers, 0% satisfied (4-5) (▼ 1.2 vs last week)',
    );
    expect(satisfactionText(counts(1, 4, 1), counts(2, 8, 2), 'last week')).toBe(
      '4.0 / 5 from 1 answer, 100% satisfied (4-5) (= last week)',
    );
  });

  it('says when there are no answers, now or before', () => {
    expect(satisfactionText(counts(0, 0, 0), counts(0, 0, 0), 'last week')).toBe(
      'no survey answers (no answers last week)',
    );
    expect(satisfactionText(counts(0, 0, 0), counts(1, 2, 0), 'the period before')).toBe(
      'no survey answers (2.0 / 5 from 1 answer the period before)',
    );
    expect(satisfactionText(counts(1, 5, 1), counts(0, 0, 0), 'last week')).toBe(
      '5.0 / 5 from 1 answer, 100% satisfied (4-5) (no answers last week)',
    );
  });
});
