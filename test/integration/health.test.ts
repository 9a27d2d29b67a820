import { describe, expect, it } from 'vitest';
import { checkHealth } from '../../src/health.js';
import type { DeliveryHealth } from '../../src/slack/delivery/delivery.js';
import { tempDatabase } from '../support/temp-dir.js';

const store = tempDatabase();

const quiet: DeliveryHealth = {
  tokenRefused: undefined,
  slackUnreachable: false,
  problems: [],
  outbox: { pending: 0, sent: 0, dead: 0 },
};
const delivery = (overrides: Partial<DeliveryHealth> = {}) => ({
  health: () => ({ ...quiet, ...overrides }),
});

describe('GET /healthz', () => {
  it('is ok, or degraded with reasons while Slack refuses the token, is out of reach or refused posts', () => {
    expect(checkHealth({ db: store.db, delivery: delivery(), stopping: false })).toMatchObject({
      ok: true,
      details: { status: 'ok', reasons: [] },
    });
    const degraded = checkHealth({
      db: store.db,
      delivery: delivery({
        tokenRefused: 'invalid_auth',
        slackUnreachable: true,
        problems: [
          {
            cause: 'not_in_channel:C1',
            code: 'not_in_channel',
            channel: 'C1',
            firstAt: 0,
            lastAt: 0,
            count: 2,
            reportedAt: 0,
          },
        ],
      }),
      stopping: false,
    });
    expect(degraded.ok).toBe(true);
    expect(degraded.details.status).toBe('degraded');
    expect(degraded.details.reasons).toEqual([
      expect.stringContaining('Slack refuses the bot token (invalid_auth)'),
      'Slack cannot be reached; deliveries wait and retry',
      '2 delivery failure(s): not_in_channel in C1',
    ]);
  });

  it('answers 503 only when a restart could help: Socket Mode disconnected, the database unusable', () => {
    const socket = checkHealth({
      db: store.db,
      delivery: delivery(),
      stopping: false,
      socketConnected: false,
    });
    expect(socket).toMatchObject({
      ok: false,
      details: { reasons: ['Socket Mode is not connected to Slack'] },
    });
    expect(
      checkHealth({ db: store.db, delivery: delivery(), stopping: false, socketConnected: undefined }).ok,
    ).toBe(true);
    store.remove();
    const closed = checkHealth({ db: store.db, delivery: delivery(), stopping: false });
    expect(closed).toMatchObject({ ok: false, details: { status: 'unhealthy' } });
    expect(closed.details.reasons[0]).toContain('database unusable');
  });
});
