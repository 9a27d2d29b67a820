import { describe, expect, it } from 'vitest';
import { MAX_CHARS, packPieces } from '../../src/kudos/combined-deliveries.js';

describe('packPieces: several kudos messages to one person, as few Slack messages as fit', () => {
  it('keeps the order, separates the pieces by a blank line, and names what each message covers', () => {
    const packs = packPieces([
      { outboxId: 1, text: 'a' },
      { outboxId: 2, text: 'b' },
      { outboxId: 3, text: 'c' },
    ]);
    expect(packs).toEqual([{ covers: [1, 2, 3], text: 'a\n\nb\n\nc' }]);
  });

  it(`starts a new message rather than pass ${MAX_CHARS} characters, and sends a longer piece alone`, () => {
    const long = 'x'.repeat(2000);
    const packs = packPieces([
      { outboxId: 1, text: long },
      { outboxId: 2, text: long },
      { outboxId: 3, text: 'y'.repeat(MAX_CHARS + 10) },
      { outboxId: 4, text: 'z' },
    ]);
    expect(packs.map((p) => p.covers)).toEqual([[1], [2], [3], [4]]);
    for (const pack of packs.slice(0, 2)) expect(pack.text.length).toBeLessThanOrEqual(MAX_CHARS);
    const short = packPieces([1, 2, 3].map((outboxId) => ({ outboxId, text: 'x'.repeat(1000) })));
    expect(short.map((p) => p.covers)).toEqual([[1, 2, 3]]);
  });
});
