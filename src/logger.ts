import type { Logger as SlackLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys blanked out wherever they sit: tokens, secrets and customer contact details. */
const SECRET_KEYS: readonly string[] = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'customer',
  'customerContact',
];
const SECRETS: ReadonlySet<string> = new Set(SECRET_KEYS);
const CENSOR = '[redacted]';

/**
 * What pino blanks out itself (its `redact`): the secret keys and `headers.authorization` at the top of a line
 * or of a child logger's bindings (pino formats bindings only through `redact`). No path starts with `*`:
 * with such paths, every value of every line went through @pinojs/redact, which parses each of its paths again
 * on every call (a third of what the "kudos given" line cost, and a fifteenth of everything a flat-out reaction
 * load allocated). One level inside a line's values is `withoutSecrets`' part.
 */
const REDACT_PATHS = [...SECRET_KEYS, 'headers.authorization'];

/**
 * A log line's fields with secrets blanked out: each of the secret keys and `headers.authorization`, at the top
 * of the line or one level inside any of its values (what pino's `key` and `*.key` paths said). Nothing is copied
 * unless something is blanked. Runs as pino's `formatters.log`.
 */
export function withoutSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return (blanked(fields, 0) as Record<string, unknown> | undefined) ?? fields;
}

/**
 * `value` with its secrets blanked, or undefined when it has none. `depth` 0 is the line itself: its values are
 * looked inside too; 1 is a value of the line. A `headers` value loses its `authorization` wherever it is met,
 * and at the top of the line is looked inside as any other value.
 */
function blanked(value: unknown, depth: 0 | 1, headers = false): object | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const current = record[key];
    let next: unknown;
    if (current === undefined) continue;
    if (SECRETS.has(key) || (headers && key === 'authorization')) next = CENSOR;
    else if (key === 'headers') next = blanked(current, 1, true);
    else if (depth === 0) next = blanked(current, 1);
    if (next === undefined) continue;
    copy ??= copyOf(value);
    copy[key] = next;
  }
  return copy;
}

/** A shallow copy to blank keys on; an Error stays an Error (its type, message and stack as pino logs them). */
function copyOf(value: object): Record<string, unknown> {
  if (!(value instanceof Error)) return { ...value } as Record<string, unknown>;
  const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(value));
  return copy;
}

/**
 * Objects given to a message's format (`logger.info('sent %j', args)`) are written by pino's message formatter,
 * which `formatters.log` never sees: blanked before, as a line's values are.
 */
const blankFormatArguments = {
  logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
    const message = args.findIndex((a) => typeof a === 'string');
    if (message < 0 || message === args.length - 1) {
      method.apply(this, args);
      return;
    }
    const blank = (a: unknown) => (typeof a === 'object' && a !== null ? (blanked(a, 0) ?? a) : a);
    method.apply(this, [...args.slice(0, message + 1), ...args.slice(message + 1).map(blank)]);
  },
};

/** The root logger; `destination` is the app's log sink (stdout, asynchronous, bounded) or a test's stream. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const opts: LoggerOptions = {
    level: options.level,
    base: { app: 'courtesy-loop' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: { log: withoutSecrets },
    hooks: blankFormatArguments,
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

const TOKEN_PATTERN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;

/** Bolt logs strings it builds itself; scrub anything that looks like a Slack token before it reaches pino. */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, '[redacted-token]');
}

const boltToPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt's Logger interface, logging through pino (child `module: bolt`). */
export function boltLoggerAdapter(root: Logger): SlackLogger {
  let log = root.child({ module: 'bolt' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', msg: unknown[]) => {
    // Bolt and the Web API client log several debug lines per request: build none of them unless they are kept.
    if (!log.isLevelEnabled(level)) return;
    const text = scrubTokens(msg.map((m) => (typeof m === 'string' ? m : safeString(m))).join(' '));
    log[level](text);
  };
  return {
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    setLevel: (level) => {
      log.level = boltToPino[level];
    },
    getLevel: () => {
      const found = (Object.entries(boltToPino) as [LogLevel, string][]).find(([, v]) => v === log.level);
      return found ? found[0] : LogLevel.INFO;
    },
    setName: (name) => {
      log = root.child({ module: name });
    },
  };
}

function safeString(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
