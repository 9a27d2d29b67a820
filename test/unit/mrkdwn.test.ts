import { describe, expect, it } from 'vitest';
import { escapeAndTruncate, escapeMrkdwn, quoteMrkdwn, slackTextToPlain } from '../../src/slack/mrkdwn.js';
import { truncateText } from '../../src/text/truncate.js';

describe('escapeMrkdwn', () => {
  it('escapes the three control characters so special mentions cannot ping', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> > everyone')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &gt; everyone',
    );
  });

  it('escapes ampersands first so entities are not double-decoded by Slack', () => {
    expect(escapeMrkdwn('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });
});

describe('slackTextToPlain', () => {
  it('turns mention markup into readable text that no longer pings', () => {
    expect(slackTextToPlain('hey <!channel> and <!here|here> and <!everyone>')).toBe(
      'hey @channel and @here and @everyone',
    );
    expect(slackTextToPlain('ask <@U0123ABCD|ana> or <@U0999ZZZZ>')).toBe('ask @ana or @U0999ZZZZ');
    expect(slackTextToPlain('in <#C0123ABCD|billing>')).toBe('in #billing');
    expect(slackTextToPlain('cc <!subteam^S0123ABCD|@support-team>')).toBe('cc @support-team');
  });

  it('keeps links readable and decodes the entities Slack escapes', () => {
    expect(slackTextToPlain('see <https://example.com/a?b=1&amp;c=2|the page>')).toBe(
      'see the page (https://example.com/a?b=1&c=2)',
    );
    expect(slackTextToPlain('<https://example.com>')).toBe('https://example.com');
    expect(slackTextToPlain('AT&amp;T says 3 &lt; 4 &gt; 2')).toBe('AT&T says 3 < 4 > 2');
  });

  it('round-trips through escape without ever producing a live mention', () => {
    const plain = slackTextToPlain('<!channel> refund now');
    expect(escapeMrkdwn(plain)).not.toMatch(/<!/);
  });
});

describe('truncateText', () => {
  it('leaves short text alone and cuts long text at a word with an ellipsis', () => {
    expect(truncateText('short', 10)).toBe('short');
    const cut = truncateText('the quick brown fox jumps over the lazy dog', 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toBe('the quick brown fox…');
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}😀😀😀`;
    const cut = truncateText(text, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('escapeAndTruncate', () => {
  it('fits the escaped text within the limit even when escaping makes it longer', () => {
    const text = '&'.repeat(5000);
    const out = escapeAndTruncate(text, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).not.toMatch(/&(?!amp;)/); // never a cut-off entity
  });

  it('does not shorten text that fits', () => {
    expect(escapeAndTruncate('a < b', 100)).toBe('a &lt; b');
  });
});

describe('quoteMrkdwn', () => {
  it('quotes every line', () => {
    expect(quoteMrkdwn('one\ntwo')).toBe('&gt; one\n&gt; two');
  });
});
