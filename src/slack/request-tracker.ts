import type { App } from '@slack/bolt';

export type RequestTracker = {
  /** How many requests Bolt is processing now, listeners included. */
  inFlight(): number;
  /** Resolves once no request is being processed (at once if none is). */
  idle(): Promise<void>;
};

/**
 * Counts the requests Bolt is processing, from the moment a receiver hands one over (before its ack) until its
 * listeners have returned. Shutdown waits on it so no listener is cut off mid-write, and a caller can know that
 * an event was handled even when handling it changed nothing (an emoji that is not the kudos one).
 */
export function trackRequests(app: App): RequestTracker {
  let count = 0;
  let waiting: (() => void)[] = [];
  const settle = () => {
    count -= 1;
    if (count > 0) return;
    const done = waiting;
    waiting = [];
    for (const resolve of done) resolve();
  };
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    count += 1;
    return processEvent(event).finally(settle);
  };
  return {
    inFlight: () => count,
    idle: () => (count === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
  };
}
