import { describe, expect, it } from 'vitest';
import { lazyLogger } from '../../src/slack/delivery/lazy-logger.js';
import { captureLogs } from '../support/log-capture.js';

function capture() {
  const { logger, lines } = captureLogs('info');
  return { lines, root: logger };
}

describe('lazyLogger', () => {
  it('makes nothing until it is used, then the same child for every use', () => {
    const { lines, root } = capture();
    let made = 0;
    const log = lazyLogger(() => {
      made++;
      return root.child({ outboxId: 7 });
    });
    const { info, warn } = { info: log.info, warn: log.warn };
    expect(made).toBe(1); // reading a method is a use
    const idle = lazyLogger(() => {
      made++;
      return root.child({ outboxId: 8 });
    });
    expect(made).toBe(1);
    expect(idle).toBeDefined();
    info({ channel: 'C1' }, 'first');
    warn('second');
    log.error({ token: 'xoxb-secret' }, 'third');
    expect(made).toBe(1);
    expect(lines.map((l) => [l.msg, l.outboxId])).toEqual([
      ['first', 7],
      ['second', 7],
      ['third', 7],
    ]);
    expect(JSON.stringify(lines[2])).not.toContain('xoxb-secret');
  });

  it('reads and sets the level, and makes children, of the logger it made', () => {
    const { lines, root } = capture();
    const log = lazyLogger(() => root.child({ outboxId: 9 }));
    expect(log.level).toBe('info');
    expect(log.isLevelEnabled('debug')).toBe(false);
    log.level = 'debug';
    expect(log.isLevelEnabled('debug')).toBe(true);
    log.child({ step: 1 }).debug('deep');
    expect(lines).toMatchObject([{ msg: 'deep', outboxId: 9, step: 1, level: 20 }]);
  });
});
