import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { boltLoggerAdapter, createLogger, scrubTokens, withoutSecrets } from '../../src/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination: stream }) };
}

describe('logger', () => {
  it('redacts tokens, secrets and customer identifiers wherever they sit', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: 'xoxb-1',
        env: { botToken: 'xoxb-2', signingSecret: 's3cret' },
        item: { customer: 'Dana Reyes' },
      },
      'hello',
    );
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('xoxb-1');
    expect(line).not.toContain('xoxb-2');
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('Dana Reyes');
    expect(lines[0]).toMatchObject({ msg: 'hello', token: '[redacted]' });
  });

  it('blanks authorization headers, secrets in bindings and on errors, and leaves clean fields as they are', () => {
    const { lines, logger } = capture();
    logger.warn({ headers: { authorization: 'Bearer xoxb-3', accept: 'json' } }, 'top');
    logger.warn({ request: { headers: { authorization: 'Bearer xoxb-4' } } }, 'inside');
    logger.child({ token: 'xoxb-5', headers: { authorization: 'xapp-6' } }).info('bound');
    const failure = Object.assign(new Error('Slack said no'), { token: 'xoxb-7', code: 'denied' });
    logger.error({ err: failure }, 'failed');
    // Two levels inside is not a place secrets are looked for (as pino's `*.key` paths did not).
    logger.info({ a: { b: { token: 'deep' } } }, 'deep');
    const text = JSON.stringify(lines);
    for (const secret of ['xoxb-3', 'xoxb-4', 'xoxb-5', 'xapp-6', 'xoxb-7'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ headers: { authorization: '[redacted]', accept: 'json' } });
    expect(lines[2]).toMatchObject({ token: '[redacted]', headers: { authorization: '[redacted]' } });
    expect(lines[3]).toMatchObject({
      err: { type: 'Error', message: 'Slack said no', code: 'denied', token: '[redacted]' },
    });
    expect(lines[4]).toMatchObject({ a: { b: { token: 'deep' } } });
    // Objects written by the message's format, and every secret under a top-level `headers`.
    logger.info({ at: 1 }, 'sent %j and %o', { a: { token: 'xoxb-8' } }, { customer: 'Dana' });
    logger.info({ headers: { token: 'xoxb-9', headers: { authorization: 'xoxb-10' } } }, 'nested headers');
    const more = JSON.stringify(lines.slice(5));
    for (const secret of ['xoxb-8', 'Dana', 'xoxb-9', 'xoxb-10']) expect(more).not.toContain(secret);
    expect(lines[5]?.msg).toContain('[redacted]');
    const clean = { kudos: 1, giver: 'U1', nested: { fine: true } };
    expect(withoutSecrets(clean)).toBe(clean);
  });

  it('scrubs tokens inside free text', () => {
    expect(scrubTokens('calling with xoxb-123-456-abc and xapp-1-A1-99')).toBe(
      'calling with [redacted-token] and [redacted-token]',
    );
  });

  it("gives Bolt a logger that writes through pino under module 'bolt', without tokens", () => {
    const { lines, logger } = capture();
    const bolt = boltLoggerAdapter(logger);
    bolt.warn('token xoxb-999-secret failed', { detail: 1 });
    expect(lines[0]).toMatchObject({
      level: 40,
      module: 'bolt',
      msg: 'token [redacted-token] failed {"detail":1}',
    });
    bolt.setLevel(LogLevel.ERROR);
    expect(bolt.getLevel()).toBe(LogLevel.ERROR);
    bolt.info('hidden now');
    expect(lines).toHaveLength(1);
  });
});
