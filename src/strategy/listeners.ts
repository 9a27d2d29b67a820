import { Commands } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import { SORRY_MALFORMED, slashCommandSchema } from '../slack/payloads.js';
import { strategyLookupResponse } from './blocks.js';
import type { StrategyService } from './service.js';

export type StrategyListenerDeps = { strategy: Pick<StrategyService, 'lookup'> };

/** `/strategy [department]`: the promise, the team's part, its commitments and last week's numbers. */
export function registerStrategyListeners(app: ListenerRegistry, deps: StrategyListenerDeps): void {
  app.command(Commands.strategy, async ({ command, ack, respond }) => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) return ack({ response_type: 'ephemeral', text: SORRY_MALFORMED });
    // Finding the caller's team may ask Slack for user-group members: answer within 3 s, then reply.
    await ack();
    const result = await deps.strategy.lookup(parsed.data.user_id, parsed.data.text);
    await respond({ response_type: 'ephemeral', ...strategyLookupResponse(result) });
  });
}
