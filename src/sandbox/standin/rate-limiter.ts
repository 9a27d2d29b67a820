export interface RateLimitSpec {
  /** Sustained calls per second allowed for the method. */
  perSecond: number;
  /** Bucket size (calls allowed in a burst); defaults to `max(1, perSecond)`. */
  burst?: number;
  /** Retry-After to announce; defaults to the seconds until a call would be allowed again (at least 1). */
  retryAfterSeconds?: number;
  /** One bucket per `channel` argument (chat.postMessage is limited per channel); default one per method. */
  perChannel?: boolean;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Token buckets per method (and optionally per channel), refilled continuously. */
export class RateLimiter {
  readonly #specs = new Map<string, RateLimitSpec>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  set(method: string, spec: RateLimitSpec): void {
    if (!(spec.perSecond > 0)) throw new RangeError('perSecond must be > 0');
    this.#specs.set(method, spec);
    for (const key of [...this.#buckets.keys()]) {
      if (key === method || key.startsWith(`${method}\u0000`)) this.#buckets.delete(key);
    }
  }

  clear(method?: string): void {
    if (method === undefined) {
      this.#specs.clear();
      this.#buckets.clear();
      return;
    }
    this.#specs.delete(method);
    for (const key of [...this.#buckets.keys()]) {
      if (key === method || key.startsWith(`${method}\u0000`)) this.#buckets.delete(key);
    }
  }

  take(method: string, channel: string | undefined): RateDecision {
    const spec = this.#specs.get(method);
    if (spec === undefined) return { allowed: true };
    const capacity = spec.burst ?? Math.max(1, spec.perSecond);
    const key = spec.perChannel === true ? `${method}\u0000${channel ?? ''}` : method;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * spec.perSecond);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitSeconds = Math.ceil((1 - bucket.tokens) / spec.perSecond);
    return { allowed: false, retryAfterSeconds: spec.retryAfterSeconds ?? Math.max(1, waitSeconds) };
  }
}
