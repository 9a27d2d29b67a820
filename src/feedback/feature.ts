import type { AppCore, Feature } from '../app-core.js';
import { groupServiceDeps, queuingTask } from '../app-core.js';
import { createFeedbackDeliveryHandlers, type ResolvedDmBlocks } from './delivery-handlers.js';
import { runSlaJob } from './escalation.js';
import { createLifecycleService } from './lifecycle.js';
import { registerLifecycleListeners } from './lifecycle-listeners.js';
import { type FeedbackListenerDeps, registerFeedbackListeners } from './listeners.js';
import { createFeedbackService, type FeedbackService, type OnFeedbackFiled } from './service.js';
import type { ItemThemer } from './types.js';

/** The feedback room: intake (`/feedback`, the shortcut, the form), the item's lifecycle, SLA escalations. */
export type FeedbackFeature = Feature & {
  /** Customer words were erased (retention, forget): new reports must not be compared with them. */
  forgetRecentWords(): void;
  /** Filing feedback, for other rooms (a follow-up files a linked item). */
  submit: FeedbackService['submit'];
};

export function createFeedbackFeature(
  core: AppCore,
  rooms: {
    themer: ItemThemer;
    themesAnswer: FeedbackListenerDeps['themes'];
    resolvedDmBlocks?: ResolvedDmBlocks;
    onFiled?: OnFeedbackFiled;
  },
): FeedbackFeature {
  const { db, clock, config, logger } = core;
  const feedback = createFeedbackService({
    db,
    clock,
    config,
    logger: logger.child({ module: 'feedback' }),
    themes: rooms.themer,
    onFiled: rooms.onFiled,
  });
  const lifecycle = createLifecycleService(groupServiceDeps(core, 'lifecycle'));
  const { outboxQueued } = core;
  const slaLogger = logger.child({ module: 'sla' });
  return {
    listeners(app) {
      registerFeedbackListeners(app, {
        feedback,
        mine: lifecycle.mine,
        themes: rooms.themesAnswer,
        config,
        outboxQueued,
        logger,
      });
      registerLifecycleListeners(app, { lifecycle, config, outboxQueued, logger, nameOf: core.nameOf });
    },
    deliveryHandlers: createFeedbackDeliveryHandlers({
      config,
      expectAnswer: feedback.expectAnswer,
      resolvedDmBlocks: rooms.resolvedDmBlocks,
    }),
    tasks: [queuingTask(core, 'sla-escalation', (now) => runSlaJob({ db, config, logger: slaLogger }, now))],
    forgetRecentWords: () => feedback.forgetRecentWords(),
    submit: (input) => feedback.submit(input),
  };
}
