/**
 * The requests the benchmark sends, as Slack sends them: `/feedback` and `/kudos` slash commands
 * (urlencoded) and `reaction_added` events (JSON). Each call makes a distinct request from `id` and `n`.
 */
import {
  eventCallbackEnvelope,
  FORM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  slashCommandBody,
} from '../../src/sandbox/slack-requests.js';
import { BENCH_CHANNEL, BENCH_REACTION } from './bench-org.js';

export type LoadKind = 'feedback' | 'kudos' | 'reaction';

/** What support forwards in an outage: mostly a few recurring complaints, worded a little differently. */
const COMPLAINTS = [
  'the March invoice INV-%n charged twice',
  'parcel %n never arrived, courier says delivered',
  'the app logs me out after the update (ticket %n)',
  'refund %n still not on my credit card',
  'question about order %n and its delivery date',
];

/** A person id per request: givers and recipients never hit kudos allowances or per-recipient caps. */
const person = (prefix: string, n: number) => `U${prefix}${n.toString(36).toUpperCase().padStart(7, '0')}`;

export function requestBody(
  kind: LoadKind,
  id: string,
  n: number,
  /** The stand-in's response_url base: each command gets its own URL under it (Slack takes 5 posts per URL). */
  responseUrl?: string,
): { body: string; contentType: string } {
  switch (kind) {
    case 'feedback':
      return {
        contentType: FORM_CONTENT_TYPE,
        body: slashCommandBody({
          command: '/feedback',
          text: (COMPLAINTS[n % COMPLAINTS.length] ?? '').replace('%n', String(n)),
          trigger_id: `${id}.bench`,
          user_id: person('R', n % 50),
          channel_id: BENCH_CHANNEL,
        }),
      };
    case 'kudos':
      return {
        contentType: FORM_CONTENT_TYPE,
        body: slashCommandBody({
          command: '/kudos',
          text: `<@${person('T', n)}|teammate> thanks for covering the night shift (${id})`,
          trigger_id: `${id}.bench`,
          user_id: person('G', n),
          channel_id: BENCH_CHANNEL,
          ...(responseUrl ? { response_url: `${responseUrl}${id}` } : {}),
        }),
      };
    case 'reaction':
      return {
        contentType: JSON_CONTENT_TYPE,
        body: JSON.stringify(
          eventCallbackEnvelope(
            {
              type: 'reaction_added',
              user: person('G', n),
              reaction: BENCH_REACTION,
              item_user: person('T', n),
              item: {
                type: 'message',
                channel: BENCH_CHANNEL,
                ts: `${1_700_000_000 + n}.000100`,
              },
              event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
            },
            { eventId: `Ev${id}` },
          ),
        ),
      };
  }
}
