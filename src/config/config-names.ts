import {
  formatConfigProblems,
  loadOrgConfig,
  type NameLookup,
  type OrgConfigResult,
  type OrgConfigStore,
} from './org.js';
import { collectSlackRefs, distinctNames, type SlackRef } from './slack-refs.js';

/** The Slack look-ups the org config's names need (slack/name-lookup.ts, passed in: config imports no Slack). */
export type NameSource = {
  answer: NameLookup;
  requireLookedUp(): void;
  lookUp(refs: readonly SlackRef[]): Promise<boolean>;
};

/** How long a reload waits for Slack before answering with what the cache knows (an admin waits for it). */
const RELOAD_LOOKUP_MS = 2000;

/**
 * When names in the org config are looked up: at start only those never seen (the rest come from the cache, so
 * a start needs no Slack), then all of them in the background, and all again on each reload.
 */
export function createConfigNames(deps: { path: string; config: OrgConfigStore; names: NameSource }) {
  const { path, config, names } = deps;
  const namesInFile = (): SlackRef[] => {
    const raw = loadOrgConfig(path);
    return raw.ok ? distinctNames(collectSlackRefs(raw.config)) : [];
  };

  return {
    /** Before start: look up names the cache does not know; throws with file:line problems if any is wrong. */
    async resolveNew(): Promise<void> {
      const unknown = namesInFile().filter((ref) => names.answer(ref) === undefined);
      names.requireLookedUp();
      if (unknown.length === 0) return;
      await names.lookUp(unknown);
      const result = config.reload();
      if (!result.ok) throw new Error(formatConfigProblems(result.problems));
    },
    /** After start: every name again; a changed id reloads the config. */
    refreshInBackground(): void {
      void names.lookUp(namesInFile()).then((changed) => {
        if (changed) config.reload();
      });
    },
    async reload(): Promise<OrgConfigResult> {
      await Promise.race([
        names.lookUp(namesInFile()),
        new Promise((resolve) => setTimeout(resolve, RELOAD_LOOKUP_MS).unref()),
      ]);
      return config.reload();
    },
  };
}
