import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/**
 * The longest background work waits for Slack requests to be answered before its next slice runs anyway: under
 * a steady stream of requests the work still moves, one slice (about 20 ms) at most this often.
 */
export const GIVE_WAY_MAX_MS = 250;

/**
 * Before a slice of background work: the event loop's next turn, then, while Slack requests are being answered
 * (`requestsInFlight`), a wait until they are, looked at every millisecond and at most `maxWaitMs`. A slice that
 * starts while someone waits for their App Home or `/loop digest` adds its whole length to their answer.
 */
export async function giveWay(requestsInFlight?: () => number, maxWaitMs = GIVE_WAY_MAX_MS): Promise<void> {
  await nextTurn();
  if (!requestsInFlight) return;
  const until = performance.now() + maxWaitMs;
  while (requestsInFlight() > 0 && performance.now() < until) await sleep(1);
}
