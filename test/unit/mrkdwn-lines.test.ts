import { describe, expect, it } from 'vitest';
import { messageMrkdwn, midLineQuoteMarkers } from '../support/mrkdwn-lines.js';

describe('mid-line quote markers', () => {
  it('finds a quote marker after other text, the way Slack would show a literal "> "', () => {
    expect(midLineQuoteMarkers(':large_blue_circle: &gt; the parcel never arrived')).toEqual([
      ':large_blue_circle: &gt; the parcel never arrived',
    ]);
    expect(midLineQuoteMarkers('*Resolution* > refunded')).toHaveLength(1);
  });

  it('accepts quotes at the start of a line, and > inside links, mentions and dates', () => {
    const ok = [
      '&gt; :large_blue_circle: the parcel never arrived',
      '*Details*\n&gt; line one\n&gt; line two',
      '>refunded\n>twice',
      'See <https://x.slack.com/archives/C1/p1|the message> by <@U1> <!date^1^{date}|2026-01-01>',
    ].join('\n');
    expect(midLineQuoteMarkers(ok)).toEqual([]);
  });

  it('reads message text and every mrkdwn text object, not plain_text', () => {
    const texts = messageMrkdwn({
      text: 'top',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'a' }, fields: [{ type: 'mrkdwn', text: 'b' }] },
        { type: 'header', text: { type: 'plain_text', text: 'not mrkdwn > ok' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'c' }] },
      ],
    });
    expect(texts).toEqual(['top', 'a', 'b', 'c']);
  });
});
