import { describe, expect, it } from 'vitest';
import { parseKudosText, wordCharacters } from '../../src/kudos/parse.js';

describe('parseKudosText', () => {
  it('finds several recipients, the value tag and the reason', () => {
    const parsed = parseKudosText(
      '<@U0ANA0001|ana> <@U0LI00001|li> for staying late to fix the refund export #ownership',
    );
    expect(parsed).toEqual({
      userIds: ['U0ANA0001', 'U0LI00001'],
      usergroupIds: [],
      specialMentions: [],
      channelIds: [],
      valueTags: ['ownership'],
      reason: 'for staying late to fix the refund export',
    });
  });

  it('accepts mentions without a label, commas and "and" between them, and counts each person once', () => {
    const parsed = parseKudosText('<@U0ANA0001>, <@U0LI00001|li> and <@U0ANA0001|ana>: great demo!');
    expect(parsed.userIds).toEqual(['U0ANA0001', 'U0LI00001']);
    expect(parsed.reason).toBe('great demo!');
  });

  it('keeps mentions in the middle of the reason as readable names, and thanks them too', () => {
    const parsed = parseKudosText('<@U0ANA0001|ana> for pairing with <@U0LI00001|li> on the outage.');
    expect(parsed.userIds).toEqual(['U0ANA0001', 'U0LI00001']);
    expect(parsed.reason).toBe('for pairing with @li on the outage.');
  });

  it('collects user groups, special mentions and channels for the caller to expand or refuse', () => {
    const parsed = parseKudosText(
      '<!subteam^S0SUPPORT1|@support> <!here> see <#C0GENERAL1|general> for the win',
    );
    expect(parsed.usergroupIds).toEqual(['S0SUPPORT1']);
    expect(parsed.specialMentions).toEqual(['here']);
    expect(parsed.channelIds).toEqual(['C0GENERAL1']);
    expect(parseKudosText('<!channel> <!everyone> thanks').specialMentions).toEqual(['channel', 'everyone']);
  });

  it('reads several tags, lower-cased, at any place, followed by punctuation', () => {
    const parsed = parseKudosText(
      '<@U0ANA0001> #Craft for the new checkout (#customer-first), again #craft.',
    );
    expect(parsed.valueTags).toEqual(['craft', 'customer-first']);
    expect(parsed.reason).toBe('for the new checkout, again.');
  });

  it('does not take issue numbers or words with # inside for tags', () => {
    expect(parseKudosText('<@U0ANA0001> closed #4521 and C#').valueTags).toEqual([]);
    // Slack escapes #ownership as a link when a channel of that name exists: a configured value still counts.
    const linked = parseKudosText('<@U0ANA0001|ana> fixed the export <#C0OWN0001|ownership>', ['ownership']);
    expect(linked).toMatchObject({ valueTags: ['ownership'], channelIds: [] });
    expect(linked.reason).toBe('fixed the export');
    expect(parseKudosText('<@U0ANA0001> see <#C0OWN0001|general>', ['ownership']).channelIds).toEqual([
      'C0OWN0001',
    ]);
  });

  it('ignores mentions and tags inside inline code, code blocks and quotes', () => {
    const text = [
      '<@U0ANA0001|ana> for explaining `<@U0NOTME01|x> #fake` so clearly',
      '```',
      '<!here> <@U0NOTME02|y> #alsofake',
      '```',
      '&gt; <@U0NOTME03|z> said <!channel>',
      '> <@U0NOTME04|w>',
    ].join('\n');
    const parsed = parseKudosText(text);
    expect(parsed.userIds).toEqual(['U0ANA0001']);
    expect(parsed.specialMentions).toEqual([]);
    expect(parsed.valueTags).toEqual([]);
    expect(parsed.reason).toContain('for explaining `@x #fake` so clearly');
  });

  it('turns Slack entities into plain text', () => {
    expect(parseKudosText('<@U0ANA0001> for fixing A &amp; B &lt;fast&gt;').reason).toBe(
      'for fixing A & B <fast>',
    );
  });

  it('finds no recipient in plain text', () => {
    const parsed = parseKudosText('@ana thanks for everything');
    expect(parsed.userIds).toEqual([]);
    expect(parsed.reason).toBe('@ana thanks for everything');
  });
});

describe('wordCharacters', () => {
  it('keeps a reason of only emoji codes intact, so it is recognised as saying nothing', () => {
    const parsed = parseKudosText('<@U0LI00001|li> :tada: :clap::skin-tone-2: :heart:');
    expect(parsed.reason).toBe(':tada: :clap::skin-tone-2: :heart:');
    expect(wordCharacters(parsed.reason)).toBe(0);
    expect(parseKudosText('<@U0LI00001|li>: great work :tada:').reason).toBe('great work :tada:');
  });

  it('counts letters and digits, not emoji or punctuation', () => {
    expect(wordCharacters(':tada: :raised_hands: 🎉🎉 !!!')).toBe(0);
    expect(wordCharacters('thanks 🎉')).toBe(6);
    expect(wordCharacters('ありがとう')).toBe(5);
  });
});
