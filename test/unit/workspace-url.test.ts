import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { builtPermalink, rememberWorkspaceUrl } from '../../src/slack/workspace-url.js';

/** Links built only in the form Slack documents for chat.getPermalink, and only when that form is certain. */
describe('built permalinks', () => {
  it('writes a top-level message and a reply the way chat.getPermalink answers', () => {
    const client = new WebClient('xoxb-test');
    rememberWorkspaceUrl(client, { url: 'https://ghostbusters.slack.com/', is_enterprise_install: false });
    expect(builtPermalink(client, 'C1H9RESGA', '1358546515.000008', { threadTs: undefined })).toBe(
      'https://ghostbusters.slack.com/archives/C1H9RESGA/p1358546515000008',
    );
    expect(builtPermalink(client, 'C1H9RESGL', '1358546517.000023', { threadTs: '1358546515.000008' })).toBe(
      'https://ghostbusters.slack.com/archives/C1H9RESGL/p1358546517000023?thread_ts=1358546515.000008&cid=C1H9RESGL',
    );
    // A thread's parent is linked like any top-level message.
    expect(builtPermalink(client, 'C1H9RESGL', '1358546515.000008', { threadTs: '1358546515.000008' })).toBe(
      'https://ghostbusters.slack.com/archives/C1H9RESGL/p1358546515000008',
    );
  });

  it('leaves it to Slack before auth.test, for an org-wide install, and for anything odd', () => {
    const client = new WebClient('xoxb-test');
    const top = { threadTs: undefined };
    expect(builtPermalink(client, 'C1', '1.000001', top)).toBeUndefined();
    rememberWorkspaceUrl(client, { url: 'https://acme.enterprise.slack.com/', is_enterprise_install: true });
    expect(builtPermalink(client, 'C1', '1.000001', top)).toBeUndefined();
    rememberWorkspaceUrl(client, { url: 'https://acme.slack.com/' });
    expect(builtPermalink(client, 'C1', 'not-a-ts', top)).toBeUndefined();
    expect(builtPermalink(client, 'c1/../x', '1.000001', top)).toBeUndefined();
    expect(builtPermalink(client, 'C1', '1.000001', { threadTs: 'x' })).toBeUndefined();
    rememberWorkspaceUrl(client, { url: 'javascript:alert(1)//' });
    expect(builtPermalink(client, 'C1', '1.000001', top)).toBeUndefined();
  });
});
