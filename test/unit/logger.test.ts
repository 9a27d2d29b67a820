import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { boltLoggerAdapter, createLogger, scrubTokens } from '../../src/logger.js';

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
