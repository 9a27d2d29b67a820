import pino from 'pino';
import { expect, it, vi } from 'vitest';
import { createScheduler } from '../../src/jobs/scheduler.js';

it('reports how long a tick held the event loop, and warns when a task blocks it', async () => {
  const lines: { msg: string; eventLoopMaxMs?: number }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const blockFor = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // a task doing synchronous work: nothing else runs meanwhile
    }
  };
  const scheduler = createScheduler({
    clock: { now: () => 0 },
    logger,
    tasks: [{ name: 'blocking', run: () => blockFor(150) }],
  });
  await scheduler.tick();
  const stats = await vi.waitFor(() => {
    const s = scheduler.lastTick();
    if (!s) throw new Error('not reported yet');
    return s;
  });
  // The task held the loop for 150 ms: the monitor's next sample came at least that late.
  expect(stats.eventLoopMaxMs).toBeGreaterThanOrEqual(140);
  expect(lines.find((l) => l.msg.startsWith('a scheduled tick held the event loop'))).toMatchObject({
    eventLoopMaxMs: stats.eventLoopMaxMs,
  });
});

it('gives the event loop back between tasks, so what came in meanwhile is served before the next task', async () => {
  const order: string[] = [];
  const scheduler = createScheduler({
    clock: { now: () => 0 },
    logger: pino({ level: 'silent' }),
    tasks: [
      {
        name: 'first',
        run: () => {
          order.push('first');
          // A request that arrived while the first task ran, answered on the next turn.
          setImmediate(() => order.push('request'));
        },
      },
      { name: 'second', run: () => order.push('second') },
    ],
  });
  await scheduler.tick();
  expect(order).toEqual(['first', 'request', 'second']);
});
