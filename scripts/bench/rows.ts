/**
 * One benchmark row and the one table every scenario's rows are printed in. A scenario is a module that
 * exports a function returning rows; the runner (run.ts) lists the scenarios, prints the table and writes
 * `bench-results/bench.json`.
 */
import type { PeopleSetting } from './payloads.js';

export type BenchRow = {
  /** What was measured, e.g. `/feedback ack p99 at 200 req/s (ms)`. */
  measure: string;
  floor?: number | undefined;
  plainBolt?: number | undefined;
  app?: number | undefined;
  /** The app against the reference the budget names (`app / floor` or `app / plainBolt`), when there is one. */
  ratio?: number | undefined;
  budget?: string | undefined;
  /** Whether the budget held in this run; undefined when the row has no budget. */
  ok?: boolean | undefined;
  note?: string | undefined;
};

export type ScenarioOptions = {
  /** Seconds each load phase lasts. */
  seconds: number;
  /** CI-sized: small data, short phases; checks the benchmark runs, never its timing. */
  smoke: boolean;
  /** Folder for throwaway databases and the results. */
  outDir: string;
  /** Write a CPU profile of each server under load (`--cpu-prof`) into `outDir/profiles`. */
  profile?: boolean;
  /** The app's entry point to measure (default `dist/main.js`): e.g. an older build, for a before/after table. */
  appEntry?: string;
  /** Intake: only these request kinds (`feedback`, `kudos`, `reaction`); default all. */
  kinds?: readonly string[];
  /** Intake: who gives and receives kudos (`payloads.ts`): a company of 2,000 (default), or new people each time. */
  people?: PeopleSetting;
};

export type Scenario = {
  name: string;
  run(options: ScenarioOptions): Promise<BenchRow[]>;
};

const round = (n: number | undefined) =>
  n === undefined ? '' : n >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);

/** The rows as a Markdown table (readable in a terminal and pasteable into an issue), their notes below it. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['measure', 'floor', 'plain Bolt', 'Courtesy Loop', 'ratio', 'budget', 'ok'];
  const lines = rows.map((r) => [
    r.measure,
    round(r.floor),
    round(r.plainBolt),
    round(r.app),
    r.ratio === undefined ? '' : `${round(r.ratio)}x`,
    r.budget ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const table = [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`);
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.measure}: ${r.note}`);
  return [...table, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
