import { Commands } from '../../src/slack/ids.js';
import type { Harness } from './app-harness.js';
import type { SlackDriver } from './slack-requests.js';

/** The start of the answer when a kudos waits on Slack look-ups (`src/kudos/answer.ts`). */
export const LATER_ANSWER = 'Passing your kudos on to';

/**
 * `/kudos …` as the giver sees it: the answer at once, or, when the people named had to be looked up in Slack
 * first, the answer that follows through the command's response_url once the outbox has given it.
 */
export async function kudosAnswer(
  h: Harness,
  driver: SlackDriver,
  text: string,
): Promise<{ text: string; later: boolean; body: Record<string, unknown> | undefined }> {
  const res = await driver.command(Commands.kudos, text);
  const first = res.json as (Record<string, unknown> & { text?: string }) | undefined;
  if (!first?.text?.includes(LATER_ANSWER)) return { text: first?.text ?? '', later: false, body: first };
  await h.loop.delivery.drain();
  const [reply] = await h.standIn.waitForResponse(1, 5000, res.responseUrlId);
  const body = reply?.body as Record<string, unknown> | undefined;
  return { text: String(body?.text ?? ''), later: true, body };
}
