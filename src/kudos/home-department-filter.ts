import type { KnownBlock } from '@slack/types';
import { LIMITS, option, plain } from '../slack/blocks.js';
import { HomeActions } from '../slack/ids.js';
import type { HomeData } from './home.js';

/** The option value of "every department" in the leaderboard's department select. */
export const EVERY_DEPARTMENT = '*';

const departmentOption = (d: { id: string; name: string }) => option(d.name, d.id);

/** The Home leaderboard's department select (none when the org has no departments). */
export function departmentFilterBlock(data: HomeData): KnownBlock | undefined {
  if (data.departments.length === 0) return undefined;
  const every = option('Every department', EVERY_DEPARTMENT);
  const options = [every, ...data.departments.slice(0, LIMITS.options - 1).map(departmentOption)];
  return {
    type: 'actions',
    block_id: 'home_leaderboard_filter',
    elements: [
      {
        type: 'static_select',
        action_id: HomeActions.leaderboardDepartment,
        placeholder: plain('Department'),
        initial_option: data.department ? departmentOption(data.department) : every,
        options,
      },
    ],
  };
}
