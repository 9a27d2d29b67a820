/**
 * The load generator, run in its own process so it never shares a CPU budget with the server it measures:
 * `node --import tsx scripts/bench/load.ts '<json LoadSpec>'` prints one JSON `LoadResult` line.
 * Every request is signed as Slack signs it and is a distinct command or event (fresh trigger_id, text,
 * event_id, people), so idempotency never short-circuits the work.
 */
import autocannon from 'autocannon';
import { signSlackRequest } from '../../src/sandbox/slack-requests.js';
import { type PacedResult, runPaced } from './paced-load.js';
import { type LoadKind, type PeopleSetting, requestBody } from './payloads.js';

export type LoadSpec = {
  url: string;
  secret: string;
  kind: LoadKind;
  seconds: number;
  /** Connections (flat out); at a fixed rate, the most sockets open at once. */
  connections: number;
  /**
   * Requests per second, sent evenly spaced whatever the answers (paced-load.ts); omitted: flat out with
   * autocannon, each connection sending its next request when the last is answered.
   */
  rate?: number;
  /** Distinguishes the requests of one phase from another's (ids stay unique across phases). */
  prefix: string;
  /** The first request's number; phases of one server start far apart so people and messages never repeat. */
  first: number;
  /** The slash commands' response_url, before each command's id (the stand-in's, as Slack hands out its own). */
  responseUrl?: string;
  /** Who gives and receives kudos: a company's people (default) or new people each time. */
  people?: PeopleSetting;
};

/** p50 and p99 in ms: to the microsecond at a fixed rate, whole ones flat out. */
export type LoadResult = Pick<
  PacedResult,
  'sent' | 'ok' | 'non2xx' | 'errors' | 'timeouts' | 'p50' | 'p99'
> & {
  perSecond: number;
  /** At a fixed rate: the most a request was handed over after it was due (ms), the generator's own lateness. */
  maxLateMs?: number;
};

/** The n-th request of a phase, signed as Slack signs it. */
function signedRequest(spec: LoadSpec, n: number) {
  const id = `${spec.prefix}${n}`;
  const { body, contentType } = requestBody(spec.kind, id, n, spec.responseUrl, spec.people);
  return { body, headers: { 'content-type': contentType, ...signSlackRequest(spec.secret, body) } };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.rate) {
    const paced = await runPaced({
      url: spec.url,
      rate: spec.rate,
      seconds: spec.seconds,
      sockets: spec.connections,
      request: (i) => signedRequest(spec, spec.first + i + 1),
    });
    return { ...paced, perSecond: paced.ok / spec.seconds };
  }
  let n = spec.first;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          return { ...req, ...signedRequest(spec, n) };
        },
      },
    ],
  });
  return {
    sent: result.requests.sent,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    perSecond: result['2xx'] / spec.seconds,
  };
}

if (process.argv[2]) {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  runLoad(spec).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
