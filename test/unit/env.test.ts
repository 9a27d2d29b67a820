import { describe, expect, it } from 'vitest';
import { formatEnvProblems, loadEnv } from '../../src/config/env.js';

describe('loadEnv', () => {
  it('lists every missing variable at once', () => {
    const r = loadEnv({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'SLACK_BOT_TOKEN is missing',
      'SLACK_SIGNING_SECRET is missing (needed in HTTP mode; set SLACK_APP_TOKEN instead to use Socket Mode)',
    ]);
    const text = formatEnvProblems(r.problems);
    expect(text).toContain('manifests/slack-app.socket.yaml');
    expect(text).toContain('.env.example');
    expect(text).toContain('npm run sandbox');
  });

  it('fills defaults in HTTP mode', () => {
    const r = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' });
    expect(r).toEqual({
      ok: true,
      env: {
        botToken: 'xoxb-1',
        signingSecret: 'secret',
        appToken: undefined,
        slackApiUrl: undefined,
        port: 3000,
        databasePath: 'data/courtesy-loop.db',
        orgConfigPath: 'data/org.yaml',
        logLevel: 'info',
        shutdownDrainMs: 5000,
        mode: 'http',
      },
    });
  });

  it('serves /metrics only with METRICS_PORT, and refuses a port that is not one', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
    expect(loadEnv({ ...base, METRICS_PORT: '' })).toMatchObject({
      ok: true,
      env: { metricsPort: undefined },
    });
    expect(loadEnv({ ...base, METRICS_PORT: '9464' })).toMatchObject({
      ok: true,
      env: { metricsPort: 9464 },
    });
    expect(loadEnv({ ...base, METRICS_PORT: 'prometheus' })).toEqual({
      ok: false,
      problems: ['METRICS_PORT must be a port number (or be left empty for no /metrics)'],
    });
    expect(loadEnv({ ...base, METRICS_PORT: '70000' })).toEqual({
      ok: false,
      problems: ['METRICS_PORT must be a port number from 0 to 65535'],
    });
  });

  it('uses Socket Mode when an app token is set, and needs no signing secret then', () => {
    const r = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(r).toMatchObject({ ok: true, env: { mode: 'socket', appToken: 'xapp-1-abc' } });
  });

  it('rejects malformed values with a reason for each', () => {
    const r = loadEnv({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_SIGNING_SECRET: 's',
      SLACK_APP_TOKEN: 'nope',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      SLACK_API_URL: 'not a url',
      SHUTDOWN_DRAIN_MS: '-5',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(' ')[0]).sort()).toEqual(
      [
        'LOG_LEVEL',
        'PORT',
        'SHUTDOWN_DRAIN_MS',
        'SLACK_API_URL',
        'SLACK_APP_TOKEN',
        'SLACK_BOT_TOKEN',
      ].sort(),
    );
  });

  it('treats blank values as unset and normalises the API URL', () => {
    const r = loadEnv({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_APP_TOKEN: '  ',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(r).toMatchObject({ ok: true, env: { mode: 'http', slackApiUrl: 'http://127.0.0.1:9/api/' } });
  });
});
