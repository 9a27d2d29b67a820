/**
 * One shared backoff for the whole outbox when Slack is down (5xx, refused connections, timeouts): after a few
 * outage failures in a row the circuit opens and nothing is sent; when the wait is over, one probe goes out;
 * its success closes the circuit, its failure opens it again for twice as long (up to maxMs).
 */
export type CircuitOptions = {
  /** Outage failures in a row (with no success between) that open the circuit. */
  threshold: number;
  baseMs: number;
  maxMs: number;
};

/** `yes`: send freely; `probe`: send exactly one call to find out whether Slack is back; `no`: wait. */
export type CircuitPermission = 'yes' | 'probe' | 'no';

export type Circuit = {
  permit(now: number): CircuitPermission;
  /** A call reached Slack and got an answer that is not an outage (success, or a refusal Slack gave). */
  onAnswer(): void;
  onOutage(now: number): void;
  /** A probe ended without telling either way (our own error): open again rather than wait forever. */
  endProbe(now: number): void;
  /** While open: when the next probe may go. */
  openUntil(): number | undefined;
  /** Outage failures in a row so far, and how many times it has opened since the last answer. */
  state(): { open: boolean; failures: number; opens: number };
};

export function createCircuit(options: CircuitOptions): Circuit {
  let failures = 0;
  let opens = 0;
  let until: number | undefined;
  let probing = false;

  const open = (now: number) => {
    until = now + Math.min(options.maxMs, options.baseMs * 2 ** opens);
    opens += 1;
    probing = false;
  };

  return {
    permit(now) {
      if (until === undefined) return 'yes';
      if (now < until || probing) return 'no';
      probing = true;
      return 'probe';
    },
    onAnswer() {
      failures = 0;
      opens = 0;
      until = undefined;
      probing = false;
    },
    onOutage(now) {
      failures += 1;
      if (probing || (until === undefined && failures >= options.threshold)) open(now);
    },
    endProbe(now) {
      if (probing) open(now);
    },
    openUntil: () => until,
    state: () => ({ open: until !== undefined, failures, opens }),
  };
}
