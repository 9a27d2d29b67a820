import type { Logger } from 'pino';
import { giveWay } from '../jobs/give-way.js';
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { type RegroupPass, type RegroupResult, startRegroup } from './regroup.js';
import type { ThemeIndex } from './theme-index.js';
import type { ThemeModel } from './theme-model.js';
import {
  loadDissolving,
  loadRegroupPosition,
  storeDissolving,
  storeItemTerms,
  storeRegroupPosition,
  themeItemsIn,
  unfinishedMerges,
} from './theme-store.js';

/**
 * The themes' background work, in small slices with the event loop free between them: first any removal of
 * customer details made by another process is followed (ThemeIndex.afterErasure), then the backfill (items
 * filed before themes existed get their terms and a theme, oldest first), then regroup passes (regroup.ts), one
 * after another while the last one changed something or new items came in. Each slice is one transaction
 * (`BACKFILL_SLICE` items, or regroup work for REGROUP_SLICE_MS of processing time), and a tick runs at most
 * `slicesPerTick`. No slice starts while a Slack request is being answered (`giveWay`): at a year of data a slice
 * that ran in the middle of a `/loop digest` preview added its length to the answer, several times over.
 * Passes follow new items in proportion (`NEW_ITEMS_SHARE`), so a year of history is not read again for each
 * new item.
 * Stopped after any slice (the process ended, a slice failed, or a removal of customer details made the model be
 * read again), the work resumes from the database alone: every slice leaves each theme's counts equal to its
 * items'; a pass stopped in its reassignment or naming goes on from where it was (`regroup_step`), otherwise it
 * starts again from the top, first moving the items of merges that had not all followed; the themes being
 * dissolved are kept with the progress (`dissolving`), not in memory.
 */

const BACKFILL_SLICE = 100;
/**
 * Regroup units are of uneven cost (an item, a theme's nearest neighbour, a merge): a slice works for this long.
 * 10 ms, not 20: at a year of data a 20 ms slice plus what else ran in the same turn of the event loop (a request
 * being read, a commit) held the loop 45-65 ms at the minute after start (bench:year, one log line per task).
 */
const REGROUP_SLICE_MS = 10;
/**
 * Units between two looks at the clock: one, since a unit may be heavy (following a merge moves 100 items, each
 * write firing the totals' triggers): 20 at a time let one slice run for ~200 ms at a year of data.
 */
const REGROUP_UNITS = 1;
/** With 10 ms slices, the same ~2 s of regroup work a tick as 100 slices of 20 ms did. */
const SLICES_PER_TICK = 200;
/** A tick's share of the work stops after this long even with slices left (they wait for requests: `giveWay`). */
const TICK_WALL_MS = 15_000;
/** A new pass starts when this share of items came in since the last one began (or the last one changed things). */
const NEW_ITEMS_SHARE = 0.01;
/** Passes in a row without new items, at most: split-and-merge may otherwise go back and forth. */
const MAX_SETTLING_PASSES = 10;

export type ThemeWork = {
  /** Run slices until the work is done or the tick's share is used; how many slices ran. */
  run(now: number): Promise<number>;
};

type BackfillRow = {
  id: number;
  summary: string;
  details: string;
  theme_terms: string | null;
  customer_details_removed_at: number | null;
};

