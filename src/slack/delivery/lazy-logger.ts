import type { Logger } from 'pino';

/**
 * A logger that is made only when something uses it: `make()` is called on the first property read (a log
 * call, `level`, `child`...), and every read after goes to what it made. A delivery hands its handler a logger
 * for its outbox message, and most deliveries log nothing: a pino child per message, with the redaction its
 * bindings go through, was a twentieth of what a flat-out `/kudos` load allocated.
 */
export function lazyLogger(make: () => Logger): Logger {
  let made: Logger | undefined;
  const target = () => {
    made ??= make();
    return made;
  };
  return new Proxy({} as Logger, {
    get(_shell, key) {
      const logger = target();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
    set(_shell, key, value) {
      return Reflect.set(target(), key, value);
    },
    has(_shell, key) {
      return Reflect.has(target(), key);
    },
  });
}
