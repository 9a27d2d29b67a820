import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { WordsCandidate } from './similarity.js';

/**
 * The words of each team's latest reports, kept in memory: every filing compares itself with the team's latest
 * `size` reports, and reading and splitting those rows again on every filing cost more than the rest of intake.
 * Loaded from the database on first use (and so after a restart), then kept up to date by `add` after each
 * commit. Only this process writes the database, so memory and file agree.
 */

type Entry = WordsCandidate & { createdAt: number };

export type RecentWords = {
  /**
   * The team's latest reports filed at or after `since` (a new report is compared before it is stored); the kept
   * list itself when all of them are (no copy of ~200 entries per filing), so only to be read.
   */
  candidates(teamId: string, since: number): readonly WordsCandidate[];
  /** A report just committed. */
  add(teamId: string, entry: Entry): void;
  /** Forget what is kept (customer words were erased): each team is read from the database again on next use. */
  clear(): void;
};

export function createRecentWords(db: Db, size = 200): RecentWords {
  const teams = new Map<string, Entry[]>();
  const load = (teamId: string): Entry[] => {
    let entries = teams.get(teamId);
    if (!entries) {
      const rows = stmt(
        db,
        `SELECT id, customer_id, created_at, similarity_words FROM feedback_items
           INDEXED BY feedback_items_similarity WHERE team_id = ? ORDER BY created_at DESC LIMIT ?`,
      ).all(teamId, size) as {
        id: number;
        customer_id: number | null;
        created_at: number;
        similarity_words: string;
      }[];
      entries = rows.reverse().map((r) => ({
        id: r.id,
        customerId: r.customer_id ?? undefined,
        createdAt: r.created_at,
        words: new Set(r.similarity_words === '' ? [] : r.similarity_words.split(' ')),
      }));
      teams.set(teamId, entries);
    }
    return entries;
  };
  return {
    candidates(teamId, since) {
      const entries = load(teamId);
      return entries.every((e) => e.createdAt >= since)
        ? entries
        : entries.filter((e) => e.createdAt >= since);
    },
    add(teamId, entry) {
      const entries = load(teamId);
      if (entries.some((e) => e.id === entry.id)) return;
      entries.push(entry);
      if (entries.length > size) entries.splice(0, entries.length - size);
    },
    clear() {
      teams.clear();
    },
  };
}
