import { CodedError } from '../errors.js';

/**
 * What a SQLite failure means for the people using the app and for the operator: the database is locked by
 * another process, the disk is full, the file is read-only, missing, unreadable or damaged. SQLite rolls a
 * failed transaction back whole, so each of these means "nothing was saved", never half an item.
 */
export type DatabaseFault = {
  /** SQLite's primary result code, e.g. `SQLITE_BUSY` (extended codes folded: SQLITE_READONLY_DBMOVED). */
  code: string;
  /** For the person who asked: safe to show, says nothing was saved and what to do. */
  userMessage: string;
  /** For the operator's error line: what is wrong with the file and how to fix it. */
  operatorHint: string;
};

const FAULTS: Record<string, { cause: string; hint: string }> = {
  SQLITE_BUSY: {
    cause: 'the database is busy',
    hint: 'is locked by another process (a backup, a second copy of the app, a sqlite3 shell): stop it or wait for it',
  },
  SQLITE_LOCKED: {
    cause: 'the database is busy',
    hint: 'is locked by another connection: stop whatever holds it',
  },
  SQLITE_FULL: {
    cause: 'the disk the database is on is full',
    hint: 'cannot grow: the disk is full; free some space',
  },
  SQLITE_READONLY: {
    cause: 'the database is read-only',
    hint: 'is read-only: make the file and its folder writable by the user the app runs as',
  },
  SQLITE_CANTOPEN: {
    cause: 'the database cannot be opened',
    hint: 'cannot be opened: check that the path is a file in a folder the app can write to',
  },
  SQLITE_IOERR: {
    cause: 'the disk reported an error',
    hint: 'could not be read or written (disk I/O error): check the disk',
  },
  SQLITE_CORRUPT: {
    cause: 'the database is damaged',
    hint: 'is damaged: restore it from a backup',
  },
  SQLITE_NOTADB: {
    cause: 'the database file is not a database',
    hint: 'is not a SQLite database: check DATABASE_PATH',
  },
};

/** The fault behind an error (looking through Bolt's and our wrappers), or undefined if it is not SQLite's. */
export function findDatabaseFault(error: unknown): DatabaseFault | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const fault = faultOf(current);
    if (fault) return fault;
    const next = current as { original?: unknown; cause?: unknown };
    current = next.original ?? next.cause;
  }
  return undefined;
}

function faultOf(error: unknown): DatabaseFault | undefined {
  const raw = (error as { code?: unknown })?.code;
  if (typeof raw !== 'string' || !raw.startsWith('SQLITE_')) return undefined;
  const code = Object.keys(FAULTS).find((c) => raw === c || raw.startsWith(`${c}_`)) ?? raw;
  const known = FAULTS[code];
  if (!known) return undefined;
  return {
    code,
    userMessage: `Sorry, nothing was saved: ${known.cause} right now. Please try again in a minute; if it keeps happening, tell your Courtesy Loop admin (error: ${code}).`,
    operatorHint: known.hint,
  };
}

/** Start-up failed on the database: the message names the file, what is wrong and what to do. */
export class DatabaseUnavailableError extends CodedError {
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(
      'database_unavailable',
      `The database ${path} ${detail}. Or set DATABASE_PATH to another file.`,
      options,
    );
  }
}

/** Turn a SQLite error at start-up into a DatabaseUnavailableError; anything else is rethrown as is. */
export function explainStartupFailure(path: string, error: unknown): never {
  const fault = findDatabaseFault(error);
  if (fault) {
    throw new DatabaseUnavailableError(path, `${fault.operatorHint} (${fault.code})`, { cause: error });
  }
  throw error;
}
