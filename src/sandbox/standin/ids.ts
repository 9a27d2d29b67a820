import { randomBytes } from 'node:crypto';

/** Seconds part of the first message ts (2023-11-14T22:13:20Z), as in Slack's `1700000000.000100`. */
const TS_BASE_SECONDS = 1_700_000_000;

/**
 * Per-stand-in id generator: Slack-looking ids that are unique and increasing within one stand-in.
 */
export class IdSource {
  readonly #counters = new Map<string, number>();

  #next(kind: string): number {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return n;
  }

  #lastTsMicros = 0;

  /**
   * Message timestamps as Slack makes them: the wall-clock time in seconds with six decimals
   * (`1764312345.000100`), unique and increasing within one stand-in (a step of 100 µs when calls share a moment).
   */
  messageTs(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastTsMicros + 100);
    this.#lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  viewId(): string {
    return `V${String(this.#next('view')).padStart(10, '0')}`;
  }

  viewHash(): string {
    return `${TS_BASE_SECONDS + this.#next('hash')}.${randomBytes(4).toString('hex')}`;
  }

  fileId(): string {
    return `F${String(this.#next('file')).padStart(10, '0')}`;
  }

  responseUrlId(): string {
    return `R${String(this.#next('response')).padStart(6, '0')}`;
  }

  /** Slack's trigger_id shape: `<seconds>.<number>.<hex>`. */
  triggerId(): string {
    return `${TS_BASE_SECONDS + this.#next('trigger')}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
  }
}

/** A trigger_id in Slack's shape, unique without shared state (for payload builders used on their own). */
export function randomTriggerId(): string {
  return `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}

/** The ts of "now" in Slack's `seconds.micros` shape, unique without shared state. */
export function nowTs(): string {
  const now = Date.now();
  const micros = (now % 1000) * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(now / 1000)}.${String(micros).padStart(6, '0')}`;
}
