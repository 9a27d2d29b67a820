import { describe, expect, it } from 'vitest';
import { detailsText } from '../../src/feedback/blocks.js';

describe('department message details', () => {
  it('fits Slack’s 3000 characters after quoting, even for text of many short lines, and says it was shortened', () => {
    const text = detailsText({ reference: 'FB-7', details: 'a & b\n'.repeat(1200) });
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain('shortened here; the full text is stored with FB-7');
    expect(text).not.toMatch(/&(?!amp;|gt;|lt;)/); // no entity cut in half
  });

  it('keeps short details whole, quoted', () => {
    expect(detailsText({ reference: 'FB-8', details: 'two\nlines' })).toBe('*Details*\n&gt; two\n&gt; lines');
  });
});
