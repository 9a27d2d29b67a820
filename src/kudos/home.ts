import type { KnownBlock } from '@slack/types';
import type { KudosConfig } from '../config/kudos-schema.js';
import {
  context,
  fields,
  header,
  option,
  plain,
  section,
  slackDate,
  userMention,
  userText,
} from '../slack/blocks.js';
import { HomeActions } from '../slack/ids.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';
import type { Db } from '../store/db.js';
import { dayWindow, periodStart } from '../time/local-time.js';
import { kudosOffText, receivedLine } from './blocks.js';
import { type CustomerPraiseReceived, customerPraiseReceived } from './customer-praise-repo.js';
import {
  allTimeLeaderboard,
  countGiven,
  countReceived,
  getHomePeriod,
  giverDay,
  leaderboard,
  listRecentReceived,
  valueBreakdown,
} from './repo.js';
import { LEADERBOARD_PERIODS, type LeaderboardPeriod, leaderboardStart, PERIOD_LABELS } from './rules.js';
import type { ReceivedKudos } from './types.js';

/** Everything the Home tab shows, computed from the ledger for one viewer at one instant. */
export type HomeData = {
  userId: string;
  receivedThisWeek: number;
  givenThisWeek: number;
  allowance: number;
  leftToday: number;
  resetsAt: number;
  recent: ReceivedKudos[];
  values: { valueId: string; count: number }[];
  period: LeaderboardPeriod;
  leaders: { userId: string; count: number }[];
  /** Customer praise received (not kudos: counted apart, in no leaderboard). */
  customerPraise: CustomerPraiseReceived;
};

export function loadHomeData(
  db: Db,
  input: { userId: string; timeZone: string; now: number; allowance: number },
): HomeData {
  const { userId, timeZone, now, allowance } = input;
  const week = periodStart('week', now, timeZone);
  const today = dayWindow(now, timeZone);
  const period = getHomePeriod(db, userId) ?? 'week';
  return {
    userId,
    receivedThisWeek: countReceived(db, userId, week),
    givenThisWeek: countGiven(db, userId, week),
    allowance,
    leftToday: Math.max(0, allowance - giverDay(db, userId, today).usedToday),
    resetsAt: today.end,
    recent: listRecentReceived(db, userId, 5),
    values: valueBreakdown(db, userId),
    period,
    customerPraise: customerPraiseReceived(db, userId, week),
    leaders:
      period === 'all'
        ? allTimeLeaderboard(db, 10)
        : leaderboard(db, leaderboardStart(period, now, timeZone), 10),
  };
}

const periodOption = (p: LeaderboardPeriod) => option(PERIOD_LABELS[p], p);

/** The latest customer praise, on its own line above the kudos: what the customer said and who passed it on. */
function customerPraiseLine(praise: CustomerPraiseReceived): string[] {
  const latest = praise.latest;
  if (!latest) return [];
  return [
    `• :speech_balloon: A customer said “${userText(latest.summary, 200)}” (${latest.reference}, passed on by ` +
      `${userMention(latest.passedOnBy)}) · ${slackDate(latest.createdAt, '{date_short_pretty}')}`,
  ];
}

/** At most this many blocks in the kudos part of the App Home (see kudosHomeBlocks). */
export const KUDOS_HOME_BLOCKS = 8;

/** The kudos part of the App Home: counts, allowance, recent kudos, values, the leaderboard. */
export function kudosHomeBlocks(data: HomeData | undefined, kudos: KudosConfig | undefined): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Your kudos')];
  if (!kudos || !data) {
    blocks.push(section(kudosOffText()));
    return blocks;
  }
  blocks.push(
    fields([
      ['Received this week', String(data.receivedThisWeek)],
      ['Given this week', String(data.givenThisWeek)],
      ['Left to give today', `${data.leftToday} of ${data.allowance}`],
      ['Allowance resets', slackDate(data.resetsAt, '{date_short_pretty} at {time}')],
      ['Customer praise this week', String(data.customerPraise.sinceCount)],
    ]),
  );
  blocks.push(section('*Recently received*'));
  const lines = [
    ...customerPraiseLine(data.customerPraise),
    ...data.recent.map((k) => `• ${receivedLine(k, kudos)}`),
  ];
  blocks.push(
    lines.length > 0
      ? section(lines.join('\n'))
      : context(['Nothing yet. Kudos you receive will show up here.']),
  );
  if (data.values.length > 0) {
    const label = (id: string) => escapeAndTruncate(kudos.values.find((v) => v.id === id)?.label ?? id, 40);
    blocks.push(
      section(`*Your values*\n${data.values.map((v) => `${label(v.valueId)}: ${v.count}`).join(' · ')}`),
    );
  }
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'section',
    block_id: 'home_leaderboard',
    text: { type: 'mrkdwn', text: `*Leaderboard* · ${PERIOD_LABELS[data.period].toLowerCase()}` },
    accessory: {
      type: 'static_select',
      action_id: HomeActions.leaderboardPeriod,
      placeholder: plain('Period'),
      initial_option: periodOption(data.period),
      options: LEADERBOARD_PERIODS.map(periodOption),
    },
  });
  blocks.push(
    data.leaders.length > 0
      ? section(
          data.leaders
            .map(
              (l, i) =>
                `${i + 1}. ${userMention(l.userId)} · ${l.count} kudos${l.userId === data.userId ? ' (you)' : ''}`,
            )
            .join('\n'),
        )
      : context(['No kudos in this period yet.']),
  );
  return blocks;
}
