import { type CircuitOptions, createCircuit } from './circuit.js';
import type { FailureClass } from './slack-errors.js';

/**
 * What may go out now, for the whole outbox: nothing while a 429's Retry-After runs, then one call at a time
 * until one is accepted; one probe at a time while Slack refuses the token (every `tokenRetryMs`) or the
 * outage circuit is open; otherwise up to `concurrency` calls.
 */
export type Gates = {
  /** How many calls may be under way now; `wake` is told when that may change. */
  allowance(now: number, wake: (at: number) => void): number;
  /** A call starts: whether it is a probe (ended with `end`). */
  begin(now: number): Probe;
  end(probe: Probe, now: number): void;
  /** Slack accepted a call; true when that ended an outage (everything waiting may go now). */
  onSuccess(): boolean;
  onFailure(failure: FailureClass, now: number): void;
  /** When a message that failed in an outage should be tried again. */
  retryAfterOutage(now: number): number;
  slackUnreachable(): boolean;
};

export type Probe = 'circuit' | 'token' | undefined;

export function createGates(options: {
  concurrency: number;
  tokenRefused: () => boolean;
  tokenRetryMs: number;
  retryBaseMs: number;
  circuit: CircuitOptions;
}): Gates {
  const circuit = createCircuit(options.circuit);
  let pausedUntil = 0;
  let rateLimited = false;
  let tokenRetryAt = 0;
  let tokenProbing = false;

  return {
    allowance(now, wake) {
      if (now < pausedUntil) {
        wake(pausedUntil);
        return 0;
      }
      if (rateLimited) return 1;
      if (options.tokenRefused()) {
        if (tokenProbing || now < tokenRetryAt) {
          wake(tokenRetryAt);
          return 0;
        }
        return 1;
      }
      const until = circuit.openUntil();
      if (until === undefined) return options.concurrency;
      wake(until);
      return now < until ? 0 : 1;
    },
    begin(now) {
      if (options.tokenRefused()) {
        tokenProbing = true;
        return 'token';
      }
      return circuit.permit(now) === 'probe' ? 'circuit' : undefined;
    },
    end(probe, now) {
      if (probe === 'token') tokenProbing = false;
      if (probe === 'circuit') circuit.endProbe(now);
    },
    onSuccess() {
      rateLimited = false;
      const wasOpen = circuit.state().open;
      circuit.onAnswer();
      return wasOpen;
    },
    onFailure(failure, now) {
      rateLimited = failure.kind === 'rate-limited';
      switch (failure.kind) {
        case 'rate-limited':
          circuit.onAnswer();
          pausedUntil = Math.max(pausedUntil, now + failure.retryAfterMs);
          return;
        case 'outage':
          circuit.onOutage(now);
          return;
        case 'token':
          circuit.onAnswer();
          tokenRetryAt = now + options.tokenRetryMs;
          return;
        default:
          circuit.onAnswer();
      }
    },
    retryAfterOutage: (now) => circuit.openUntil() ?? now + options.retryBaseMs,
    slackUnreachable: () => circuit.state().open,
  };
}
