import { outboxHandlers } from '../slack/delivery/outbox-kinds.js';
import { themesOutbox } from './outbox.js';
import { spikeText } from './themes-text.js';
import { themeName, themeReference } from './top-themes.js';

/** The themes room's outbox handlers: a spike posted in the department's channel. */
export function createThemesDeliveryHandlers() {
  return outboxHandlers(themesOutbox, {
    'themes.spike': async (spike, { db, post }) => {
      const text = spikeText({
        ...spike,
        reference: themeReference(spike.themeId),
        name: themeName(spike.themeId, db),
      });
      await post({ channel: spike.channel, text, unfurl_links: false });
    },
  });
}
