import type { App } from '@slack/bolt';

export type RequestTracker = {
  /** How many requests Bolt is processing now, listeners included. */
  inFlight(): number;
  /** Resolves once no request is being processed (at once if none is). */
  idle(): Promise<void>;
};

/** The count itself, made with the core before the Bolt app exists, so background work can give way to requests. */
export type RequestCounter = RequestTracker & { started(): void; ended(): void };

export function createRequestCounter(): RequestCounter {
  let count = 0;
  let waiting: (() => void)[] = [];
  return {
    started: () => {
      count += 1;
    },
    ended: () => {
      count -= 1;
      if (count > 0) return;
      const done = waiting;
      waiting = [];
      for (const resolve of done) resolve();
    },
    inFlight: () => count,
    idle: () => (count === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
  };
}

/**
 * Counts the requests Bolt is processing, from the moment a receiver hands one over (before its ack) until its
 * listeners have returned. Shutdown waits on it so no listener is cut off mid-write, a caller can know that
 * an event was handled even when handling it changed nothing (an emoji that is not the kudos one), and the
 * themes' background slices wait while a request is being answered.
 */
export function trackRequests(app: App, counter: RequestCounter = createRequestCounter()): RequestTracker {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    counter.started();
    return processEvent(event).finally(counter.ended);
  };
  return counter;
}
