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

/**
 * Who gives and receives the kudos and reactions: `company`, people of one company of COMPANY_SIZE (the issue's
 * scale), so Slack is asked about each person once and the directory is warm after that, as in a real company;
 * `new`, two people never seen before in every request (every `/kudos` waits on Slack look-ups: the worst case).
 */
export const PEOPLE_SETTINGS = ['company', 'new'] as const;
export type PeopleSetting = (typeof PEOPLE_SETTINGS)[number];
export const COMPANY_SIZE = 2000;

/** What support forwards in an outage: mostly a few recurring complaints, worded a little differently. */
const COMPLAINTS = [
  'the March invoice INV-%n charged twice',
  'parcel %n never arrived, courier says delivered',
  'the app logs me out after the update (ticket %n)',
  'refund %n still not on my credit card',
  'question about order %n and its delivery date',
];

const person = (prefix: string, n: number) => `U${prefix}${n.toString(36).toUpperCase().padStart(7, '0')}`;

/**
 * The giver and the person thanked by request `n`. `new`: a person id per request. `company`: the giver goes
 * round the company one by one (everyone gives the same number of kudos, `n / COMPANY_SIZE` in all), and each
 * round thanks the colleague one further along, so a giver thanks someone else each round. `/kudos` and reactions
 * are numbered alike, so a pair meets at most twice in a run (within the default per-recipient cap of 2), and no
 * allowance is reached while each person gives at most the bench org's `daily_allowance` (bench-org.ts): up to
 * COMPANY_SIZE times that many kudos and reactions in a run. The first COMPANY_SIZE requests (the 200/s phase)
 * name everyone once.
 */
export function kudosPeople(people: PeopleSetting, n: number): { giver: string; recipient: string } {
  if (people === 'new') return { giver: person('G', n), recipient: person('T', n) };
  const giver = n % COMPANY_SIZE;
  const round = Math.floor(n / COMPANY_SIZE) % (COMPANY_SIZE - 1);
  return { giver: person('P', giver), recipient: person('P', (giver + 1 + round) % COMPANY_SIZE) };
}

export function requestBody(
  kind: LoadKind,
  id: string,
  n: number,
  /** The stand-in's response_url base: each command gets its own URL under it (Slack takes 5 posts per URL). */
  responseUrl?: string,
  people: PeopleSetting = 'company',
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
    case 'kudos': {
      const { giver, recipient } = kudosPeople(people, n);
      return {
        contentType: FORM_CONTENT_TYPE,
        body: slashCommandBody({
          command: '/kudos',
          text: `<@${recipient}|teammate> thanks for covering the night shift (${id})`,
          trigger_id: `${id}.bench`,
          user_id: giver,
          channel_id: BENCH_CHANNEL,
          ...(responseUrl ? { response_url: `${responseUrl}${id}` } : {}),
        }),
      };
    }
    case 'reaction': {
      const { giver, recipient } = kudosPeople(people, n);
      return {
        contentType: JSON_CONTENT_TYPE,
        body: JSON.stringify(
          eventCallbackEnvelope(
            {
              type: 'reaction_added',
              user: giver,
              reaction: BENCH_REACTION,
              item_user: recipient,
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
}