export function createThemeWork(deps: {
  db: Db;
  index: ThemeIndex;
  clock: { now(): number };
  logger: Logger;
  slicesPerTick?: number;
  /** A regroup slice does this many units rather than REGROUP_SLICE_MS of work (tests: reproducible slices). */
  regroupSliceUnits?: number;
  /** Slack requests being answered now: each slice waits for them (`giveWay`), so nobody's answer waits on one. */
  requestsInFlight?: () => number;
  /** Wall time a tick's share of the work may take, waits included, so the tick's other tasks are not held up. */
  tickWallMs?: number;
}): ThemeWork {
  const { db, index, logger } = deps;
  let pass: { model: ThemeModel; regroup: RegroupPass } | undefined;
  let settled = false;
  let settling = 0;
  let documentsAtPass = -1;

  const backfillSlice = db.transaction((now: number): boolean => {
    const progress = stmt(
      db,
      'SELECT backfill_after, backfill_done FROM theme_progress WHERE id = 1',
    ).get() as {
      backfill_after: number;
      backfill_done: number;
    };
    if (progress.backfill_done) return false;
    const rows = stmt(
      db,
      `SELECT id, summary, details, theme_terms, customer_details_removed_at FROM feedback_items
         WHERE id > ? ORDER BY id LIMIT ?`,
    ).all(progress.backfill_after, BACKFILL_SLICE) as BackfillRow[];
    for (const row of rows) {
      if (row.theme_terms !== null) continue;
      // Items whose words were removed with the customer details have nothing to group by.
      if (row.customer_details_removed_at !== null) storeItemTerms(db, row.id, []);
      else index.file({ id: row.id, text: `${row.summary}\n${row.details}` }, now);
    }
    const last = rows.at(-1)?.id;
    if (last === undefined) stmt(db, 'UPDATE theme_progress SET backfill_done = 1 WHERE id = 1').run();
    else stmt(db, 'UPDATE theme_progress SET backfill_after = ? WHERE id = 1').run(last);
    return true;
  });

  /** What a new pass starts from, as the database has it. */
  const passStart = () => {
    const unfinished = unfinishedMerges(db);
    // Merges whose items have not all followed come first: only then may a pass go on reassigning.
    const resume = unfinished.length === 0 ? loadRegroupPosition(db) : undefined;
    return { dissolve: loadDissolving(db), unfinished, resume };
  };

  const regroupSlice = (): boolean => {
    const model = index.model;
    if (pass?.model !== model) {
      const documents = model.vocabulary.documents;
      const fresh = documents - documentsAtPass >= Math.max(1, documentsAtPass * NEW_ITEMS_SHARE);
      const options = passStart();
      // A pass stopped part-way is finished whatever else.
      const stopped = options.resume !== undefined || options.unfinished.length > 0;
      if (!fresh && !stopped && (settled || settling >= MAX_SETTLING_PASSES)) return false;
      if (!stopped) {
        settling = fresh ? 0 : settling + 1;
        documentsAtPass = documents;
      }
      pass = { model, regroup: startRegroup(model, themeItemsIn(db, model, deps.clock.now), options) };
    }
    const { regroup } = pass;
    const result = db.transaction((): RegroupResult | undefined => {
      let done = false;
      if (deps.regroupSliceUnits !== undefined) done = regroup.step(deps.regroupSliceUnits);
      else {
        const until = performance.now() + REGROUP_SLICE_MS;
        while (!done && performance.now() < until) done = regroup.step(REGROUP_UNITS);
      }
      storeRegroupPosition(db, regroup.position());
      if (!done) return undefined;
      const outcome = regroup.result();
      // What the next pass dissolves is stored with the pass's last changes.
      storeDissolving(db, outcome.incoherent);
      return outcome;
    })();
    if (!result) return true;
    pass = undefined;
    settled = result.moved === 0 && result.merged.length === 0 && result.incoherent.size === 0;
    logger.info(
      {
        moved: result.moved,
        merged: result.merged.length,
        dissolving: result.incoherent.size,
        themes: model.size,
      },
      'themes regrouped',
    );
    return true;
  };

  const slice = (now: number): boolean => {
    try {
      return backfillSlice(now) || regroupSlice();
    } catch (error) {
      // The slice's transaction was rolled back: memory is read again from the database, the pass starts over.
      pass = undefined;
      index.reload();
      throw error;
    }
  };

  return {
    async run(now) {
      index.afterErasure(now);
      let slices = 0;
      const until = performance.now() + (deps.tickWallMs ?? TICK_WALL_MS);
      while (slices < (deps.slicesPerTick ?? SLICES_PER_TICK) && performance.now() < until) {
        await giveWay(deps.requestsInFlight);
        if (!slice(now)) break;
        slices++;
      }
      return slices;
    },
  };
}
