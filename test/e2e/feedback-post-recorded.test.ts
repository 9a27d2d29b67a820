import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/**
 * A department post's ts is written with its sent mark, in the batch that marks it: it was a transaction of
 * its own after each post (one commit per item at flat-out intake, beside the batch's).
 */
describe('a department post made', () => {
  it("records the post's ts in the transaction that marks it sent", async () => {
    h = await startHarness();
    const db = h.loop.db;
    let transaction = 0;
    const recordedIn: number[] = [];
    const markedIn: number[] = [];
    const stop = watchStatements(db, (sql) => {
      if (sql.startsWith('BEGIN')) transaction += 1;
      const current = db.inTransaction ? transaction : -1;
      if (sql.startsWith('UPDATE feedback_items SET post_channel_id')) recordedIn.push(current);
      if (sql.includes("UPDATE outbox SET status = 'sent'")) markedIn.push(current);
    });
    try {
      await Promise.all(
        ['invoice charged twice', 'refund missing', 'invoice wrong address'].map((text) =>
          h.rep.command(Commands.feedback, `billing: ${text}`),
        ),
      );
      await h.loop.delivery.drain();
    } finally {
      stop();
    }
    expect(recordedIn).toHaveLength(3);
    for (const t of recordedIn) expect(markedIn).toContain(t);
    const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ids.billingChannel);
    expect(posts).toHaveLength(3);
    const stored = db
      .prepare('SELECT post_ts FROM feedback_items WHERE post_channel_id = ? ORDER BY id')
      .pluck()
      .all(ids.billingChannel);
    expect(stored).toEqual(posts.map((c) => c.response.ts));
  });
});
