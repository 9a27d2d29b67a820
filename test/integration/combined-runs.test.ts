import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_PACING } from '../../src/slack/delivery/delivery.js';
import { enqueueOutbox, listDueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { createPacer } from '../../src/slack/delivery/pacer.js';
import { COMBINED_PER_TURN, COMBINED_RUN_MAX, extendRuns, RUN_MAX } from '../../src/slack/delivery/runs.js';
import type { Db } from '../../src/store/db.js';
import { tempDatabase } from '../support/temp-dir.js';
import '../support/test-outbox-kind.js';

/**
 * Runs that start with a message of a kind that combines (kudos DMs to one person): they take more of that kind
 * than RUN_MAX, a pacing turn for every COMBINED_PER_TURN of them, and other kinds only up to RUN_MAX.
 */

let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const PERSON = 'U0THANKED1';

/** Messages to one person, numbered 0.. in queue order, of these kinds. */
function queue(db: Db, kinds: readonly ('k' | 'k2')[]): void {
  kinds.forEach((kind, n) => {
    enqueueOutbox(db, { kind, payload: { n }, dedupeKey: `d${n}`, orderingKey: PERSON }, 0);
  });
}

const combines = (entry: { kind: string }) => entry.kind === 'k';

/** The run the delivery loop would take now, with Slack's pace, its head's turn taken as the pick takes it. */
function takeRun(db: Db, pacer = createPacer(() => SLACK_PACING)): number[] {
  const [head] = listDueOutbox(db, 1, 1, []);
  if (!head) return [];
  pacer.take(PERSON);
  const [run] = extendRuns(db, pacer, [head], { now: 1, maxLength: RUN_MAX, combines });
  return (run ?? []).map((e) => (e.payload as { n: number }).n);
}

describe('runs of messages that go out together', () => {
  it("take COMBINED_PER_TURN of them per pacing turn: within Slack's burst of three, 24 DMs, not three", () => {
    const db = store.db;
    queue(
      db,
      Array.from({ length: 40 }, (): 'k' => 'k'),
    );
    const burst = SLACK_PACING.perKeyBurst;
    expect(takeRun(db)).toEqual([...Array(burst * COMBINED_PER_TURN).keys()]);
  });

  it('take at most COMBINED_RUN_MAX when pacing allows it', () => {
    const db = store.db;
    queue(
      db,
      Array.from({ length: 40 }, (): 'k' => 'k'),
    );
    const unpaced = createPacer(() => ({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 }));
    expect(takeRun(db, unpaced)).toEqual([...Array(COMBINED_RUN_MAX).keys()]);
  });

  it('let messages of another kind join only up to RUN_MAX, a turn each, and stop there', () => {
    const db = store.db;
    const unpaced = createPacer(() => ({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 }));
    // Another kind within the first RUN_MAX joins (and goes after the DMs it sits between, as before).
    queue(db, ['k', 'k', 'k2', ...Array.from({ length: 20 }, (): 'k' => 'k')]);
    expect(takeRun(db, unpaced)).toEqual([...Array(23).keys()]);
    // Past RUN_MAX, the run stops at it: nothing behind it may go first.
    const after = tempDatabase();
    try {
      const kinds = Array.from({ length: RUN_MAX }, (): 'k' | 'k2' => 'k');
      queue(after.db, [...kinds, 'k2', 'k', 'k']);
      expect(takeRun(after.db, unpaced)).toEqual([...Array(RUN_MAX).keys()]);
    } finally {
      after.remove();
    }
    // Other kinds past the first: each takes its own turn, as before.
    const db2 = tempDatabase();
    try {
      queue(db2.db, ['k', 'k2', 'k2', 'k2', 'k2']);
      expect(takeRun(db2.db)).toEqual([0, 1, 2]);
    } finally {
      db2.remove();
    }
  });

  it('are as before for a head that does not combine', () => {
    const db = store.db;
    const unpaced = createPacer(() => ({ perKeyIntervalMs: 0, perKeyBurst: 1, maxPerSecond: 0 }));
    queue(
      db,
      Array.from({ length: 20 }, (): 'k2' => 'k2'),
    );
    expect(takeRun(db, unpaced)).toEqual([...Array(RUN_MAX).keys()]);
  });
});
