import { type AppCore, type Feature, queuingTask } from '../app-core.js';
import { createThemesDeliveryHandlers } from './delivery-handlers.js';
import { runFocusCommand } from './focus-command.js';
import { focusOutcomeText } from './focus-text.js';
import { queueThemeSpikes, type SpikeWatermark } from './spikes.js';
import { parseThemesRequest, themesReport } from './themes-command.js';
import { themesRefusalText, themesReportText } from './themes-text.js';
import { refreshThemeTotalsInSlices } from './totals-upkeep.js';

/** Marked running-total buckets the minute tick counts again (after an upgrade, every themed item's). */
const REFRESH_SLICE = 500;
/** At most this many of them are counted between two looks at the event loop (slices aim at 10 ms). */
const REFRESH_STEP = 50;

export type ThemeReadFeature = Feature & {
  /** `/feedback themes [department] [week|month|quarter]`: the answer only the caller sees. */
  themesAnswer(args: string): string;
  /** `/loop focus <department> [TH-12 max:5/week | off]`. */
  focus(userId: string, args: string): string;
};

/** The theme read side: `/feedback themes`, `/loop focus`, spikes posted to the team, the running totals' upkeep. */
export function createThemeReadFeature(core: AppCore): ThemeReadFeature {
  const { db, clock, config } = core;
  const spikesSeen: { last: SpikeWatermark | undefined } = { last: undefined };
  return {
    tasks: [
      {
        name: 'theme-totals',
        run: () =>
          refreshThemeTotalsInSlices(db, {
            total: REFRESH_SLICE,
            slice: REFRESH_STEP,
            requestsInFlight: core.requestsInFlight,
          }),
      },
      queuingTask(core, 'theme-spikes', (now) => queueThemeSpikes(db, config().departments, now, spikesSeen)),
    ],
    deliveryHandlers: createThemesDeliveryHandlers(),
    themesAnswer(args) {
      const request = parseThemesRequest(args, config());
      if (!request.ok) return themesRefusalText(request);
      return themesReportText(themesReport(db, config(), request, clock.now()));
    },
    focus(userId, args) {
      const outcome = runFocusCommand({ db, config: config(), now: clock.now() }, userId, args);
      return focusOutcomeText(outcome, (d) => d.timezone);
    },
  };
}
