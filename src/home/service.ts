import type { KudosConfig } from '../config/kudos-schema.js';
import { departmentsOfMember } from '../config/membership.js';
import type { OrgConfig } from '../config/org-schema.js';
import { countOpenItemsOfReporter, listOpenItemsOfReporter } from '../feedback/repo.js';
import type { FeedbackItem } from '../feedback/types.js';
import { allowanceOf } from '../kudos/give.js';
import { type HomeData, loadHomeData } from '../kudos/home.js';
import type { KudosPeople } from '../kudos/service.js';
import type { StrategyDeps, StrategyService, TeamStrategy } from '../strategy/service.js';
import { HOME_MAX_TEAMS, MINE_SHOWN } from './view.js';

/**
 * Everything the App Home shows one person: the feedback they filed that is still open, the teams they belong
 * to (role, commitments over the last 7 days, the team's oldest open items) and their kudos. No Slack here:
 * the delivery handler adds links and publishes.
 */

const WEEK = 7 * 24 * 3_600_000;

export type HomeContent = {
  userId: string;
  /** Open items the person filed: how many, and the newest few, each with its department's name. */
  mine: { count: number; items: { item: FeedbackItem; departmentName: string }[] };
  /** The person's teams, in config order, as many as the Home shows in full; the names of the others. */
  teams: TeamStrategy[];
  otherTeams: string[];
  kudos: HomeData | undefined;
  kudosSettings: KudosConfig | undefined;
};

/** The strategy service's own dependencies (the Home reads the same org config and teams), and the two services. */
export type HomeDeps = Pick<StrategyDeps, 'db' | 'clock' | 'config' | 'groupMembers'> & {
  people: KudosPeople;
  teamStrategy: StrategyService['teamStrategy'];
};

export type HomeService = { content(userId: string): Promise<HomeContent> };

export function createHomeService(deps: HomeDeps): HomeService {
  const { db } = deps;

  const kudosOf = async (
    userId: string,
    config: OrgConfig,
    settings: KudosConfig,
    now: number,
  ): Promise<HomeData> => {
    const [person, allowance] = await Promise.all([
      deps.people.user(userId),
      allowanceOf(deps.people, settings, userId),
    ]);
    const departments = config.departments.map(({ id, name }) => ({ id, name }));
    return loadHomeData(db, { userId, timeZone: person.tz, now, allowance, departments });
  };

  return {
    async content(userId) {
      const config = deps.config();
      const now = deps.clock.now();
      const name = (id: string | undefined) =>
        config.departments.find((d) => d.id === id)?.name ?? (id === undefined ? 'Triage' : id);
      const teams = await departmentsOfMember(config, userId, deps.groupMembers);
      const lastWeek = { start: now - WEEK, end: now };
      return {
        userId,
        mine: {
          count: countOpenItemsOfReporter(db, userId),
          items: listOpenItemsOfReporter(db, userId, MINE_SHOWN).map((item) => ({
            item,
            departmentName: name(item.departmentId),
          })),
        },
        teams: teams.slice(0, HOME_MAX_TEAMS).map((d) => deps.teamStrategy(d, lastWeek)),
        otherTeams: teams.slice(HOME_MAX_TEAMS).map((d) => d.name),
        kudos: config.kudos ? await kudosOf(userId, config, config.kudos, now) : undefined,
        kudosSettings: config.kudos,
      };
    },
  };
}
