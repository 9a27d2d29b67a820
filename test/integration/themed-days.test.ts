import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { DAY_MS } from '../../src/themes/theme-pieces.js';
import { createTheme } from '../../src/themes/theme-repo.js';
import { type DayItems, themedDayItems } from '../../src/themes/themed-days.js';
import { statementsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * The themed items of the days the theme trends read in part are kept per database and read again only once the
 * day's counter moved (issue 14: a dozen days of 2,700 items read for every preview, reminder and /feedback
 * themes). A kept day must always be what reading it gives, whatever happens to the items.
 */

const DAY = 20_400; // days since the epoch
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

/** The day's themed items as rows, sorted, from the kept columns. */
const rowsOf = (items: DayItems) =>
  Array.from(items.themeId, (theme, i) => [
    theme,
    items.createdAt[i],
    items.departments[items.department[i] as number],
  ]).sort((a, b) => String(a).localeCompare(String(b)));

/** The same read straight from the items. */
const readNow = (db: Db) =>
  (
    db
      .prepare(
        `SELECT theme_id, created_at, COALESCE(department_id, '') FROM feedback_items
           WHERE theme_id IS NOT NULL AND created_at >= ? AND created_at < ?`,
      )
      .raw()
      .all(DAY * DAY_MS, (DAY + 1) * DAY_MS) as unknown[][]
  ).sort((a, b) => String(a).localeCompare(String(b)));

it('keeps a day until one of its themed items is filed, moved, regrouped, refiled or deleted', () => {
  const { db } = store;
  const themes = [1, 2, 3].map(() => createTheme(db, ['t'], 0));
  let s = 7;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  const at = () => (DAY - 1 + Math.floor(rnd() * 3)) * DAY_MS + Math.floor(rnd() * DAY_MS); // the day and both neighbours
  const insert = db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at, theme_id) VALUES (?, 'T1', 'U1', 'command', 'complaint', 'normal', 's', ?, 'new', ?, ?, ?)`,
  );
  const ids = () => db.prepare('SELECT id FROM feedback_items').pluck().all() as number[];
  for (let n = 0; n < 40; n += 1)
    insert.run(`k${n}`, pick(['billing', 'shipping', null]), at(), 0, pick(themes));
  for (let n = 40; n < 400; n += 1) {
    expect(rowsOf(themedDayItems(db, DAY))).toEqual(readNow(db));
    const item = pick(ids());
    const roll = rnd();
    if (roll < 0.2)
      insert.run(`k${n}`, pick(['billing', 'shipping', null]), at(), 0, pick([...themes, null]));
    else if (roll < 0.4)
      db.prepare('UPDATE feedback_items SET theme_id = ? WHERE id = ?').run(pick([...themes, null]), item);
    else if (roll < 0.55)
      db.prepare('UPDATE feedback_items SET department_id = ? WHERE id = ?').run(
        pick(['billing', 'product', null]),
        item,
      );
    else if (roll < 0.65) db.prepare('UPDATE feedback_items SET created_at = ? WHERE id = ?').run(at(), item);
    else if (roll < 0.75) db.prepare('DELETE FROM feedback_items WHERE id = ?').run(item);
    else if (roll < 0.9) db.prepare(`UPDATE feedback_items SET status = 'resolved' WHERE id = ?`).run(item);
  }
  expect(rowsOf(themedDayItems(db, DAY))).toEqual(readNow(db));
  expect(readNow(db).length).toBeGreaterThan(10);
});

it('reads a kept day no more while nothing in it changes: one probe of its counter', () => {
  const { db } = store;
  const theme = createTheme(db, ['t'], 0);
  db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at, theme_id) VALUES ('k', 'T1', 'U1', 'command', 'complaint', 'normal', 's', 'billing', 'new', ?, 0, ?)`,
  ).run(DAY * DAY_MS + 5, theme);
  expect(themedDayItems(db, DAY).themeId).toHaveLength(1);
  const again = statementsOf(db, () => themedDayItems(db, DAY));
  expect(again).toEqual(['SELECT changes FROM theme_day_changes WHERE day = ?']);
  // Another day's change leaves it kept.
  db.prepare(
    `INSERT INTO feedback_items (idempotency_key, team_id, reporter_id, source, kind, severity, summary,
       department_id, status, created_at, updated_at, theme_id) VALUES ('k2', 'T1', 'U1', 'command', 'complaint', 'normal', 's', 'billing', 'new', ?, 0, ?)`,
  ).run((DAY + 1) * DAY_MS + 5, theme);
  expect(statementsOf(db, () => themedDayItems(db, DAY))).toHaveLength(1);
});
