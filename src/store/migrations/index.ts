import { sql as init } from './0001-init.js';
import { sql as jobRuns } from './0002-job-runs.js';
import { sql as kudos } from './0004-kudos.js';

export type Migration = { id: number; name: string; sql: string };

/** Append-only. A new migration gets the next id and its own file; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  { id: 1, name: 'init', sql: init },
  { id: 2, name: 'job-runs', sql: jobRuns },
  // Id 3 belongs to issue 3 ("feedback-lifecycle", built on its own branch). The runner refuses gaps, so until
  // that branch is merged this placeholder holds the slot: merging issue 3 replaces this line with its entry.
  // Its name differs on purpose: a scratch database that applied the placeholder is refused loudly later
  // instead of silently skipping the real migration 3.
  { id: 3, name: 'reserved-feedback-lifecycle', sql: 'SELECT 1' },
  { id: 4, name: 'kudos', sql: kudos },
];
