import type { KnownBlock } from '@slack/types';
import { context, plain, section, slackDate } from '../slack/blocks.js';
import { OutcomeActions, OutcomeBlocks } from '../slack/ids.js';
import { buttonValue } from './lifecycle.js';
import type { OutcomeState } from './outcome-state-repo.js';
import type { FeedbackItem } from './types.js';

/**
 * What the outcome side adds to the feedback messages: the contacted buttons of the reporter's resolved DM, the
 * waiting line and buttons of the department message, and the history verbs of outcome events.
 */

/** The value of a contacted button: the item and the resolution it answers for. */
export function contactButtonValue(item: Pick<FeedbackItem, 'id' | 'resolvedAt'>): string {
  return `${item.id}:${item.resolvedAt ?? 0}`;
}

/**
 * The resolved DM's **Told the customer** and **Couldn't reach them**, for an item that has a customer and no
 * answer yet; the answer is recorded with who and when, and shown in the item's thread.
 */
export function contactButtonsBlock(item: FeedbackItem, state: OutcomeState): KnownBlock | undefined {
  if (item.status !== 'resolved' || item.customerId === undefined || state.contactAnswer) return undefined;
  const value = contactButtonValue(item);
  return {
    type: 'actions',
    block_id: OutcomeBlocks.contact,
    elements: [
      {
        type: 'button',
        action_id: OutcomeActions.toldCustomer,
        text: plain('Told the customer', 75),
        style: 'primary',
        value,
      },
      {
        type: 'button',
        action_id: OutcomeActions.couldNotReach,
        text: plain("Couldn't reach them", 75),
        value,
      },
    ],
  };
}

/** The resolved DM's own text section, so the buttons can sit under it. */
export function resolvedDmBlocks(text: string, item: FeedbackItem, state: OutcomeState): KnownBlock[] {
  const buttons = contactButtonsBlock(item, state);
  return buttons ? [section(text), buttons] : [section(text)];
}

/** "Waiting on the customer since …": the department message while the SLA clock is paused. */
export function waitingBlock(state: OutcomeState): KnownBlock | undefined {
  if (state.waitingSince === undefined) return undefined;
  return context(
    [
      `:hourglass_flowing_sand: *Waiting on the customer* since ${slackDate(state.waitingSince)}: the SLA clock is paused until the department resumes the item or the customer's answer is recorded.`,
    ],
    OutcomeBlocks.waiting,
  );
}

/** The lifecycle buttons plus **Waiting on customer** (or **Resume** while waiting) on an open item. */
export function withWaitingButton(
  actions: KnownBlock | undefined,
  item: FeedbackItem,
  state: OutcomeState,
): KnownBlock | undefined {
  if (actions?.type !== 'actions' || item.status === 'resolved') return actions;
  const waiting = state.waitingSince !== undefined;
  return {
    ...actions,
    elements: [
      ...actions.elements,
      {
        type: 'button',
        action_id: waiting ? OutcomeActions.resume : OutcomeActions.waitOnCustomer,
        text: plain(waiting ? 'Resume' : 'Waiting on customer', 75),
        value: buttonValue(item),
      },
    ],
  };
}

/** History verbs of outcome events (the lifecycle's own verbs are in lifecycle-blocks.ts). */
export const OUTCOME_VERBS: Record<string, string> = {
  contact_told: 'told the customer',
  contact_unreachable: "couldn't reach the customer",
  wait: 'is waiting on the customer (SLA clock paused)',
  resume: 'resumed the item (SLA clock running again)',
  customer_answered: "recorded the customer's answer (SLA clock running again)",
  outcome_kept: 'followed up: still a customer',
  outcome_came_back: 'followed up: the customer came back with the same problem',
  outcome_lost: 'followed up: the customer left',
};
