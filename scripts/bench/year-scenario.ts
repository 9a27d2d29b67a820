/**
 * "A year of data" (year-of-data.ts, also `npm run bench:year` alone) as a scenario of `npm run bench`: its rows
 * in the one table. It waits for two real minute ticks, so smoke runs (inside `npm test`) leave it out unless
 * `--only year` asks for it.
 */
import type { BenchRow, ScenarioOptions } from './rows.js';
import { intakeAtScale } from './year-intake.js';
import { yearOfData } from './year-of-data.js';

/** "37 ms" -> 37, "p50 16.5 ms, max 20.1 ms" -> 16.5; a value with no number ("not reported") stays a note. */
const numberIn = (value: string) => {
  const n = Number.parseFloat(value.replace(/^p50\s+/, ''));
  return Number.isFinite(n) ? n : undefined;
};

/** The budget's number when it is an upper bound ("<= 50 ms", "< 250 MB"). */
const limitOf = (budget: string) => {
  const m = /^<=?\s*([\d.]+)/.exec(budget);
  return m ? Number(m[1]) : undefined;
};

export const yearScenario = {
  name: 'year',
  skipInSmoke: true,
  async run(options: ScenarioOptions): Promise<BenchRow[]> {
    const size = options.smoke ? { items: 2000, kudos: 2000, runs: 1 } : { items: 1e6, kudos: 1e6, runs: 5 };
    const year = { ...size, out: options.outDir, app: '.' };
    const rows = [...(await yearOfData(year)), ...(await intakeAtScale(year, options.seconds))];
    return rows.map((r) => {
      const app = numberIn(r.value);
      const limit = limitOf(r.budget);
      const scale = `${size.items} items`;
      return {
        measure: `year of data (${scale}): ${r.what}`,
        app,
        ...(r.budget ? { budget: r.budget } : {}),
        ...(limit !== undefined && app !== undefined ? { ok: app <= limit } : {}),
        ...(app === undefined || r.note
          ? { note: [app === undefined ? r.value : '', r.note ?? ''].join(' ').trim() }
          : {}),
      };
    });
  },
};
