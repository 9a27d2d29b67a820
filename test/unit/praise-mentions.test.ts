import { describe, expect, it } from 'vitest';
import { mentionedUserIds, namedInPraise } from '../../src/loops/praise-intake.js';
import { newFeedback } from '../support/org-fixture.js';

describe('who a praise item names', () => {
  it('reads Slack mentions and the @U… a forwarded message keeps, never a word that only looks like one', () => {
    expect(
      mentionedUserIds(
        'Thanks <@U0LI000001> and <@W0BO000001|bo>! @U0SAM00001 too, cc @URGENTLY, mail ana@U0ANA00001.example, <#C0KUDOS001>',
      ),
    ).toEqual(['U0LI000001', 'W0BO000001', 'U0SAM00001']);
  });

  it('joins the form and the text, once each, never the reporter, and only for praise', () => {
    const praise = newFeedback({
      kind: 'praise',
      reporterId: 'U0REPAAAA1',
      summary: 'Li was great, <@U0BO000001> too',
      details: 'and @U0REPAAAA1 forwarded it',
      helperIds: ['U0LI000001', 'U0BO000001', 'U0REPAAAA1'],
    });
    expect(namedInPraise(praise)).toEqual(['U0LI000001', 'U0BO000001']);
    expect(namedInPraise({ ...praise, kind: 'complaint' })).toEqual([]);
  });
});
