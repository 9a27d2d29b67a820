import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgConfig } from '../../src/config/org-schema.js';
import { createFeedbackDeliveryHandlers } from '../../src/feedback/delivery-handlers.js';
import { listFeedbackEvents } from '../../src/feedback/history-repo.js';
import { createLifecycleService, type LifecycleService } from '../../src/feedback/lifecycle.js';
import { getFeedbackItem, setFeedbackPost } from '../../src/feedback/repo.js';
import { createFeedbackService, type FeedbackService } from '../../src/feedback/service.js';
import { listDueOutbox, markOutboxSent } from '../../src/slack/delivery/outbox-repo.js';
import { createPoster } from '../../src/slack/delivery/post-message.js';
import { ids, newFeedback, orgConfig } from '../support/org-fixture.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

let store: ReturnType<typeof tempDatabase>;
let config: OrgConfig;
let feedback: FeedbackService;
let lifecycle: LifecycleService;
const clock = manualClock();

beforeEach(() => {
  store = tempDatabase();
  config = orgConfig();
  feedback = createFeedbackService({ db: store.db, clock, config: () => config, logger: silentLogger });
  lifecycle = createLifecycleService({
    db: store.db,
    clock,
    config: () => config,
    logger: silentLogger,
    groupMembers: async () => new Set<string>(),
  });
});
afterEach(() => store.remove());

function fileItem() {
  const { item } = feedback.submit(newFeedback());
  setFeedbackPost(store.db, item.id, ids.billingChannel, '1700000000.000100', clock.now());
  return item;
}

describe('lifecycle changes', () => {
  it('applies one of two changes made from the same version, whatever their order', async () => {
    const item = fileItem();
    const ref = { itemId: item.id, version: 1 };
    const [a, b] = await Promise.all([
      lifecycle.change({ actorId: ids.billingMember, ref, action: 'acknowledge' }),
      lifecycle.change({ actorId: ids.billingLead, ref, action: 'resolve', note: 'Refunded' }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect(getFeedbackItem(store.db, item.id)?.version).toBe(2);
    expect(listFeedbackEvents(store.db, item.id).filter((e) => e.action !== 'created')).toHaveLength(1);
  });

  it('records who, when, from and to for every change', async () => {
    const item = fileItem();
    await lifecycle.change({
      actorId: ids.billingMember,
      ref: { itemId: item.id, version: 1 },
      action: 'acknowledge',
    });
    clock.advance(60_000);
    await lifecycle.change({
      actorId: ids.billingLead,
      ref: { itemId: item.id, version: 2 },
      action: 'reassign',
      toDepartmentId: 'shipping',
    });
    const changes = listFeedbackEvents(store.db, item.id).filter((e) => e.action !== 'created');
    expect(changes).toMatchObject([
      { actorId: ids.billingMember, action: 'acknowledge', fromStatus: 'new', toStatus: 'acknowledged' },
      {
        actorId: ids.billingLead,
        action: 'reassign',
        fromStatus: 'acknowledged',
        toStatus: 'new',
        fromDepartment: 'billing',
        toDepartment: 'shipping',
        at: clock.now(),
      },
    ]);
    expect(getFeedbackItem(store.db, item.id)).toMatchObject({
      departmentId: 'shipping',
      slaStartedAt: clock.now(),
      acknowledgedAt: undefined,
    });
  });
});

describe('updating the department message', () => {
  it('renders again when the item changed while an update was on its way, so the latest state lands last', async () => {
    const item = fileItem();
    await lifecycle.change({
      actorId: ids.billingMember,
      ref: { itemId: item.id, version: 1 },
      action: 'acknowledge',
    });
    const updates: string[] = [];
    let first = true;
    const client = {
      chat: {
        update: async (args: { blocks: unknown }) => {
          updates.push(JSON.stringify(args.blocks));
          if (first) {
            first = false;
            // Someone resolves the item while this (now outdated) update is in flight.
            await lifecycle.change({
              actorId: ids.billingLead,
              ref: { itemId: item.id, version: 2 },
              action: 'resolve',
              note: 'Refunded',
            });
          }
          return { ok: true };
        },
      },
    } as unknown as WebClient;
    const handlers = createFeedbackDeliveryHandlers({
      config: () => config,
      expectAnswer: feedback.expectAnswer,
    });
    const update = handlers['feedback.post_update'];
    if (!update) throw new Error('no update handler');
    const { post } = createPoster(client, { outboxId: 1, uncertainSince: undefined, logger: silentLogger });
    await update(
      { itemId: item.id },
      {
        client,
        db: store.db,
        clock,
        logger: silentLogger,
        post,
        reportProblem: () => undefined,
        whenMarkedSent: (write) => write(),
      },
    );
    expect(updates).toHaveLength(2);
    expect(updates[0]).toContain('"value":"1:2"');
    expect(updates[1]).toContain('Refunded');
    expect(updates[1]).toContain('"value":"1:3"');
  });
});

describe('history lines and reporter DMs', () => {
  it('are queued per conversation: only the earliest of a channel or a DM is due until it has gone out', async () => {
    const item = fileItem();
    setFeedbackPost(store.db, item.id, ids.billingChannel, '1700000000.000100', clock.now());
    const posted = store.db
      .prepare('SELECT id FROM outbox WHERE kind = ?')
      .pluck()
      .all('feedback.department_post') as number[];
    markOutboxSent(store.db, posted, clock.now());
    const ack = await lifecycle.change({
      actorId: ids.billingMember,
      ref: { itemId: item.id, version: 1 },
      action: 'acknowledge',
    });
    const res = await lifecycle.change({
      actorId: ids.billingLead,
      ref: { itemId: item.id, version: 2 },
      action: 'resolve',
      note: 'Refunded',
    });
    if (!ack.ok || !res.ok) throw new Error('changes refused');
    const due = () => listDueOutbox(store.db, clock.now(), 100, []);
    const kinds = (entries: ReturnType<typeof due>) => entries.map((e) => `${e.kind}@${e.orderingKey}`);
    // The channel's first message (the update) and the reporter's first DM (about the acknowledgement).
    expect(kinds(due())).toEqual([
      `feedback.post_update@${ids.billingChannel}`,
      `feedback.status_dm@${item.reporterId}`,
    ]);
    expect(due().find((e) => e.kind === 'feedback.status_dm')?.payload).toMatchObject({
      eventId: ack.eventId,
    });
    markOutboxSent(
      store.db,
      due().map((e) => e.id),
      clock.now(),
    );
    expect(kinds(due())).toEqual([
      `feedback.thread_note@${ids.billingChannel}`,
      `feedback.status_dm@${item.reporterId}`,
    ]);
    expect(due().find((e) => e.kind === 'feedback.status_dm')?.payload).toMatchObject({
      eventId: res.eventId,
    });
  });
});
