import type { AppCore, Feature } from '../app-core.js';
import type { ItemThemer } from '../feedback/types.js';
import { renameThemeFromCommand, type ThemeRenameOutcome } from './rename-theme.js';
import { createThemeIndex } from './theme-index.js';
import { createThemeWork } from './theme-work.js';

/**
 * The themes room, write side: every filed item is put in a theme at intake (`themer`, handed to feedback),
 * the background work backfills older items and regroups in slices, and leads name themes (`/loop theme`).
 */
export type ThemesFeature = Feature & {
  themer: ItemThemer;
  /** Customer details were removed: their words have left the statistics; the live model follows. */
  afterErasure(): void;
  /** `/loop theme …` after the verb, by a user who may (`mayRename`) or may not rename. */
  rename(rest: string, userId: string, mayRename: boolean): ThemeRenameOutcome;
};

export function createThemesFeature(core: AppCore): ThemesFeature {
  const { db, clock, config } = core;
  const logger = core.logger.child({ module: 'themes' });
  const index = createThemeIndex({ db, language: () => config().language, logger });
  const work = createThemeWork({ db, index, clock, logger, requestsInFlight: core.requestsInFlight });
  return {
    themer: index,
    afterErasure: () => index.afterErasure(clock.now()),
    tasks: [{ name: 'themes', run: (now) => work.run(now) }],
    rename: (rest, userId, mayRename) =>
      renameThemeFromCommand(db, { text: rest, userId, mayRename, now: clock.now() }),
  };
}
