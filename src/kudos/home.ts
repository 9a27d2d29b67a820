import type { KnownBlock } from '@slack/types';
import type { KudosConfig } from '../config/kudos-schema.js';
import { context, fields, header, option, plain, section, slackDate, userMention } from '../slack/blocks.js';
import { HomeActions } from '../slack/ids.js';
import { escapeAndTruncate } from '../slack/mrkdwn.js';
import type { Db } from '../store/db.js';
import { dayWindow, periodStart } from '../time/local-time.js';
import { kudosOffText, receivedLine } from './blocks.js';
import { departmentFilterBlock } from './home-department-filter.js';
import {
  allTimeLeaderboard,
  countGiven,
  countReceived,
  departmentLeaderboard,
  getHomePrefs,
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
  /** The department the leaderboard is filtered by (undefined: everyone), and those the viewer can pick. */
  department: LeaderboardDepartment | undefined;
  departments: readonly LeaderboardDepartment[];
};

export type LeaderboardDepartment = { id: string; name: string };

export function loadHomeData(
  db: Db,
  input: {
    userId: string;
    timeZone: string;
    now: number;
    allowance: number;
    departments: readonly LeaderboardDepartment[];
  },
): HomeData {
  const { userId, timeZone, now, allowance, departments } = input;
  const week = periodStart('week', now, timeZone);
  const today = dayWindow(now, timeZone);
  const prefs = getHomePrefs(db, userId);
  const period = prefs?.period ?? 'week';
  // A department removed from the config since it was chosen: everyone's board again.
  const department = departments.find((d) => d.id === prefs?.department);
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
    leaders: leadersOf(db, period, department?.id, leaderboardStart(period, now, timeZone)),
    department,
    departments,
  };
}

/** The top ten for a period, for everyone or one department (all time from the running totals). */
function leadersOf(db: Db, period: LeaderboardPeriod, department: string | undefined, since: number) {
  if (period === 'all') return allTimeLeaderboard(db, 10, department);
  return department === undefined
    ? leaderboard(db, since, 10)
    : departmentLeaderboard(db, department, since, 10);
}

const periodOption = (p: LeaderboardPeriod) => option(PERIOD_LABELS[p], p);

/** At most this many blocks in the kudos part of the App Home (see kudosHomeBlocks). */
export const KUDOS_HOME_BLOCKS = 9;

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
    ]),
  );
  blocks.push(section('*Recently received*'));
  blocks.push(
    data.recent.length > 0
      ? section(data.recent.map((k) => `• ${receivedLine(k, kudos)}`).join('\n'))
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
    text: {
      type: 'mrkdwn',
      text: `*Leaderboard* · ${PERIOD_LABELS[data.period].toLowerCase()}${data.department ? ` · ${escapeAndTruncate(data.department.name, 60)}` : ''}`,
    },
    accessory: {
      type: 'static_select',
      action_id: HomeActions.leaderboardPeriod,
      placeholder: plain('Period'),
      initial_option: periodOption(data.period),
      options: LEADERBOARD_PERIODS.map(periodOption),
    },
  });
  const filter = departmentFilterBlock(data);
  if (filter) blocks.push(filter);
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
