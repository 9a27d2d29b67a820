import { describe, expect, it } from 'vitest';
import { readSlackRequest } from '../../src/slack/request-envelope.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const payload = (p: unknown) => new URLSearchParams({ payload: JSON.stringify(p) }).toString();

describe('readSlackRequest', () => {
  it('reads a slash command with its workspace and response_url', () => {
    const body = new URLSearchParams({
      command: '/feedback',
      text: 'hi',
      user_id: 'U1',
      team_id: 'T1',
      channel_id: 'C1',
      trigger_id: '1.2.abc',
      response_url: 'https://hooks.slack.com/commands/x',
    }).toString();
    expect(readSlackRequest(FORM, body)).toEqual({
      ok: true,
      request: {
        kind: 'command',
        teamId: 'T1',
        command: '/feedback',
        responseUrl: 'https://hooks.slack.com/commands/x',
      },
    });
  });

  it('takes the workspace of an org-wide interaction from its user when team is null', () => {
    const read = readSlackRequest(
      FORM,
      payload({
        type: 'block_actions',
        team: null,
        user: { id: 'U1', team_id: 'T2' },
        actions: [{ action_id: 'a' }],
      }),
    );
    expect(read).toMatchObject({ ok: true, request: { kind: 'interactive', teamId: 'T2' } });
  });

  it('finds the first input block of a submitted form, where a refusal can be shown', () => {
    const view = {
      id: 'V1',
      callback_id: 'feedback_form',
      blocks: [
        { type: 'section', block_id: 'intro' },
        { type: 'input', block_id: 'fb_summary' },
      ],
    };
    const read = readSlackRequest(
      FORM,
      payload({ type: 'view_submission', user: { id: 'U1' }, team: { id: 'T1' }, view }),
    );
    expect(read).toMatchObject({ ok: true, request: { firstInputBlockId: 'fb_summary' } });
  });

  it('lets Slack platform checks through without a workspace', () => {
    expect(readSlackRequest(FORM, 'ssl_check=1&token=x')).toEqual({
      ok: true,
      request: { kind: 'platform' },
    });
    expect(readSlackRequest(JSON_TYPE, JSON.stringify({ type: 'url_verification', challenge: 'c' }))).toEqual(
      {
        ok: true,
        request: { kind: 'platform' },
      },
    );
  });

  it('names the missing field without echoing the content', () => {
    const read = readSlackRequest(
      FORM,
      payload({
        type: 'block_actions',
        team: { id: 'T1' },
        actions: [{ action_id: 'a' }],
        secret: 'do-not-log',
      }),
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem).toContain('user');
    expect(read.problem).not.toContain('do-not-log');
  });

  it('refuses other media types', () => {
    expect(readSlackRequest('text/plain', 'command=/feedback')).toEqual({
      ok: false,
      problem: 'unsupported content type "text/plain"',
    });
  });
});
