import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgConfig } from '../../src/config/org-schema.js';
import { listFeedbackEvents } from '../../src/feedback/history-repo.js';
import { getFeedbackItem, getLatestRouting } from '../../src/feedback/repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { countOutbox, listDueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { ids, newFeedback, orgConfig } from '../support/org-fixture.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

let store: ReturnType<typeof tempDatabase>;
let config: OrgConfig;
let service: FeedbackService;
const clock = manualClock();

beforeEach(() => {
  store = tempDatabase();
  config = orgConfig();
  service = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
});
afterEach(() => store.remove());

describe('submitting feedback', () => {
  it('stores the item, its routing decision, its history and its queued post together', () => {
    const r = service.submit(newFeedback());
    expect(r.duplicate).toBe(false);
    expect(r.item).toMatchObject({
      reference: `FB-${r.item.id}`,
      departmentId: 'billing',
      status: 'new',
      createdAt: clock.now(),
    });
    expect(getLatestRouting(store.db, r.item.id)).toMatchObject({
      method: 'rules',
      departmentId: 'billing',
      matched: ['invoice', 'charged'],
    });
    expect(listFeedbackEvents(store.db, r.item.id)).toEqual([
      expect.objectContaining({
        action: 'created',
        actorId: ids.rep,
        toStatus: 'new',
        note: 'matched: invoice, charged',
      }),
    ]);
    const queued = listDueOutbox(store.db, clock.now(), 10, []);
    expect(queued.map((q) => q.kind)).toEqual(['feedback.department_post']); // inline: receipt is the command reply
  });

  it('queues a receipt DM for modal and shortcut submissions', () => {
    service.submit(newFeedback({ source: 'modal' }));
    expect(listDueOutbox(store.db, clock.now(), 10, []).map((q) => q.kind)).toEqual([
      'feedback.department_post',
      'feedback.receipt_dm',
    ]);
  });

  it('lets an explicit department win over the rules', () => {
    const r = service.submit(newFeedback({ departmentId: 'shipping' }));
    expect(r.item.departmentId).toBe('shipping');
    expect(r.routing).toMatchObject({ method: 'explicit', reason: 'chosen by the reporter' });
  });

  it('sends unmatched feedback to triage', () => {
    const r = service.submit(newFeedback({ summary: 'lovely sofa colour' }));
    expect(r.item.departmentId).toBeUndefined();
    expect(r.department).toBeUndefined();
    expect(r.routing.method).toBe('triage');
  });

  it('stores a repeated submission once', () => {
    const first = service.submit(newFeedback({ idempotencyKey: 'view:V1' }));
    const again = service.submit(newFeedback({ idempotencyKey: 'view:V1', summary: 'something else' }));
    expect(again).toMatchObject({
      duplicate: true,
      item: { id: first.item.id, summary: first.item.summary },
    });
    expect(store.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get()).toBe(1);
    expect(countOutbox(store.db).pending).toBe(1);
  });

  it('keeps one customer record for spellings that differ only in case and spacing', () => {
    const a = service.submit(newFeedback({ customer: 'ACME  Corp' }));
    const b = service.submit(newFeedback({ customer: 'acme corp' }));
    expect(a.item.customerId).toBeDefined();
    expect(b.item.customerId).toBe(a.item.customerId);
    expect(getFeedbackItem(store.db, b.item.id)?.customer).toBe('ACME  Corp'.trim());
  });

  it('stores very long text whole', () => {
    const details = 'word '.repeat(4000);
    const r = service.submit(newFeedback({ details }));
    expect(getFeedbackItem(store.db, r.item.id)?.details).toBe(details);
  });

  it('stores nothing when the transaction fails half-way', () => {
    store.db.exec('DROP TABLE outbox'); // the last write in the transaction now fails
    expect(() => service.submit(newFeedback())).toThrow();
    expect(store.db.prepare('SELECT COUNT(*) FROM feedback_items').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM feedback_routing').pluck().get()).toBe(0);
  });

  it('uses the config as it is now: a reload changes routing for new items', () => {
    config = orgConfig({
      departments: [
        { id: 'finance', name: 'Finance', channel: 'C0FINANCE1', routing: { keywords: ['invoice'] } },
      ],
    });
    expect(service.submit(newFeedback()).item.departmentId).toBe('finance');
  });
});
