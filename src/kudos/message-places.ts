import type { MessagePlace } from '../slack/workspace-url.js';
import type { Kudos } from './types.js';

/**
 * Where the messages a kudos links to are, when that is certain, so their links are built rather than asked of
 * Slack (`slack/workspace-url.ts`); undefined means "ask Slack".
 */

/**
 * The app's post of the kudos: top level when it went to another channel than the source message's (a post in
 * the source's channel may be in its thread or not, depending on the visibility when it was posted).
 */
export function postPlace(kudos: Kudos): MessagePlace | undefined {
  if (!kudos.postChannelId || !kudos.postTs) return undefined;
  const besideSource = kudos.sourceMessageTs !== undefined && kudos.postChannelId === kudos.sourceChannelId;
  return besideSource ? undefined : { threadTs: undefined };
}

/**
 * The message thanked for: known from a message shortcut (Slack sends a reply's thread, and the listener keeps
 * it). A reaction event says nothing about threads, so the message someone reacted to may be a reply, unless it
 * is the app's own post of the kudos a "+1" joins: that post was top level when it went to another channel than
 * its own source message (`plus-one.ts` then keeps no thread for the +1); beside it, ask Slack (as `postPlace`).
 */
export function sourcePlace(kudos: Kudos): MessagePlace | undefined {
  if (kudos.source === 'shortcut') return { threadTs: kudos.sourceThreadTs };
  if (kudos.plusOneOf !== undefined && kudos.sourceThreadTs === undefined) return { threadTs: undefined };
  return undefined;
}
