/**
 * `npm run bench`: every scenario in one run, one table (floor, plain Bolt and Courtesy Loop side by side,
 * with the ratios the budgets name), written to `bench-results/bench.json` and `bench-results/bench.md`.
 * A scenario is a module exporting `{ name, run(options) => rows }`; add it to SCENARIOS.
 * Options: --seconds N (each load phase, default 10), --smoke (CI-sized), --only name[,name], --out folder,
 * --kinds feedback,kudos,reaction (intake only these), --profile (CPU profiles in <out>/profiles),
 * --app path/to/main.js (measure another build of the app, e.g. the one before a change), --people company|new
 * (who gives kudos: a company of 2,000, the default, or two people never seen before in every request).
 * The app is measured as built (`dist/`): the runner builds it first when the sources changed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { digestsScenario } from './digests.js';
import { intakeScenario } from './intake.js';
import { PEOPLE_SETTINGS, type PeopleSetting } from './payloads.js';
import { type BenchRow, formatTable, type Scenario, type ScenarioOptions } from './rows.js';
import { yearScenario } from './year-scenario.js';

export const SCENARIOS: readonly (Scenario & { skipInSmoke?: boolean })[] = [
  intakeScenario,
  digestsScenario,
  yearScenario,
];

export async function runBench(options: ScenarioOptions, only?: readonly string[]): Promise<BenchRow[]> {
  mkdirSync(options.outDir, { recursive: true });
  const rows: BenchRow[] = [];
  for (const scenario of SCENARIOS) {
    if (only && !only.includes(scenario.name)) continue;
    if (!only && options.smoke && scenario.skipInSmoke) continue;
    rows.push(...(await scenario.run(options)));
  }
  const record = { at: new Date().toISOString(), cpus: cpus().length, options, rows };
  writeFileSync(join(options.outDir, 'bench.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(options.outDir, 'bench.md'), `${formatTable(rows)}\n`);
  return rows;
}

function peopleSetting(value: string | undefined): PeopleSetting {
  const setting = PEOPLE_SETTINGS.find((s) => s === value);
  if (!setting)
    throw new Error(`--people must be one of ${PEOPLE_SETTINGS.join(', ')}, not ${String(value)}`);
  return setting;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      smoke: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      kinds: { type: 'string' },
      people: { type: 'string', default: 'company' },
      app: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  execFileSync('npm', ['run', '--silent', 'build:if-changed'], { stdio: 'inherit' });
  const rows = await runBench(
    {
      seconds: Number(values.seconds),
      smoke: values.smoke,
      outDir: values.out,
      profile: values.profile,
      ...(values.kinds ? { kinds: values.kinds.split(',') } : {}),
      people: peopleSetting(values.people),
      ...(values.app ? { appEntry: values.app } : {}),
    },
    values.only?.split(','),
  );
  process.stdout.write(`${formatTable(rows)}\n`);
}
