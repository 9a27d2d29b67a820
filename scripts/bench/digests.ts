/**
 * The weekly-digest benchmark (scripts/bench-digests.ts) as a scenario: run in its own process, its
 * `digests.json` read back as rows. Smoke runs use a small seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, ScenarioOptions } from './rows.js';
import { runScriptProcess } from './run-load.js';

const SCRIPT = fileURLToPath(new URL('../bench-digests.ts', import.meta.url));

type DigestResult = {
  items: number;
  managers: number;
  rounds: { round: string | number; totalMs: number; holdMs: number; maxMs: number }[];
  team: { maxMs: number };
};

export const digestsScenario = {
  name: 'digests',
  async run(options: ScenarioOptions): Promise<BenchRow[]> {
    const size = options.smoke ? ['--items', '2000', '--kudos', '2000', '--managers', '20'] : [];
    await runScriptProcess(SCRIPT, [...size, '--out', options.outDir], 'bench-digests');
    const result = JSON.parse(readFileSync(join(options.outDir, 'digests.json'), 'utf8')) as DigestResult;
    const warm = result.rounds.at(-1);
    const scale = `${result.managers} managers, ${result.items} items`;
    return [
      {
        measure: `all weekly digests, ${scale}, work time (ms)`,
        app: warm?.totalMs,
        budget: '<= 1000 ms',
        ok: warm !== undefined && warm.totalMs <= 1000,
      },
      {
        measure: 'event loop held at once during the weekly run, longest (ms)',
        app: Math.max(...result.rounds.map((r) => r.holdMs)),
        budget: '<= 50 ms',
        ok: result.rounds.every((r) => r.holdMs <= 50),
      },
      {
        measure: 'slowest single digest (ms)',
        app: warm?.maxMs,
        budget: '<= 50 ms',
        ok: (warm?.maxMs ?? Infinity) <= 50,
      },
      {
        measure: "a team's numbers, slowest (ms)",
        app: result.team.maxMs,
        budget: '<= 50 ms',
        ok: result.team.maxMs <= 50,
      },
    ];
  },
};
