import type { Logger as SlackLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear: tokens, secrets and customer contact details. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'headers.authorization',
  '*.headers.authorization',
  'customer',
  '*.customer',
  'customerContact',
  '*.customerContact',
];

/** The root logger; `destination` is the app's log sink (stdout, asynchronous, bounded) or a test's stream. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const opts: LoggerOptions = {
    level: options.level,
    base: { app: 'courtesy-loop' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
