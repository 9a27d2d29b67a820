import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askFeedback, type FiledMonth, fileMonth } from '../../src/sandbox/demo/month.js';
import { generateMonth } from '../../src/sandbox/demo/month-feedback.js';
import { PEOPLE } from '../../src/sandbox/demo/people.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { themeOfItem } from '../support/item-themes.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

/**
 * Issue 17's closing evidence, smaller: twelve days of the generated month (npm run demo:themes files thirty)
 * through the real app and the sandbox's local Slack, then `/feedback themes month`. The many wordings of the
 * common complaints land together, the one-offs stay out of the big themes, and the answer ranks by impact.
 */

// Thursday 1 October 2026, 08:00 in Berlin; asked on the morning of the 13th.
const START = Date.parse('2026-10-01T06:00:00Z');
const ASKED_AT = Date.parse('2026-10-13T08:00:00Z');

const dir = tempDir();
let sandbox: Sandbox | undefined;
let month: FiledMonth;

beforeAll(async () => {
  sandbox = await startSandbox({
    logger: silentLogger,
    port: 0,
    databasePath: join(dir.path, 'month.db'),
    weeks: 0,
    startAt: START,
  });
  const { workspace, standIn, clock, time } = sandbox;
  const items = generateMonth({ days: 12, perWeekday: 10, firstWeekday: 3 });
  month = await fileMonth({ workspace, standIn, clock, time }, items, START);
  clock.advanceTo(ASKED_AT);
  await time.tick();
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  dir.remove();
});

/** Each generated item with the theme the app gave it. */
function themed() {
  const db = sandbox?.loop.db;
  if (!db) throw new Error('no sandbox');
  return month.items.map((item, i) => {
    const id = month.ids[i];
    if (id === undefined) throw new Error(`“${item.summary}” was not filed`);
    return { ...item, id, theme: themeOfItem(db, id).id };
  });
}

const count = <T>(values: readonly T[]) => {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
};

describe('a generated month through /feedback themes', () => {
  it('puts most wordings of each common complaint in one theme, and keeps one-offs out of the big themes', () => {
    const items = themed();
    const complaints = items.filter((i) => !['one-off', 'praise', 'question'].includes(i.truth));
    const common = count(complaints.map((i) => i.truth)).slice(0, 4);
    expect(common[0]?.[1]).toBeGreaterThanOrEqual(5);
    const biggest = new Set<number>();
    for (const [truth, total] of common) {
      const [theme, together] = count(items.filter((i) => i.truth === truth).map((i) => i.theme))[0] ?? [];
      expect(together, `${truth}: ${together} of ${total} in TH-${theme}`).toBeGreaterThanOrEqual(
        0.7 * total,
      );
      biggest.add(theme as number);
    }
    expect(biggest.size, 'each common complaint has its own theme').toBe(common.length);
    const oneOffs = items.filter((i) => i.truth === 'one-off');
    expect(oneOffs.length).toBeGreaterThan(0);
    for (const one of oneOffs) expect(biggest.has(one.theme), one.summary).toBe(false);
  });

  it('answers /feedback themes month ranked by impact, company-wide and per department', async () => {
    if (!sandbox) throw new Error('no sandbox');
    const deps = { ...sandbox };
    const company = await askFeedback(deps, PEOPLE.manager, 'themes month');
    expect(company.split('\n')[0]).toBe(
      '*Top themes by impact, the whole company, this month* (since 1 Oct)',
    );
    const impacts = [...company.matchAll(/items? \(.*?\), impact ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(impacts.length).toBeGreaterThanOrEqual(3);
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
    // The company's top theme is where most of one common complaint went.
    const top = Number(/^1\. \*TH-(\d+)\*/m.exec(company)?.[1]);
    expect(themed().filter((i) => i.theme === top).length).toBeGreaterThanOrEqual(3);

    const billing = await askFeedback(deps, PEOPLE.manager, 'themes billing month');
    expect(billing.split('\n')[0]).toBe('*Top themes by impact, Billing, this month* (since 1 Oct)');
    expect(billing).toMatch(/^1\. \*TH-\d+\*/m);
  });
});
